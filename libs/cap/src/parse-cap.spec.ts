import { describe, expect, it } from 'vitest';
import { capXml, type CapFixture } from '../test-fixtures/cap-builder';
import { CAP_11_NAMESPACE } from './cap-versions';
import type { CapAlert, CapRefusal } from './cap.types';
import { CAP_MAX_BYTES, capBodyTooLarge, parseCap } from './parse-cap';

function accepted(fixture: CapFixture): CapAlert {
  const result = parseCap(capXml(fixture));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));

  return result.alert;
}

/** The errors of a refused message, as "path: message" lines. */
function refused(fixture: CapFixture | string | Buffer, reason: CapRefusal = 'invalid'): string[] {
  const raw = typeof fixture === 'string' || Buffer.isBuffer(fixture) ? fixture : capXml(fixture);
  const result = parseCap(raw);
  if (result.ok) throw new Error('expected the message to be refused');
  expect(result.reason).toBe(reason);

  return result.errors.map((e) => `${e.element}: ${e.message}`);
}

const area = (inner: string): string => `<area><areaDesc>Zone</areaDesc>${inner}</area>`;

describe('parseCap: accepted messages', () => {
  it('reads a CAP 1.2 alert into the model', () => {
    const alert = accepted({ alert: { code: 'IPAWSv1.0', note: 'a &amp; b' } });

    expect(alert).toMatchObject({
      identifier: 'TOCSIN-TEST-1',
      sender: 'ops@tocsin.example',
      sent: { text: '2024-05-01T10:00:00-05:00', instant: '2024-05-01T15:00:00.000Z' },
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      code: ['IPAWSv1.0'],
      note: 'a & b',
      references: [],
      sourceVersion: '1.2',
      signed: false,
    });
    expect(alert.info[0]).toMatchObject({
      language: 'en-US',
      category: ['Fire'],
      urgency: 'Immediate',
      expires: { instant: '2024-05-01T23:00:00.000Z' },
    });
    expect(alert.info[0]!.area[0]!.polygon[0]![0]).toEqual([-120.14, 38.47]);
  });

  it('matches elements by namespace, not prefix', () => {
    const alert = accepted({ prefix: 'cap', prolog: '<!-- feed --><?xml-stylesheet href="x"?>' });

    expect(alert.info[0]!.event).toBe('Wildfire');
  });

  it('reads circles, geocodes, parameters, resources, altitude and ceiling', () => {
    const alert = accepted({
      infoExtra:
        '<parameter><valueName>Color</valueName><value>Red</value></parameter>' +
        '<resource><resourceDesc>map</resourceDesc><mimeType>image/png</mimeType>' +
        '<size>1024</size><uri>https://tocsin.example/map.png</uri></resource>',
      areas: area(
        '<circle>32.9525,-115.5527 0</circle><circle>-33.5,151.2 25</circle>' +
          '<geocode><valueName>SAME</valueName><value>006109</value></geocode>' +
          '<altitude>100</altitude><ceiling>2500.5</ceiling>',
      ),
    });
    const info = alert.info[0]!;

    expect(info.area[0]!.circle).toEqual([
      { center: [-115.5527, 32.9525], radiusKm: 0 },
      { center: [151.2, -33.5], radiusKm: 25 },
    ]);
    expect(info.area[0]).toMatchObject({ altitude: 100, ceiling: 2500.5 });
    expect(info.parameter).toEqual([{ valueName: 'Color', value: 'Red' }]);
    expect(info.resource[0]).toMatchObject({ mimeType: 'image/png', size: 1024 });
  });

  it('parses references into sender, identifier and sent', () => {
    const alert = accepted({
      alert: {
        msgType: 'Update',
        references:
          'a@x.org,ID-1,2024-05-01T09:00:00-05:00\n  b@y.org,ID-2,2024-05-01T09:30:00+00:00',
      },
    });

    expect(alert.references.map((r) => [r.sender, r.identifier, r.sent.instant])).toEqual([
      ['a@x.org', 'ID-1', '2024-05-01T14:00:00.000Z'],
      ['b@y.org', 'ID-2', '2024-05-01T09:30:00.000Z'],
    ]);
  });

  it('accepts a Cancel without info, and -00:00 as UTC', () => {
    const alert = accepted({
      alert: {
        msgType: 'Cancel',
        sent: '2024-05-01T10:00:00-00:00',
        references: 'a,b,2024-05-01T09:00:00-00:00',
      },
      info: null,
    });

    expect(alert.info).toEqual([]);
    expect(alert.sent.instant).toBe('2024-05-01T10:00:00.000Z');
  });

  it('treats empty optional elements as omitted, an empty polygon with a warning', () => {
    const result = parseCap(
      capXml({
        alert: { note: '', restriction: ' ', incidents: '', references: '' },
        info: { instruction: '', web: '' },
        areas: area('<polygon></polygon>'),
      }),
    );

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.alert.note).toBeUndefined();
    expect(result.alert.references).toEqual([]);
    expect(result.alert.info[0]!.area[0]!.polygon).toEqual([]);
    expect(result.warnings).toContainEqual({
      element: 'alert/info[0]/area[0]/polygon[0]',
      message: 'empty <polygon> ignored',
    });
  });

  it('notes an enveloped XML signature and ignores it', () => {
    const result = parseCap(
      capXml({
        alertExtra:
          '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/>' +
          '</ds:Signature><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">...</Signature>',
      }),
    );

    expect(result.ok && result.alert.signed).toBe(true);
    expect(result.warnings.map((w) => w.message)).toContain(
      'XML signature present: not verified, not exported',
    );
  });

  it('decodes a Buffer with a byte-order mark or an ISO-8859-1 declaration', () => {
    const latin = capXml({
      prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>',
      areas: area(''),
    }).replace('Zone', 'Jalisco y Colima \u00e1');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(capXml())]);

    const fromLatin = parseCap(Buffer.from(latin, 'latin1'));
    expect(fromLatin.ok && fromLatin.alert.info[0]!.area[0]!.areaDesc).toBe('Jalisco y Colima á');
    expect(parseCap(bom).ok).toBe(true);
  });
});

