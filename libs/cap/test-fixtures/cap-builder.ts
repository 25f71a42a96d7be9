/**
 * Builds CAP messages for the library's own tests: a valid CAP 1.2 alert by default, each
 * element replaceable (a string, inserted as raw XML) or removable (null).
 */

const ALERT_KEYS = [
  'identifier',
  'sender',
  'sent',
  'status',
  'msgType',
  'source',
  'scope',
  'restriction',
  'addresses',
  'code',
  'note',
  'references',
  'incidents',
] as const;
const INFO_KEYS = [
  'language',
  'category',
  'event',
  'responseType',
  'urgency',
  'severity',
  'certainty',
  'audience',
  'effective',
  'onset',
  'expires',
  'senderName',
  'headline',
  'description',
  'instruction',
  'web',
  'contact',
] as const;

type Fields<K extends string> = Partial<Record<K, string | null>>;

export interface CapFixture {
  ns?: string;
  /** Prefix every CAP element (e.g. "cap") instead of using a default namespace. */
  prefix?: string;
  alert?: Fields<(typeof ALERT_KEYS)[number]>;
  /** null: no <info> at all. */
  info?: Fields<(typeof INFO_KEYS)[number]> | null;
  /** Raw XML inside <info> after contact (eventCode, parameter, resource). */
  infoExtra?: string;
  /** Raw XML of the info's areas; defaults to one polygon area. */
  areas?: string;
  /** Raw XML at the end of <alert> (a signature, a second info...). */
  alertExtra?: string;
  /** Raw text before the root element (declaration, comments...). */
  prolog?: string;
}

export const DEFAULT_POLYGON =
  '38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14';

const ALERT_DEFAULTS: Fields<(typeof ALERT_KEYS)[number]> = {
  identifier: 'TOCSIN-TEST-1',
  sender: 'ops@tocsin.example',
  sent: '2024-05-01T10:00:00-05:00',
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
};
const INFO_DEFAULTS: Fields<(typeof INFO_KEYS)[number]> = {
  category: 'Fire',
  event: 'Wildfire',
  urgency: 'Immediate',
  severity: 'Severe',
  certainty: 'Observed',
  expires: '2024-05-01T18:00:00-05:00',
  headline: 'Wildfire near the ridge',
};

export function capXml(fixture: CapFixture = {}): string {
  const p = fixture.prefix ? `${fixture.prefix}:` : '';
  const xmlns = fixture.prefix ? `xmlns:${fixture.prefix}` : 'xmlns';
  const ns = fixture.ns ?? 'urn:oasis:names:tc:emergency:cap:1.2';
  const tag = (name: string, value: string): string => `<${p}${name}>${value}</${p}${name}>`;
  const fields = <K extends string>(keys: readonly K[], values: Fields<K>): string =>
    keys
      .map((key) => values[key])
      .map((value, i) => (value === null || value === undefined ? '' : tag(keys[i]!, value)))
      .join('\n');

  const areas =
    fixture.areas ??
    `<${p}area>${tag('areaDesc', 'Ridge')}${tag('polygon', DEFAULT_POLYGON)}</${p}area>`;
  const info =
    fixture.info === null
      ? ''
      : `<${p}info>\n${fields(INFO_KEYS, { ...INFO_DEFAULTS, ...fixture.info })}\n` +
        `${fixture.infoExtra ?? ''}\n${areas}\n</${p}info>`;
  const alert = fields(ALERT_KEYS, { ...ALERT_DEFAULTS, ...fixture.alert });

  return (
    `${fixture.prolog ?? '<?xml version="1.0" encoding="UTF-8"?>\n'}` +
    `<${p}alert ${xmlns}="${ns}">\n${alert}\n${info}\n${fixture.alertExtra ?? ''}\n</${p}alert>\n`
  );
}
