import { describe, expect, it } from 'vitest';
import { capXml } from '../test-fixtures/cap-builder';
import { formatCapTime, toCapTime } from './cap-time';
import type { CapAlert } from './cap.types';
import { exportCap } from './export-cap';
import { parseCap } from './parse-cap';
import { readXml } from './xml/xml-reader';

function parsed(xml: string): CapAlert {
  const result = parseCap(xml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));

  return result.alert;
}

const FULL = capXml({
  alert: {
    source: 'Dispatch &lt;A&amp;B&gt;',
    code: 'IPAWSv1.0',
    note: 'line 1\nline 2 "quoted"',
    msgType: 'Update',
    references: 'ops@tocsin.example,TOCSIN-0,2024-05-01T09:00:00+02:00',
    incidents: 'INC-1 INC-2',
  },
  info: {
    language: 'fr-CA',
    category: 'Fire</category><category>Met',
    responseType: 'Evacuate',
    effective: '2024-05-01T10:00:00-05:00',
    description: 'Fumée &amp; feu ]]&gt; <![CDATA[<b>not html</b>]]>',
  },
  infoExtra:
    '<eventCode><valueName>SAME</valueName><value></value></eventCode>' +
    '<resource><resourceDesc>r</resourceDesc><mimeType>image/png</mimeType>' +
    '<size>12</size></resource>',
  areas:
    '<area><areaDesc>Ridge</areaDesc><polygon>0.0000001,0 1,0 1,1 0.0000001,0</polygon>' +
    '<circle>45.5,-73.6 2.5</circle><altitude>0.5</altitude><ceiling>1000</ceiling></area>',
});

describe('exportCap', () => {
  it('writes CAP 1.2 in schema order with the CAP 1.2 namespace', () => {
    const root = readXml(exportCap(parsed(FULL)));

    expect([root.ns, root.local]).toEqual(['urn:oasis:names:tc:emergency:cap:1.2', 'alert']);
    expect(root.children.map((c) => c.local)).toEqual([
      'identifier',
      'sender',
      'sent',
      'status',
      'msgType',
      'source',
      'scope',
      'code',
      'note',
      'references',
      'incidents',
      'info',
    ]);
    const info = root.children.at(-1)!;
    expect(info.children.map((c) => c.local)).toEqual([
      'language',
      'category',
      'category',
      'event',
      'responseType',
      'urgency',
      'severity',
      'certainty',
      'eventCode',
      'effective',
      'expires',
      'headline',
      'description',
      'resource',
      'area',
    ]);
  });

  it('writes lat,lon order, decimals without exponent, and escaped text', () => {
    const xml = exportCap(parsed(FULL));

    expect(xml).toContain('<polygon>0.0000001,0 1,0 1,1 0.0000001,0</polygon>');
    expect(xml).toContain('<circle>45.5,-73.6 2.5</circle>');
    expect(xml).toContain('<source>Dispatch &lt;A&amp;B&gt;</source>');
    expect(xml).toContain('Fumée &amp; feu ]]&gt; &lt;b&gt;not html&lt;/b&gt;');
  });

  it('round-trips: parse(export(alert)) equals the alert', () => {
    const alert = parsed(FULL);

    expect(parsed(exportCap(alert))).toEqual(alert);
  });

  it('writes times with their offset, never Z; UTC as -00:00', () => {
    const alert = parsed(FULL);
    const xml = exportCap({ ...alert, sent: toCapTime(new Date('2024-05-01T15:00:00.750Z')) });

    expect(xml).toContain('<sent>2024-05-01T15:00:00-00:00</sent>');
    expect(xml).toContain('2024-05-01T09:00:00+02:00');
    expect(xml).not.toMatch(/\d\dZ</);
  });

  it('writes an instant without a valid text in UTC, and an offset when asked', () => {
    expect(formatCapTime({ text: 'garbage', instant: '2024-05-01T15:00:00.000Z' })).toBe(
      '2024-05-01T15:00:00-00:00',
    );
    expect(toCapTime('2024-05-01T15:00:00Z', -300)).toEqual({
      text: '2024-05-01T10:00:00-05:00',
      instant: '2024-05-01T15:00:00.000Z',
    });
    expect(toCapTime('2024-05-01T15:00:00Z', 330).text).toBe('2024-05-01T20:30:00+05:30');
  });

  it('replaces characters XML cannot carry and leaves out empty optional text', () => {
    const alert = parsed(FULL);
    const xml = exportCap({ ...alert, note: 'bell\u0007', source: '' });

    expect(xml).toContain('<note>bell\uFFFD</note>');
    expect(xml).not.toContain('<source>');
    expect(parseCap(xml).ok).toBe(true);
  });

  it('does not export a signature, and exports converted CAP 1.1 as 1.2', () => {
    const v11 = parsed(capXml({ ns: 'urn:oasis:names:tc:emergency:cap:1.1' }));
    const again = parsed(exportCap({ ...v11, signed: true }));

    expect(again).toEqual({ ...v11, sourceVersion: '1.2', signed: false });
  });
});
