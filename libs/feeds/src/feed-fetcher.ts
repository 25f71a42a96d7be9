import * as http from 'node:http';
import * as https from 'node:https';
import type { FeedUrlPolicy } from './feed-url-policy';

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  maxBytes: number;
}

export type FetchResult =
  { status: 304 } | { status: 200; body: Buffer; etag: string | null; lastModified: string | null };

/** A fetch that failed: the status when the server answered, and a reason safe to show. */
export class FeedFetchError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'FeedFetchError';
  }
}

const MAX_REDIRECTS = 3;

/**
 * GETs a feed or a CAP document through the URL policy: conditional (If-None-Match,
 * If-Modified-Since), at most `maxBytes`, within `timeoutMs` overall, following at most three
 * redirects, each checked again. Anything but 200 or 304 is a FeedFetchError.
 */
export async function fetchFeed(
  policy: FeedUrlPolicy,
  target: string,
  options: FetchOptions,
): Promise<FetchResult> {
  let url = await policy.check(target);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const answer = await get(policy, url, options);
    if (answer.kind === 'redirect') {
      url = await policy.check(new URL(answer.location, url).toString());
      continue;
    }

    return answer.result;
  }
  throw new FeedFetchError(`more than ${MAX_REDIRECTS} redirects`, null);
}

type Answer = { kind: 'redirect'; location: string } | { kind: 'done'; result: FetchResult };

function get(policy: FeedUrlPolicy, url: URL, options: FetchOptions): Promise<Answer> {
  const headers: Record<string, string> = {
    accept: 'application/cap+xml, application/atom+xml, application/rss+xml, application/xml',
    'user-agent': 'Tocsin feed poller',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const client = url.protocol === 'https:' ? https : http;

  return new Promise<Answer>((resolve, reject) => {
    const request = client.get(
      url,
      { headers, lookup: policy.lookupFor(url), signal: AbortSignal.timeout(options.timeoutMs) },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && status !== 304 && location) {
          response.resume();
          resolve({ kind: 'redirect', location });

          return;
        }
        if (status === 304) {
          response.resume();
          resolve({ kind: 'done', result: { status: 304 } });

          return;
        }
        if (status !== 200) {
          response.resume();
          reject(new FeedFetchError(`the server answered ${status}`, status));

          return;
        }
        const declared = Number(response.headers['content-length'] ?? 0);
        if (declared > options.maxBytes) {
          response.destroy();
          reject(new FeedFetchError(`the document has ${declared} bytes, over the limit`, 200));

          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            response.destroy();
            reject(new FeedFetchError(`the document is over ${options.maxBytes} bytes`, 200));

            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) => reject(new FeedFetchError(error.message, null)));
        response.on('end', () =>
          resolve({
            kind: 'done',
            result: {
              status: 200,
              body: Buffer.concat(chunks),
              etag: header(response.headers.etag),
              lastModified: header(response.headers['last-modified']),
            },
          }),
        );
      },
    );
    request.on('error', (error) => reject(new FeedFetchError(error.message, null)));
  });
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
