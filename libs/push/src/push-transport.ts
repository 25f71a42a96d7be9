import { once } from 'node:events';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { Logger } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import type { EndpointPolicy } from './endpoint-policy';

/** What a push service answered: the status and the headers the worker reads. */
export interface PushAnswer {
  statusCode: number;
  retryAfter: string | undefined;
}

type Origin =
  | { protocol: 'h2'; session: http2.ClientHttp2Session; openedAt: number }
  | { protocol: 'http/1.1'; openedAt: number };

/**
 * A session is closed (gracefully) after this long, so that the name is resolved and checked
 * again, and an origin that answered HTTP/1.1 is probed again for h2.
 */
const ORIGIN_MAX_AGE_MS = 5 * 60 * 1000;
/** An idle HTTP/2 session is closed after this long. */
const IDLE_MS = 60 * 1000;

/**
 * Posts push messages: one HTTP/2 session per push-service origin, or keep-alive HTTP/1.1 when
 * the origin's TLS handshake does not choose h2 (ALPN). Every connection resolves its name
 * through the endpoint policy's `lookup`, so it only reaches an address that was checked when
 * it was opened; a refused address fails the send with the policy's DomainError.
 */
export class PushTransport {
  private readonly logger = new Logger(PushTransport.name);
  private readonly origins = new Map<string, Promise<Origin>>();
  private readonly agent: https.Agent;

  constructor(
    private readonly policy: EndpointPolicy,
    private readonly options: { concurrency: number; timeoutMs: number },
  ) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: options.concurrency,
      lookup: policy.lookup,
    });
  }

  async post(url: URL, headers: Record<string, string>, body: Buffer): Promise<PushAnswer> {
    const origin = await this.origin(url);
    if (origin.protocol === 'http/1.1') return this.postHttp1(url, headers, body);

    return this.postHttp2(origin.session, url, headers, body);
  }

  close(): void {
    for (const pending of this.origins.values()) {
      void pending.then((origin) => origin.protocol === 'h2' && origin.session.destroy(), noop);
    }
    this.origins.clear();
    this.agent.destroy();
  }

  /** The origin's open session or protocol verdict; opens one when none is fresh. */
  private async origin(url: URL): Promise<Origin> {
    const key = url.origin;
    const known = this.origins.get(key);
    if (known) {
      const origin = await known;
      if (Date.now() - origin.openedAt < ORIGIN_MAX_AGE_MS && usable(origin)) return origin;
      if (this.origins.get(key) === known) this.origins.delete(key);
      if (origin.protocol === 'h2') origin.session.close();
    }
    if (!this.origins.has(key)) {
      const opening = this.open(url);
      this.origins.set(key, opening);
      // A failed connection is not remembered: the next send tries (and checks) again.
      opening.catch(() => this.origins.get(key) === opening && this.origins.delete(key));
    }

    return this.origins.get(key)!;
  }

  /** Connects once with ALPN h2 and http/1.1, and keeps the socket only if h2 was chosen. */
  private async open(url: URL): Promise<Origin> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = tls.connect({
      host,
      port: url.port === '' ? 443 : Number(url.port),
      // SNI takes a name, never an address.
      ...(ipaddr.isValid(host) ? {} : { servername: host }),
      ALPNProtocols: ['h2', 'http/1.1'],
      lookup: this.policy.lookup,
    });
    const timer = setTimeout(
      () => socket.destroy(new Error('TLS connection timed out')),
      this.options.timeoutMs,
    );
    try {
      await once(socket, 'secureConnect');
    } finally {
      clearTimeout(timer);
    }
    if (socket.alpnProtocol !== 'h2') {
      socket.destroy();

      return { protocol: 'http/1.1', openedAt: Date.now() };
    }

    const session = http2.connect(url.origin, { createConnection: () => socket });
    session.setTimeout(IDLE_MS, () => session.close());
    session.on('error', (error) =>
      this.logger.warn({ origin: url.origin, reason: error.message }, 'push session error'),
    );
    session.on('close', () => this.forget(url.origin, session));
    session.on('goaway', () => this.forget(url.origin, session));

    return { protocol: 'h2', session, openedAt: Date.now() };
  }

  private forget(key: string, session: http2.ClientHttp2Session): void {
    const pending = this.origins.get(key);
    void pending?.then((origin) => {
      if (origin.protocol === 'h2' && origin.session === session) this.origins.delete(key);
    }, noop);
  }

  private postHttp2(
    session: http2.ClientHttp2Session,
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<PushAnswer> {
    return new Promise((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': `${url.pathname}${url.search}`,
        ...headers,
      });
      let answer: PushAnswer | undefined;
      stream.setTimeout(this.options.timeoutMs, () => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        reject(new Error('push service did not answer in time'));
      });
      stream.on('response', (response) => {
        answer = {
          statusCode: Number(response[':status']),
          retryAfter: first(response['retry-after']),
        };
      });
      stream.on('error', reject);
      stream.on('close', () =>
        answer ? resolve(answer) : reject(new Error('push stream closed without an answer')),
      );
      stream.resume();
      stream.end(body);
    });
  }

  private postHttp1(url: URL, headers: Record<string, string>, body: Buffer): Promise<PushAnswer> {
    return new Promise((resolve, reject) => {
      const request = https.request(url, {
        method: 'POST',
        agent: this.agent,
        timeout: this.options.timeoutMs,
        headers: { ...headers, 'content-length': String(body.length) },
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            retryAfter: first(response.headers['retry-after']),
          }),
        );
      });
      request.on('timeout', () =>
        request.destroy(new Error('push service did not answer in time')),
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

function usable(origin: Origin): boolean {
  return origin.protocol === 'http/1.1' || !(origin.session.closed || origin.session.destroyed);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function noop(): void {}
