import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import * as os from 'node:os';
import { DomainError } from '@tocsin/common';
import ipaddr from 'ipaddr.js';

/**
 * Hosts of the push services browsers use, checked against their endpoints:
 * Chrome and other Chromium browsers `https://fcm.googleapis.com/fcm/send/…` (and `/wp/…`),
 * Firefox `https://updates.push.services.mozilla.com/wpush/v2/…` (push.services.mozilla.com is
 * its older name), Safari `https://web.push.apple.com/…` (any `*.push.apple.com`), and Edge
 * `https://<region>.notify.windows.com/w/?token=…`. All on port 443.
 */
export const WELL_KNOWN_PUSH_HOSTS = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  'push.services.mozilla.com',
  '*.push.apple.com',
  '*.notify.windows.com',
];

/** Longest endpoint accepted; real ones are a few hundred characters. */
export const MAX_ENDPOINT_LENGTH = 2048;

export interface HostRule {
  /** Lower case; an IPv6 literal without brackets; for a wildcard, the suffix after `*.`. */
  host: string;
  wildcard: boolean;
  port: number;
  /** Listed by the operator by its exact name: its addresses may be private. */
  explicit: boolean;
}

/** Finds the addresses of a host name, as the operating system would. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  dns.lookup(hostname, { all: true, verbatim: true });

/** Parses `host`, `host:port`, `*.suffix`, `[v6]:port`; operator entries are explicit. */
export function parseHostRule(entry: string, fromOperator: boolean): HostRule {
  const text = entry.trim().toLowerCase();
  const match = /^(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[3] === undefined ? 443 : Number(match[3]);
  if (!match || port < 1 || port > 65535) {
    throw new Error(`PUSH_ALLOWED_HOSTS: cannot read "${entry}" (expected host, host:port)`);
  }
  const wildcard = match[1] !== undefined;

  return {
    host: normalizeHost(match[2].replace(/^\[|\]$/g, '')),
    wildcard,
    port,
    explicit: fromOperator && !wildcard,
  };
}

/** The operator's list when given (it replaces the defaults), the well-known services otherwise. */
export function hostRules(allowedHosts: string[]): HostRule[] {
  return allowedHosts.length > 0
    ? allowedHosts.map((entry) => parseHostRule(entry, true))
    : WELL_KNOWN_PUSH_HOSTS.map((entry) => parseHostRule(entry, false));
}

function refuse(code: string, message: string): never {
  throw new DomainError('invalid', `push.${code}`, message);
}

/**
 * Decides whether the server may send to a push endpoint. Checked when a subscription is
 * stored and again for every send, where {@link lookup} pins the connection to the addresses
 * it checked, so a name that later resolves elsewhere (DNS rebinding) is refused.
 */
export class EndpointPolicy {
  private readonly ownAddresses: Set<string>;

  constructor(
    private readonly rules: HostRule[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.ownAddresses = new Set(
      Object.values(os.networkInterfaces())
        .flat()
        .map((info) => info?.address)
        .filter((address): address is string => Boolean(address))
        .map((address) => normalize(address)),
    );
  }

  /** Full check of an endpoint, DNS included; throws DomainError('invalid', …). */
  async check(endpoint: string): Promise<URL> {
    const { url, rule } = this.checkUrl(endpoint);
    if (rule.explicit) return url;

    const hostname = bareHost(url);
    if (ipaddr.isValid(hostname)) {
      this.checkAddresses(hostname, [hostname]);

      return url;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolve(hostname);
    } catch {
      refuse('endpoint_unresolvable', `the push endpoint host ${hostname} does not resolve`);
    }
    this.checkAddresses(
      hostname,
      addresses.map((entry) => entry.address),
    );

    return url;
  }

  /** The checks that need no DNS: a URL, https, an allowed host and port. */
  checkUrl(endpoint: string): { url: URL; rule: HostRule } {
    if (typeof endpoint !== 'string' || endpoint.length > MAX_ENDPOINT_LENGTH) {
      refuse(
        'endpoint_invalid',
        `the push endpoint must be a URL of at most ${MAX_ENDPOINT_LENGTH} characters`,
      );
    }
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      refuse('endpoint_invalid', 'the push endpoint is not a URL');
    }
    if (url.protocol !== 'https:') {
      refuse('endpoint_not_https', 'the push endpoint must use https');
    }
    if (url.username || url.password) {
      refuse('endpoint_invalid', 'the push endpoint must not carry credentials');
    }

    const hostname = bareHost(url);
    const port = url.port === '' ? 443 : Number(url.port);
    const rule = this.rules.find((candidate) => matches(candidate, hostname, port));
    if (!rule) {
      refuse(
        'endpoint_host_not_allowed',
        `the push endpoint host ${url.host} is not a known push service (see PUSH_ALLOWED_HOSTS)`,
      );
    }

    return { url, rule };
  }

  /** Refuses any address that is not public unicast, or is one of this machine's own. */
  checkAddresses(hostname: string, addresses: string[]): void {
    if (this.isExplicit(hostname)) return;
    if (addresses.length === 0) {
      refuse('endpoint_unresolvable', `the push endpoint host ${hostname} has no address`);
    }
    for (const address of addresses) {
      const parsed = ipaddr.process(address);
      if (parsed.range() !== 'unicast' || this.ownAddresses.has(parsed.toString())) {
        refuse(
          'endpoint_address_refused',
          `the push endpoint host ${hostname} resolves to a private or local address`,
        );
      }
    }
  }

  /** A `lookup` for an https.Agent: resolves, checks, and connects only to what it checked. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname)
      .then((found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = found.filter((entry) => !family || entry.family === family);
        this.checkAddresses(
          hostname,
          addresses.map((entry) => entry.address),
        );
        if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };

  private isExplicit(hostname: string): boolean {
    const host = normalizeHost(hostname);

    return this.rules.some((rule) => rule.explicit && rule.host === host);
  }
}

function matches(rule: HostRule, hostname: string, port: number): boolean {
  if (rule.port !== port) return false;
  const host = normalizeHost(hostname);
  if (!rule.wildcard) return rule.host === host;

  return host.endsWith(`.${rule.host}`) && host.length > rule.host.length + 1;
}

/** The URL's host without IPv6 brackets or a trailing dot. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** One spelling per host: IP literals in their canonical form, names in lower case. */
function normalizeHost(host: string): string {
  return ipaddr.isValid(host) ? normalize(host) : host.toLowerCase().replace(/\.$/, '');
}

function normalize(address: string): string {
  return ipaddr.process(address).toString();
}
