import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

type Header = [name: string, value: string];

/**
 * Helmet's headers (Content-Security-Policy and the rest) for options without per-request
 * parts such as nonces: Helmet computes them once here, and each response gets the same list
 * set in one loop instead of a dozen middleware calls that rebuild the policy every time.
 */
export function securityHeaders(options: HelmetOptions) {
  const headers = helmetHeaderSet(options);

  return (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** Runs Helmet once against a response that only records what it sets. */
export function helmetHeaderSet(options: HelmetOptions): Header[] {
  refusePerRequestDirectives(options);
  const headers: Header[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number) => headers.push([name, String(value)]),
    // Helmet removes X-Powered-By; Express is told not to send it at all (configureHttp).
    removeHeader: () => undefined,
  };
  let finished = false;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
      finished = true;
    },
  );
  if (!finished) throw new Error('helmet did not set its headers synchronously');

  return headers;
}

/** A directive computed per request (a nonce, say) cannot be computed once. */
function refusePerRequestDirectives(options: HelmetOptions): void {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  const values = directives.flatMap((value) => (Array.isArray(value) ? value : [value]));
  if (values.some((value) => typeof value === 'function')) {
    throw new Error('security headers are computed once: no per-request CSP directives');
  }
}
