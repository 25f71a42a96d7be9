import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import * as ece from 'http_ece';
import { request } from './test-app';

/** A browser-side subscription: what the browser would send, plus its private key. */
export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  path: string;
}

export interface ReceivedPush {
  path: string;
  at: number;
  ttl: string | undefined;
  urgency: string | undefined;
  topic: string | undefined;
  /** The decrypted body, or undefined when it could not be decrypted. */
  plaintext: string | undefined;
  encryptedBytes: number;
  /** '2.0' or '1.1'. */
  httpVersion: string;
  vapid: { sub?: string; aud?: string; exp?: number; k?: string };
  /** Why the request was refused before any scripted answer (VAPID or decryption). */
  problem: string | undefined;
  status: number;
}

export interface ScriptedAnswer {
  status: number;
  retryAfter?: string;
}

export interface PushServiceOptions {
  /** Only accepts VAPID from this public key when set. */
  expectedVapidKey?: string;
  /** Speaks HTTP/2 (and HTTP/1.1 through ALPN) instead of HTTP/1.1 only. */
  http2?: boolean;
}

type Request = IncomingMessage | http2.Http2ServerRequest;
type Response = ServerResponse | http2.Http2ServerResponse;

interface Device {
  ecdh: ECDH;
  auth: Buffer;
  answers: ScriptedAnswer[];
}

/**
 * A Web Push service on https://127.0.0.1 for tests. It does what FCM or Mozilla's service
 * does with a request: checks the VAPID Authorization (ES256 signature against `k`, audience
 * = its origin, expiry in the future and within 24 h, a subject), decrypts the aes128gcm body
 * with the subscription's private key, records headers and plaintext, then answers with the
 * statuses scripted for that endpoint (201 when none is left; 404 for an unknown endpoint).
 * The certificate is the one the vitest global setup made trusted (NODE_EXTRA_CA_CERTS).
 * With `http2` it answers HTTP/2 and, for clients that do not offer h2, HTTP/1.1.
 */
export class LocalPushService {
  readonly received: ReceivedPush[] = [];
  private readonly devices = new Map<string, Device>();
  private server!: https.Server | http2.Http2SecureServer;
  private readonly sockets = new Set<Socket>();
  /** Verified Authorization headers and their claims: a real service would not verify twice. */
  private readonly verified = new Map<string, ReceivedPush['vapid']>();
  origin = '';
  /** TLS connections accepted so far. */
  connections = 0;

  constructor(private readonly options: PushServiceOptions = {}) {}

  static async start(options: PushServiceOptions = {}): Promise<LocalPushService> {
    const service = new LocalPushService(options);
    await service.listen();

    return service;
  }

  get host(): string {
    return new URL(this.origin).host;
  }

  /** A new device: an ECDH P-256 key pair and 16 random auth bytes, as a browser makes. */
  subscribe(): TestSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const devicePath = `/push/${randomBytes(12).toString('base64url')}`;
    this.devices.set(devicePath, { ecdh, auth, answers: [] });

