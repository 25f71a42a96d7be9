/**
 * The pure rules about sites and pages: what counts as an origin, and which links a
 * representative may push. Everything is compared after the WHATWG URL parser normalised it,
 * so `HTTPS://Example.org:443/a/../b` and `https://example.org/b` are the same page.
 */

/** The canonical origin (`https://host[:port]`), or undefined for anything else. */
export function parseOrigin(value: string): string | undefined {
  const url = tryUrl(value);
  if (!url || !isWeb(url) || url.username || url.password) return undefined;
  // An origin is only scheme, host and port: any path, query or fragment makes it a URL.
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(value)) return undefined;

  return url.origin;
}

/** A push prefix in canonical form, or undefined when it is not an absolute web URL. */
export function parsePrefix(value: string): string | undefined {
  const url = tryUrl(value);
  if (!url || !isWeb(url) || url.username || url.password || url.hash) return undefined;

  return url.href;
}

/**
 * Whether `link` lies under one of the prefixes. A prefix ending in `/` covers everything
 * below it; any other covers itself and what follows after `/`, `?` or `#`, so
 * `https://a.org/help` does not admit `https://a.org/helpdesk-lookalike`.
 */
export function isAllowedPushUrl(link: string, prefixes: string[]): string | undefined {
  const url = tryUrl(link);
  if (!url || !isWeb(url) || url.username || url.password) return undefined;
  const href = url.href;
  const allowed = prefixes.some((prefix) => {
    if (!href.startsWith(prefix)) return false;
    if (prefix.endsWith('/') || href.length === prefix.length) return true;

    return ['/', '?', '#'].includes(href[prefix.length]);
  });

  return allowed ? href : undefined;
}

function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isWeb(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'http:';
}
