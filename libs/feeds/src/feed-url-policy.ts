import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import * as os from 'node:os';
import { DomainError } from '@tocsin/common';
import ipaddr from 'ipaddr.js';

/** Longest feed or CAP link URL accepted. */
export const MAX_FEED_URL_LENGTH = 2048;

export type FeedResolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: FeedResolver = (hostname) =>
  dns.lookup(hostname, { all: true, verbatim: true });

/**
 * Where the server may fetch feeds from, after libs/push's endpoint policy: https only, and
 * only hosts whose every address is public unicast and not one of this machine's own. Hosts
 * the operator lists in FEED_ALLOWED_HOSTS (`host` or `host:port`) may also use http and
 * private addresses (a feed on the agency's network, a local server in tests). The address
 * checked is the one connected to: {@link lookup} pins each connection (no DNS rebinding).
 */
export class FeedUrlPolicy {
  private readonly allowed: { host: string; port: number | undefined }[];
  private readonly ownAddresses: Set<string>;

  constructor(
    allowedHosts: string[],
    private readonly resolve: FeedResolver = systemResolver,
  ) {
    this.allowed = allowedHosts.map(parseAllowed);
    this.ownAddresses = new Set(
      Object.values(os.networkInterfaces())
        .flat()
        .map((info) => info?.address)
        .filter((address): address is string => Boolean(address))
        .map((address) => ipaddr.process(address).toString()),
    );
  }

  /** Checks a URL without DNS: a URL, https (or an allowed host), no credentials. */
  checkUrl(text: string): URL {
    if (typeof text !== 'string' || text.length > MAX_FEED_URL_LENGTH) {
      refuse('url_invalid', `a feed URL must have at most ${MAX_FEED_URL_LENGTH} characters`);
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      refuse('url_invalid', 'the feed URL is not a URL');
    }
    if (url.username || url.password) refuse('url_invalid', 'the feed URL carries credentials');
    const listed = this.isListed(url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && listed)) {
      refuse('url_not_https', 'feeds are fetched over https (http only for FEED_ALLOWED_HOSTS)');
    }

    return url;
  }

  /** Full check, DNS included; throws DomainError('invalid', 'feed.*'). */
  async check(text: string): Promise<URL> {
    const url = this.checkUrl(text);
    if (this.isListed(url)) return url;
    const host = bareHost(url);
    const addresses = ipaddr.isValid(host)
      ? [host]
      : await this.resolve(host).then(
          (found) => found.map((entry) => entry.address),
          () => refuse('url_unresolvable', `the feed host ${host} does not resolve`),
        );
    this.checkAddresses(host, addresses);

    return url;
  }

  /** Whether the URL's host (and port, when the entry names one) is listed by the operator. */
  isListed(url: URL): boolean {
    const host = normalizeHost(bareHost(url));
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));

    return this.allowed.some(
      (entry) => entry.host === host && (!entry.port || entry.port === port),
    );
  }

  /** A `lookup` for http(s).request that connects only to addresses it checked. */
  lookupFor(url: URL): LookupFunction {
    const listed = this.isListed(url);

    return (hostname, options, callback) => {
      this.resolve(hostname)
        .then((found) => {
          if (!listed) {
            this.checkAddresses(
              hostname,
              found.map((entry) => entry.address),
            );
          }
          if (options.all) callback(null, found);
          else callback(null, found[0]!.address, found[0]!.family);
        })
        .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
    };
  }

  private checkAddresses(host: string, addresses: string[]): void {
    if (addresses.length === 0) refuse('url_unresolvable', `the feed host ${host} has no address`);
    for (const address of addresses) {
      const parsed = ipaddr.process(address);
      if (parsed.range() !== 'unicast' || this.ownAddresses.has(parsed.toString())) {
        refuse('url_address_refused', `the feed host ${host} is a private or local address`);
      }
    }
  }
}

function refuse(code: string, message: string): never {
  throw new DomainError('invalid', `feed.${code}`, message);
}

function parseAllowed(entry: string): { host: string; port: number | undefined } {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(entry.trim());
  if (!match) throw new Error(`FEED_ALLOWED_HOSTS: cannot read "${entry}" (host or host:port)`);

  return {
    host: normalizeHost(match[1]!.replace(/^\[|\]$/g, '')),
    port: match[2] ? Number(match[2]) : undefined,
  };
}

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

function normalizeHost(host: string): string {
  return ipaddr.isValid(host) ? ipaddr.process(host).toString() : host.toLowerCase();
}
