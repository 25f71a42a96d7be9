import { describe, expect, it } from 'vitest';
import { buildPublicAtomFeed } from './atom-feed';
import { readXml } from './xml/xml-reader';

const ATOM = 'http://www.w3.org/2005/Atom';

describe('buildPublicAtomFeed', () => {
  const xml = buildPublicAtomFeed({
    feedUrl: 'https://tocsin.example/api/feeds/public.atom',
    entries: [
      {
        id: '6F1C2A7E-8E4B-4C55-9A39-2D3B1C0E9F11',
        title: 'Fire </title><script>alert(1)</script> & ]]>',
        updated: new Date('2024-05-01T15:00:00Z'),
        summary: '<b>evacuate</b>',
        capUrl: 'https://tocsin.example/api/alerts/6f1c2a7e-8e4b-4c55-9a39-2d3b1c0e9f11/cap',
        author: 'County OEM',
      },
      {
        id: 'urn:oid:2.49.0.1.840',
        title: 'Flood',
        updated: new Date('2024-05-02T08:00:00Z'),
        capUrl: 'https://tocsin.example/api/alerts/2/cap',
      },
    ],
  });
  const feed = readXml(xml);
  const child = (el: typeof feed, name: string) => el.children.find((c) => c.local === name)!;
  const entries = feed.children.filter((c) => c.local === 'entry');

  it('is well-formed Atom with a self link and the latest update', () => {
    expect([feed.ns, feed.local]).toEqual([ATOM, 'feed']);
    expect(child(feed, 'id').text).toBe('https://tocsin.example/api/feeds/public.atom');
    expect(child(feed, 'updated').text).toBe('2024-05-02T08:00:00.000Z');
    expect(child(feed, 'link').attributes).toContainEqual({ name: 'rel', value: 'self' });
  });

  it('links each entry to its CAP document and keeps text as plain text', () => {
    const first = entries[0]!;

    expect(child(first, 'id').text).toBe('urn:uuid:6f1c2a7e-8e4b-4c55-9a39-2d3b1c0e9f11');
    expect(child(first, 'title').text).toBe('Fire </title><script>alert(1)</script> & ]]>');
    expect(child(first, 'title').attributes).toEqual([{ name: 'type', value: 'text' }]);
    expect(child(first, 'link').attributes).toEqual([
      { name: 'rel', value: 'alternate' },
      { name: 'type', value: 'application/cap+xml' },
      {
        name: 'href',
        value: 'https://tocsin.example/api/alerts/6f1c2a7e-8e4b-4c55-9a39-2d3b1c0e9f11/cap',
      },
    ]);
    expect(child(entries[1]!, 'id').text).toBe('urn:oid:2.49.0.1.840');
  });

  it('refuses ids that are not IRIs and links that are not http(s)', () => {
    const entry = { title: 't', updated: new Date(0), capUrl: 'https://x.example/cap' };

    expect(() =>
      buildPublicAtomFeed({ feedUrl: 'https://x.example/f', entries: [{ ...entry, id: '42' }] }),
    ).toThrow(/UUID or an absolute IRI/);
    expect(() =>
      buildPublicAtomFeed({
        feedUrl: 'https://x.example/f',
        entries: [{ ...entry, id: 'urn:x:1', capUrl: 'javascript:alert(1)' }],
      }),
    ).toThrow(/http\(s\)/);
  });
});
