import { readdirSync } from 'node:fs';
import { type CapAlert, type CapRefusal, exportCap, parseCap } from '@tocsin/cap';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { capDir, readCapSchema, readSample, samplesPresent } from '../support/cap-samples';

/**
 * Conformance against the shared public samples (../shared/samples, described in its
 * SOURCES.md). The samples are not part of this repository; without them this file is skipped
 * and libs/cap's own fixtures still cover every rule.
 */
const present = samplesPresent;
if (!present) console.warn(`CAP conformance skipped: ${capDir} not found`);

/** file: msgType, infos, languages, polygons, circles, geocodes, references, version, signed */
type Facts = [string, number, string[], number, number, number, number, '1.2' | '1.1', boolean];
const US = 'en-US';
const VALID: Record<string, Facts> = {
  athoc_ipaws_cancel_no_info: ['Cancel', 0, [], 0, 0, 0, 1, '1.2', true],
  bom_thunderstorm_prefixed_amoc: ['Alert', 1, ['en-AU'], 0, 0, 7, 0, '1.2', false],
  ec_snowfall_update_signed_en_fr: ['Update', 2, ['en-CA', 'fr-CA'], 4, 0, 72, 9, '1.2', true],
  ec_thunderstorm_update_en_fr: ['Update', 2, ['en-CA', 'fr-CA'], 4, 0, 26, 2, '1.2', false],
  eccc_naad_weather_en_fr: ['Alert', 2, ['en-CA', 'fr-CA'], 2, 0, 20, 0, '1.2', true],
  imo_iceland_wind_is_en: ['Alert', 2, ['is-IS', US], 2, 0, 2, 0, '1.2', false],
  ipaws_cancel_no_info_signed: ['Cancel', 0, [], 0, 0, 0, 1, '1.2', true],
  ipaws_local_area_emergency_polygon: ['Alert', 1, [US], 1, 0, 1, 0, '1.2', true],
  ipaws_required_monthly_test_audio: ['Alert', 1, [US], 0, 0, 1, 0, '1.2', true],
  meteoalarm_fr_avalanche_update_fr_en: [
    'Update',
    2,
    ['fr-FR', 'en-GB'],
    0,
    0,
    12,
    1,
    '1.2',
    false,
  ],
  meteoalarm_ie_low_temp_polygons: ['Alert', 1, ['en-GB'], 6, 0, 26, 0, '1.2', false],
  meteoalarm_uk_ice_geocode_only: ['Alert', 1, ['en-GB'], 0, 0, 10, 0, '1.2', false],
  nsw_rfs_fire_prefixed_2info: ['Alert', 2, ['en-AU', 'en-AU'], 0, 2, 2, 0, '1.2', false],
  ntwc_tsunami_cancellation_update: ['Update', 1, [US], 0, 1, 0, 3, '1.2', true],
  ntwc_tsunami_warning_update: ['Update', 1, [US], 0, 0, 2, 1, '1.2', false],
  // The empty <polygon> of these two legacy NWS files is dropped (with a warning).
  nws11_blizzard_warning_empty_polygon: ['Alert', 1, [US], 0, 0, 4, 0, '1.1', false],
  nws11_flash_flood_watch_geocode: ['Alert', 1, [US], 0, 0, 2, 0, '1.1', false],
  nws11_wind_advisory_empty_same: ['Alert', 1, [US], 0, 0, 50, 0, '1.1', false],
  nws_ipaws_hurricane_update_multipolygon: ['Update', 1, [US], 2, 0, 2, 8, '1.2', false],
  oasis11_a3_earthquake: ['Alert', 1, [US], 0, 1, 0, 0, '1.1', false],
  oasis11_a4_amber_alert: ['Alert', 1, [US], 0, 0, 1, 0, '1.1', false],
  oasis12_a1_homeland_security_advisory: ['Alert', 1, [US], 0, 0, 0, 0, '1.2', false],
  oasis12_a2_severe_thunderstorm_polygon: ['Alert', 1, [US], 1, 0, 3, 0, '1.2', false],
  oasis12_a3_earthquake_update_circle: ['Update', 1, [US], 0, 1, 0, 1, '1.2', false],
  oasis12_a4_amber_alert_en_es: ['Alert', 2, [US, 'es-US'], 0, 0, 2, 0, '1.2', false],
  pagasa_tropical_cyclone_test_signed: ['Alert', 1, [US], 1, 0, 0, 0, '1.2', true],
  smn_mexico_tropical_storm_update: ['Update', 1, ['es-419'], 1, 0, 0, 1, '1.2', false],
  usgs11_earthquake_circle: ['Alert', 1, [US], 0, 1, 0, 0, '1.1', false],
  usgs11_earthquake_no_info: ['Alert', 0, [], 0, 0, 0, 0, '1.1', false],
  'usgs12_earthquake_iso8859-1_signed': ['Alert', 1, [US], 0, 1, 0, 0, '1.2', true],
  wra_taiwan_reservoir_utf8_bom: ['Alert', 1, ['zh-tw'], 0, 0, 1, 0, '1.2', false],
};