describe('parseCap: CAP 1.1', () => {
  const v11 = (fixture: CapFixture): CapFixture => ({ ...fixture, ns: CAP_11_NAMESPACE });

  it('converts to the 1.2 model: Z becomes -00:00, Very Likely becomes Likely', () => {
    const result = parseCap(
      capXml(v11({ alert: { sent: '2024-05-01T15:00:00Z' }, info: { certainty: 'Very Likely' } })),
    );

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.alert.sourceVersion).toBe('1.1');
    expect(result.alert.sent).toEqual({
      text: '2024-05-01T15:00:00-00:00',
      instant: '2024-05-01T15:00:00.000Z',
    });
    expect(result.alert.info[0]!.certainty).toBe('Likely');
  });

  it('refuses a 1.1 resource without mimeType and 1.2-only values', () => {
    const errors = refused(
      v11({
        info: { responseType: 'AllClear' },
        infoExtra: '<resource><resourceDesc>map</resourceDesc></resource>',
      }),
    );

    expect(errors).toContainEqual(
      'alert/info[0]/resource[0]/mimeType: a resource needs a mimeType ' +
        '(optional in CAP 1.1, required in CAP 1.2)',
    );
    expect(errors.some((e) => e.includes('responseType[0]'))).toBe(false);
  });
});