    return {
      endpoint: `${this.origin}${devicePath}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      path: devicePath,
    };
  }

  /** The next answers for this endpoint, in order. */
  script(subscription: TestSubscription, ...answers: ScriptedAnswer[]): void {
    this.device(subscription).answers.push(...answers);
  }

  pushesTo(subscription: TestSubscription): ReceivedPush[] {
    return this.received.filter((push) => push.path === subscription.path);
  }

  async waitFor(subscription: TestSubscription, count: number, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (this.pushesTo(subscription).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} pushes, got ${this.pushesTo(subscription).length}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    return this.pushesTo(subscription);
  }

  /** Forgets what was received (a benchmark's next round). */
  clearReceived(): void {
    this.received.length = 0;
  }

  /** Cuts every open connection, as a push service restarting or balancing load would. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private device(subscription: TestSubscription): Device {
    const device = this.devices.get(subscription.path);
    if (!device) throw new Error('not a subscription of this push service');

    return device;
  }

  private async listen(): Promise<void> {
    const dir = process.env.TOCSIN_TEST_PUSH_TLS_DIR;
    if (!dir) throw new Error('the push TLS global setup did not run (see vitest.config.ts)');
    const tls = {
      cert: readFileSync(path.join(dir, 'cert.pem')),
      key: readFileSync(path.join(dir, 'key.pem')),
    };
    const onRequest = (request: Request, response: Response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const answer = this.handle(request, Buffer.concat(chunks));
        response.writeHead(
          answer.status,
          answer.retryAfter ? { 'retry-after': answer.retryAfter } : {},
        );
        response.end();
      });
    };
    this.server = this.options.http2
      ? http2.createSecureServer({ ...tls, allowHTTP1: true }, onRequest)
      : https.createServer(tls, onRequest);
    this.server.on('secureConnection', (socket: Socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private handle(request: Request, body: Buffer) {
    const requestPath = String(request.url);
    const record: ReceivedPush = {
      path: requestPath,
      at: Date.now(),
      ttl: one(request.headers.ttl),
      urgency: one(request.headers.urgency),
      topic: one(request.headers.topic),
      plaintext: undefined,
      encryptedBytes: body.length,
      httpVersion: request.httpVersion,
      vapid: {},
      problem: undefined,
      status: 0,
    };
    this.received.push(record);
    const device = this.devices.get(requestPath);
    const answer = (status: number, problem?: string, retryAfter?: string) => {
      record.status = status;
      record.problem = problem;

      return { status, retryAfter };
    };

    if (request.method !== 'POST') return answer(405, 'not POST');
    const vapidProblem = this.checkVapid(String(request.headers.authorization ?? ''), record);
    if (vapidProblem) return answer(403, vapidProblem);
    if (!device) return answer(404, 'unknown endpoint');
    if (request.headers['content-encoding'] !== 'aes128gcm') {
      return answer(415, 'not aes128gcm');
    }
    try {
      record.plaintext = ece
        .decrypt(body, { version: 'aes128gcm', privateKey: device.ecdh, authSecret: device.auth })
        .toString('utf8');
    } catch (error) {
      return answer(400, `cannot decrypt: ${(error as Error).message}`);
    }

    const scripted = device.answers.shift() ?? { status: 201 };

    return answer(scripted.status, undefined, scripted.retryAfter);
  }

  /** Returns what is wrong with the VAPID Authorization header, or undefined. */
  private checkVapid(authorization: string, record: ReceivedPush): string | undefined {
    const known = this.verified.get(authorization);
    if (known && (known.exp ?? 0) > Date.now() / 1000) {
      record.vapid = known;

      return undefined;
    }
    const problem = this.verifyVapid(authorization, record);
    if (!problem) this.verified.set(authorization, record.vapid);

    return problem;
  }

  private verifyVapid(authorization: string, record: ReceivedPush): string | undefined {
    const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
    if (!match) return 'no vapid authorization';
    const [, token, k] = match;
    record.vapid.k = k;
    if (this.options.expectedVapidKey && k !== this.options.expectedVapidKey) {
      return 'unexpected vapid key';
    }

    const parts = token.split('.');
    if (parts.length !== 3) return 'malformed jwt';
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString()) as { alg?: string };
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as {
      aud?: string;
      exp?: number;
      sub?: string;
    };
    record.vapid = { ...record.vapid, ...claims };
    if (header.alg !== 'ES256') return 'jwt alg is not ES256';

    const point = Buffer.from(k, 'base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33, 65).toString('base64url'),
      },
      format: 'jwk',
    });
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2], 'base64url');
    if (!verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
      return 'bad jwt signature';
    }

    const now = Math.floor(Date.now() / 1000);
    if (claims.aud !== this.origin) return `jwt aud ${claims.aud} is not ${this.origin}`;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return 'jwt expired';
    if (claims.exp > now + 24 * 3600) return 'jwt exp more than 24 h ahead';
    if (!claims.sub || !/^(mailto:|https:)/.test(claims.sub)) return 'jwt sub missing';

    return undefined;
  }
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A new device of the user at this push service, registered with the API. */
export async function registerDevice(
  url: string,
  token: string,
  service: LocalPushService,
): Promise<TestSubscription> {
  const device = service.subscribe();
  const subscribed = await request(`${url}/api/push/subscriptions`, {
    method: 'POST',
    token,
    body: { endpoint: device.endpoint, keys: device.keys },
  });
  if (subscribed.status !== 201) throw new Error(`device not registered: ${subscribed.status}`);

  return device;
}
