import { XmlWriter } from './xml/xml-writer';

const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PublicFeedEntry {
  /** A UUID (written as urn:uuid:...) or an absolute IRI identifying the alert for good. */
  readonly id: string;
  readonly title: string;
  readonly updated: Date;
  readonly published?: Date;
  /** Plain text; never interpreted as HTML. */
  readonly summary?: string;
  /** Absolute URL of the alert's CAP 1.2 document. */
  readonly capUrl: string;
  /** Absolute URL of a human-readable page, when there is one. */
  readonly htmlUrl?: string;
  /** The issuing agency or sender, shown as the entry's author. */
  readonly author?: string;
}

export interface PublicFeedInput {
  /** Absolute URL the feed is served at; also its Atom id. */
  readonly feedUrl: string;
  readonly title?: string;
  readonly author?: string;
  /** Defaults to the latest entry's updated time, or now for an empty feed. */
  readonly updated?: Date;
  readonly entries: readonly PublicFeedEntry[];
}

/**
 * Builds the public Atom 1.0 feed: one entry per alert, each linking to its CAP document with
 * type application/cap+xml, the convention CAP aggregators follow. Text is written as
 * type="text" and escaped, so alert text is never rendered as HTML by feed readers.
 */
export function buildPublicAtomFeed(input: PublicFeedInput): string {
  const w = new XmlWriter().open('feed', { xmlns: ATOM_NAMESPACE });
  w.leaf('id', absoluteUrl(input.feedUrl))
    .leaf('title', input.title ?? 'Tocsin public alerts', { type: 'text' })
    .leaf('updated', feedUpdated(input).toISOString())
    .empty('link', { rel: 'self', type: 'application/atom+xml', href: input.feedUrl })
    .open('author')
    .leaf('name', input.author ?? 'Tocsin')
    .close('author');
  input.entries.forEach((entry) => writeEntry(w, entry));

  return w.close('feed').toString();
}

function writeEntry(w: XmlWriter, entry: PublicFeedEntry): void {
  w.open('entry')
    .leaf('id', entryId(entry.id))
    .leaf('title', entry.title, { type: 'text' })
    .leaf('updated', entry.updated.toISOString())
    .leaf('published', entry.published?.toISOString())
    .leaf('summary', entry.summary, { type: 'text' })
    .empty('link', {
      rel: 'alternate',
      type: 'application/cap+xml',
      href: absoluteUrl(entry.capUrl),
    });
  if (entry.htmlUrl) {
    w.empty('link', { rel: 'related', type: 'text/html', href: absoluteUrl(entry.htmlUrl) });
  }
  if (entry.author) w.open('author').leaf('name', entry.author).close('author');
  w.close('entry');
}

function feedUpdated(input: PublicFeedInput): Date {
  if (input.updated) return input.updated;
  const times = input.entries.map((entry) => entry.updated.getTime());

  return times.length > 0 ? new Date(Math.max(...times)) : new Date();
}

function entryId(id: string): string {
  if (UUID.test(id)) return `urn:uuid:${id.toLowerCase()}`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(id)) return id;
  throw new RangeError(`feed entry id must be a UUID or an absolute IRI: ${id}`);
}

function absoluteUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new RangeError(`feed links must be http(s) URLs: ${url}`);
  }

  return url;
}