/** file: the refusal and what its errors must say, after SOURCES.md's verdicts. */
const REFUSED: Record<string, [CapRefusal, RegExp[]]> = {
  edxlde_envelope_nsw_rfs_cap_au: ['not_cap', [/EDXL-DE envelope/]],
  invalid_ec_empty_references: ['invalid', [/^alert\/references: msgType Update needs/]],
  invalid_krisinformation_sweden_custom_area: [
    'invalid',
    [/area\[0\]\/Type: <Type> is not a CAP element/, /area\[0\]\/Polygon: <Polygon> is not/],
  ],
  invalid_missing_scope: ['invalid', [/^alert\/scope: required element is missing/]],
  invalid_nws11_flood_warning_empty_fields: [
    'invalid',
    [
      /info\[0\]\/urgency: value is empty/,
      /info\[0\]\/severity: value is empty/,
      /info\[0\]\/certainty: value is empty/,
      /area\[0\]\/polygon\[0\]: point 7 "\+40.85,-118.09," is not "lat,lon"/,
    ],
  ],
  invalid_smhi_alerts_wrapper_root: ['not_cap', [/<alerts> is a collection/]],
  invalid_wrong_namespace_taiwan: ['not_cap', [/urn:oasis:names:tc:emergency:alerts:1.2.*not CAP/]],
  invalid_xxe_entities_thunderstorm: ['malformed', [/DOCTYPE is refused/]],
  oasis10_a2_severe_thunderstorm: ['unsupported_version', [/CAP 1.0 .* only CAP 1.2 and CAP 1.1/]],
  oasis10_a3_earthquake: ['unsupported_version', [/CAP 1.0 .* only CAP 1.2 and CAP 1.1/]],
};

function read(name: string): Buffer {
  return readSample(name);
}

function parsed(name: string): CapAlert {
  const result = parseCap(read(name));
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.errors)}`);

  return result.alert;
}

function count(alert: CapAlert, kind: 'polygon' | 'circle' | 'geocode'): number {
  return alert.info.flatMap((info) => info.area).reduce((n, area) => n + area[kind].length, 0);
}

/** What survives export: always CAP 1.2 and never signed. */
function exported(alert: CapAlert): CapAlert {
  return { ...alert, sourceVersion: '1.2', signed: false };
}

(present ? describe : describe.skip)('CAP samples (../shared/samples)', () => {
  it('lists every sample file in one of the tables', () => {
    const files = readdirSync(capDir).map((file) => file.replace(/\.xml$/, ''));

    expect(files.sort()).toEqual([...Object.keys(VALID), ...Object.keys(REFUSED)].sort());
  });

  it.each(Object.entries(VALID))('imports %s with the facts of SOURCES.md', (name, facts) => {
    const [msgType, infos, languages, polygons, circles, geocodes, refs, version, signed] = facts;
    const alert = parsed(name);

    expect(alert.msgType).toBe(msgType);
    expect(alert.info).toHaveLength(infos);
    expect(alert.info.map((info) => info.language)).toEqual(languages);
    expect([count(alert, 'polygon'), count(alert, 'circle'), count(alert, 'geocode')]).toEqual([
      polygons,
      circles,
      geocodes,
    ]);
    expect(alert.references).toHaveLength(refs);
    expect(alert.sourceVersion).toBe(version);
    expect(alert.signed).toBe(signed);
  });

  it.each(Object.entries(REFUSED))('refuses %s for the reason SOURCES.md gives', (name, rule) => {
    const [reason, patterns] = rule;
    const result = parseCap(read(name));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((e) => `${e.element}: ${e.message}`);
    expect(result.reason).toBe(reason);
    for (const pattern of patterns) expect(messages.some((m) => pattern.test(m))).toBe(true);
  });

  it('decodes ISO-8859-1 and keeps text from a BOM-prefixed file', () => {
    const usgs = parsed('usgs12_earthquake_iso8859-1_signed');
    const taiwan = parsed('wra_taiwan_reservoir_utf8_bom');

    expect(usgs.info[0]!.area[0]!.areaDesc).toContain('á');
    expect(taiwan.identifier).not.toMatch(/^\uFEFF/);
    expect(taiwan.info[0]!.headline).toMatch(/[\u4e00-\u9fff]/);
  });

  it('exports every valid sample to CAP 1.2 that re-imports to the same alert', () => {
    for (const name of Object.keys(VALID)) {
      const alert = parsed(name);
      const again = parseCap(exportCap(alert));

      expect(again.ok, name).toBe(true);
      if (again.ok) expect(again.alert, name).toEqual(exported(alert));
    }
  });

  it('exports every valid sample to XML the OASIS CAP 1.2 schema accepts', async () => {
    const xsd = readCapSchema();
    const xml = Object.keys(VALID).map((name) => ({
      fileName: `${name}.xml`,
      contents: exportCap(parsed(name)),
    }));

    const result = await validateXML({
      xml,
      schema: [{ fileName: 'cap12.xsd', contents: xsd }],
      maxMemoryPages: 1024,
    });

    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator bites: a wrong status in one export makes it fail.
    const broken = xml[0]!.contents.replace('<status>Actual', '<status>Bogus');
    const refused = await validateXML({
      xml: [{ fileName: 'broken.xml', contents: broken }],
      schema: [{ fileName: 'cap12.xsd', contents: xsd }],
    });
    expect(refused.valid).toBe(false);
  });
});