describe('parseCap: refused messages', () => {
  it('refuses other versions, namespaces and roots', () => {
    expect(refused({ ns: 'http://www.incident.com/cap/1.0' }, 'unsupported_version')[0]).toMatch(
      /CAP 1.0 .* only CAP 1.2 and CAP 1.1/,
    );
    expect(refused({ ns: 'urn:example:not-cap' }, 'not_cap')[0]).toMatch(/is not CAP/);
    expect(refused('<alerts xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', 'not_cap')[0]).toMatch(
      /collection/,
    );
    expect(refused('<EDXLDistribution xmlns="urn:x"/>', 'not_cap')[0]).toMatch(/EDXL-DE/);
  });

  it('refuses malformed XML and hostile DTDs', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa">' +
      '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
      capXml({ prolog: '', alert: { note: '&c;' } });
    const xxe = `<!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>${capXml({
      prolog: '',
      alert: { note: '&x;' },
    })}`;

    expect(refused(laughs, 'malformed')[0]).toMatch(/DOCTYPE is refused/);
    expect(refused(xxe, 'malformed')[0]).toMatch(/DOCTYPE is refused/);
    expect(refused(capXml({ alert: { note: '&x;' } }), 'malformed')[0]).toMatch(/not defined/);
    expect(refused('<alert', 'malformed')[0]).toMatch(/^document: line 1/);
  });

  it('keeps __proto__, constructor and prototype elements away from any object', () => {
    const errors = refused({
      alertExtra: '<__proto__><polluted>yes</polluted></__proto__><constructor/><prototype/>',
      info: { headline: 'h</headline><__proto__>x</__proto__><headline>h' },
    });

    expect(errors).toEqual(
      expect.arrayContaining([
        'alert/__proto__: <__proto__> is not a CAP element here',
        'alert/constructor: <constructor> is not a CAP element here',
        'alert/prototype: <prototype> is not a CAP element here',
      ]),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lists every missing required element', () => {
    const errors = refused({ alert: { sender: null, scope: null }, info: { event: null } });

    expect(errors).toEqual(
      expect.arrayContaining([
        'alert/sender: required element is missing',
        'alert/scope: required element is missing',
        'alert/info[0]/event: required element is missing',
      ]),
    );
  });

  it('refuses values outside the CAP enumerations, and empty ones', () => {
    const errors = refused({
      alert: { status: 'Real' },
      info: { category: 'Weather', urgency: '' },
    });

    expect(errors).toEqual(
      expect.arrayContaining([
        'alert/status: "Real" is not one of Actual, Exercise, System, Test, Draft',
        expect.stringMatching(/^alert\/info\[0\]\/category\[0\]: "Weather" is not one of Geo/),
        expect.stringMatching(/^alert\/info\[0\]\/urgency: value is empty/),
      ]),
    );
  });

  it('refuses unknown elements, foreign namespaces and repeated single elements', () => {
    const errors = refused({
      alert: { source: 'a</source><source>b' },
      alertExtra: '<x:y xmlns:x="urn:other"/>',
      areas: area('<Type>County</Type>'),
    });

    expect(errors).toEqual(
      expect.arrayContaining([
        'alert/source[1]: <source> may appear only once',
        'alert/y: element from namespace "urn:other" is not allowed here',
        'alert/info[0]/area[0]/Type: <Type> is not a CAP element here',
      ]),
    );
  });

  it.each([
    ['38.47,-120.14 38.34,-119.95 38.47,-120.14', /needs at least 4 points, this one has 3/],
    ['38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89', /ring is not closed/],
    ['38.47,-120.14, 38.34,-119.95 38.52,-119.74 38.47,-120.14', /point 1 .* is not "lat,lon"/],
    ['95,-120 38.34,-119.95 38.52,-119.74 95,-120', /latitude 95 is outside -90..90/],
    ['38,-190 38.34,-119.95 38.52,-119.74 38,-190', /longitude -190 is outside/],
  ])('refuses the polygon %s', (polygon, message) => {
    const [error] = refused({ areas: area(`<polygon>${polygon}</polygon>`) });

    expect(error).toMatch(/^alert\/info\[0\]\/area\[0\]\/polygon\[0\]: /);
    expect(error).toMatch(message);
  });

  it.each([
    ['32.9,-115.5', /is not of the form "lat,lon radius"/],
    ['32.9 -115.5 10', /is not of the form/],
    ['-115.5,32.9,10', /is not of the form/],
    ['132.9,-115.5 10', /latitude 132.9/],
    ['32.9,-115.5 -1', /radius -1 is negative/],
  ])('refuses the circle %s', (circle, message) => {
    expect(refused({ areas: area(`<circle>${circle}</circle>`) })[0]).toMatch(message);
  });

  it.each([
    ['2024-05-01T10:00:00', /has no explicit offset/],
    ['2024-05-01T10:00:00Z', /CAP 1.2 forbids "Z"; write UTC as -00:00/],
    ['2024-05-01T10:00:00.5-05:00', /fractional seconds/],
    ['2024-02-30T10:00:00-05:00', /not a real date/],
    ['01/05/2024 10:00', /not a CAP date-time/],
  ])('refuses the time %s', (sent, message) => {
    const [error] = refused({ alert: { sent } });

    expect(error).toMatch(/^alert\/sent: /);
    expect(error).toMatch(message);
  });

  it('refuses references not in sender,identifier,sent form', () => {
    const errors = refused({
      alert: { msgType: 'Update', references: 'a,b,2024-05-01T09:00:00-00:00 just-an-id a,b,c' },
    });

    expect(errors).toEqual([
      'alert/references: reference 2 "just-an-id" is not of the form "sender,identifier,sent"',
      expect.stringMatching(/^alert\/references: reference 3 "a,b,c" has a bad sent time/),
    ]);
  });

  it.each(['Update', 'Cancel', 'Ack', 'Error'])('refuses %s without references', (msgType) => {
    expect(refused({ alert: { msgType } })).toEqual([
      `alert/references: msgType ${msgType} needs <references> to earlier messages`,
    ]);
  });

  it('refuses expires before effective, or before sent without effective', () => {
    expect(
      refused({
        info: { effective: '2024-05-01T12:00:00-05:00', expires: '2024-05-01T11:00:00-05:00' },
      }),
    ).toEqual([
      'alert/info[0]/expires: expires 2024-05-01T11:00:00-05:00 is before effective ' +
        '2024-05-01T12:00:00-05:00',
    ]);
    expect(refused({ info: { expires: '2024-05-01T14:59:59+00:00' } })[0]).toMatch(/before sent/);
  });

  it('refuses spaces or commas in identifier and sender, Private without addresses', () => {
    const errors = refused({ alert: { identifier: 'a b', sender: 'x,y', scope: 'Private' } });

    expect(errors).toEqual(
      expect.arrayContaining([
        'alert/identifier: must not contain spaces, commas, "<" or "&"',
        'alert/sender: must not contain spaces, commas, "<" or "&"',
      ]),
    );
    expect(refused({ alert: { scope: 'Private' } })).toEqual([
      'alert/addresses: scope Private needs <addresses>',
    ]);
  });

  it('refuses identifiers and senders over 256 characters, also inside references', () => {
    const long = 'x'.repeat(257);
    const reference = `${long},id-1,2024-05-01T14:00:00-00:00`;

    expect(refused({ alert: { identifier: long, sender: long } })).toEqual([
      'alert/identifier: is 257 characters, over 256',
      'alert/sender: is 257 characters, over 256',
    ]);
    expect(refused({ alert: { msgType: 'Update', references: reference } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/reference 1 .* over 256 characters/)]),
    );
    expect(accepted({ alert: { identifier: 'x'.repeat(256) } }).identifier).toHaveLength(256);
  });

  it('refuses more than 64 <info> blocks and more than 100 references', () => {
    const info =
      '<info><category>Safety</category><event>E</event><urgency>Immediate</urgency>' +
      '<severity>Minor</severity><certainty>Observed</certainty></info>';
    const reference = (i: number): string => `s,id-${i},2024-05-01T14:00:00-00:00`;
    const references = Array.from({ length: 101 }, (_, i) => reference(i)).join(' ');

    expect(refused({ alertExtra: info.repeat(64) })).toEqual([
      'alert/info: 65 <info> blocks, over 64',
    ]);
    expect(accepted({ alertExtra: info.repeat(63) }).info).toHaveLength(64);
    expect(refused({ alert: { msgType: 'Update', references } })).toEqual([
      'alert/references: 101 references, over 100',
    ]);
  });

  it('refuses a bad language, size, altitude, and a ceiling without altitude', () => {
    const errors = refused({
      info: { language: 'english (US)' },
      infoExtra:
        '<resource><resourceDesc>r</resourceDesc><mimeType>a/b</mimeType>' +
        '<size>1kB</size></resource>',
      areas: area('<altitude>high</altitude>') + area('<ceiling>10</ceiling>'),
    });

    expect(errors).toEqual([
      'alert/info[0]/language: "english (US)" is not a language tag',
      'alert/info[0]/resource[0]/size: "1kB" is not a whole number of bytes',
      'alert/info[0]/area[0]/altitude: "high" is not a decimal number of feet',
      'alert/info[0]/area[1]/ceiling: ceiling may only be given with altitude',
    ]);
  });

  it('refuses a body over CAP_MAX_BYTES before reading it', () => {
    const big = capXml({ info: { description: 'x'.repeat(6 * 1024 * 1024) } });

    expect(capBodyTooLarge(CAP_MAX_BYTES)).toBe(false);
    expect(capBodyTooLarge(CAP_MAX_BYTES + 1)).toBe(true);
    expect(refused(big, 'too_large')[0]).toMatch(/over 5242880/);
    expect(refused(Buffer.from(big), 'too_large')).toHaveLength(1);
  });

  // How fast is measured by bench/cap-import, not by a timed test.
  it('imports a ~1 MB message of detailed polygons', () => {
    const ring = Array.from({ length: 2000 }, (_, i) => {
      const a = (2 * Math.PI * i) / 1999;

      return `${(38 + 0.3 * Math.sin(a)).toFixed(6)},${(-120 + 0.3 * Math.cos(a)).toFixed(6)}`;
    });
    ring[1999] = ring[0]!;
    const polygonArea = area(`<polygon>${ring.join(' ')}</polygon>`);
    const xml = capXml({ areas: polygonArea.repeat(25) });

    const result = parseCap(xml);

    expect(xml.length).toBeGreaterThan(900_000);
    expect(result.ok).toBe(true);
    expect(result.ok && result.alert.info[0]?.area).toHaveLength(25);
  });
});
