import { decodeXml, readXml, type XmlElement } from '@tocsin/cap';

const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
const CAP_TYPES = ['application/cap+xml', 'application/common-alerting-protocol+xml'];

/**
 * The CAP links of an Atom or RSS feed, resolved against the feed's URL. Atom: each entry's
 * link typed as CAP, else its alternate link. RSS: each item's CAP enclosure, else its
 * link. The same safe XML reader as CAP parses the feed (no DTD, no entity expansion).
 */
export function capLinks(kind: 'atom' | 'rss', body: Buffer, feedUrl: string): string[] {
  const root = readXml(decodeXml(body));
  const links = kind === 'atom' ? atomLinks(root) : rssLinks(root);

  return [...new Set(links.map((link) => new URL(link, feedUrl).toString()))];
}

function atomLinks(root: XmlElement): string[] {
  if (root.local !== 'feed' || root.ns !== ATOM_NAMESPACE) {
    throw new Error('not an Atom feed (expected <feed> in the Atom namespace)');
  }

  return children(root, 'entry').flatMap((entry) => {
    const links = children(entry, 'link');
    const cap = links.find((link) => CAP_TYPES.includes(attribute(link, 'type') ?? ''));
    const alternate = links.find((link) => (attribute(link, 'rel') ?? 'alternate') === 'alternate');
    const href = attribute(cap ?? alternate ?? links[0], 'href');

    return href ? [href] : [];
  });
}

function rssLinks(root: XmlElement): string[] {
  const channel = root.local === 'rss' ? children(root, 'channel')[0] : undefined;
  if (!channel) throw new Error('not an RSS feed (expected <rss><channel>)');

  return children(channel, 'item').flatMap((item) => {
    const enclosure = children(item, 'enclosure').find((e) =>
      CAP_TYPES.includes(attribute(e, 'type') ?? ''),
    );
    const href = attribute(enclosure, 'url') ?? children(item, 'link')[0]?.text.trim();

    return href ? [href] : [];
  });
}

function children(element: XmlElement, local: string): XmlElement[] {
  return element.children.filter((child) => child.local === local && child.ns === element.ns);
}

function attribute(element: XmlElement | undefined, name: string): string | undefined {
  return element?.attributes.find((a) => a.name === name)?.value;
}
