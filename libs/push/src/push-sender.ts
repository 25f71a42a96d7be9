import { isDomainError } from '@tocsin/common';
import ipaddr from 'ipaddr.js';
import * as webpush from 'web-push';
import { encryptPush, type ReceiverKeys } from './ece';
import type { EndpointPolicy } from './endpoint-policy';
import type { PushUrgency } from './push-delivery.entity';
import { PushTransport, type PushAnswer } from './push-transport';
import type { VapidKeys } from './vapid-keys.service';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushHeaders {
  ttlSeconds: number;
  urgency: PushUrgency;
  topic: string | null;
}

/** What a push service answered, reduced to what the worker must do next. */
export type SendOutcome =
  | { kind: 'accepted'; statusCode: number }
  | { kind: 'gone'; statusCode: number }
  | { kind: 'retry'; statusCode: number | null; retryAfterMs?: number; reason: string }
  | { kind: 'rejected'; statusCode: number | null; reason: string };

/** A VAPID token lives 12 hours and is renewed an hour before it ends (the limit is 24 h). */
const VAPID_TOKEN_SECONDS = 12 * 3600;
const VAPID_RENEW_MS = 3600 * 1000;
/** Decoded subscription keys kept; the oldest goes first when full. */
const KEY_CACHE_SIZE = 50_000;

/**
 * Sends one push: checks the endpoint against the policy, encrypts (aes128gcm, see ece.ts),
 * and posts it through {@link PushTransport} (one HTTP/2 session per push service, HTTP/1.1
 * otherwise, connections pinned to the addresses the policy checked). VAPID Authorization is
 * cached per origin and subscription keys are decoded once.
 */
export class PushSender {
  private readonly transport: PushTransport;
  private readonly tokens = new Map<string, { authorization: string; renewAt: number }>();
  private readonly keys = new Map<string, ReceiverKeys>();

  constructor(
    private readonly policy: EndpointPolicy,
    private readonly vapid: () => Promise<VapidKeys>,
    options: { concurrency: number; timeoutMs: number },
  ) {
    this.transport = new PushTransport(policy, options);
  }

  async send(target: PushTarget, payload: string, headers: PushHeaders): Promise<SendOutcome> {
    try {
      const { url } = this.policy.checkUrl(target.endpoint);
      // A literal address never goes through DNS, so the connection's lookup would not see it.
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (ipaddr.isValid(host)) this.policy.checkAddresses(host, [host]);

      const body = encryptPush(this.receiverKeys(target), Buffer.from(payload));
      const answer = await this.transport.post(
        url,
        {
          authorization: await this.authorization(url.origin),
          'content-encoding': 'aes128gcm',
          'content-type': 'application/octet-stream',
          ttl: String(headers.ttlSeconds),
          urgency: headers.urgency,
          ...(headers.topic ? { topic: headers.topic } : {}),
        },
        body,
      );

      return classifyAnswer(answer);
    } catch (error) {
      return classifyError(error);
    }
  }

  close(): void {
    this.transport.close();
  }

  /** The subscription's keys as bytes; they were checked when the subscription was stored. */
  private receiverKeys(target: PushTarget): ReceiverKeys {
    const id = `${target.p256dh}.${target.auth}`;
    let keys = this.keys.get(id);
    if (!keys) {
      keys = {
        p256dh: Buffer.from(target.p256dh, 'base64url'),
        auth: Buffer.from(target.auth, 'base64url'),
      };
      if (this.keys.size >= KEY_CACHE_SIZE) this.keys.delete(this.keys.keys().next().value!);
      this.keys.set(id, keys);
    }

    return keys;
  }

  private async authorization(audience: string): Promise<string> {
    const cached = this.tokens.get(audience);
    if (cached && cached.renewAt > Date.now()) return cached.authorization;

    const keys = await this.vapid();
    const expiresAt = Math.floor(Date.now() / 1000) + VAPID_TOKEN_SECONDS;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      keys.subject,
      keys.publicKey,
      keys.privateKey,
      'aes128gcm',
      expiresAt,
    ) as { Authorization: string };
    this.tokens.set(audience, {
      authorization: Authorization,
      renewAt: expiresAt * 1000 - VAPID_RENEW_MS,
    });

    return Authorization;
  }
}

function classifyError(error: unknown): SendOutcome {
  if (isDomainError(error)) return { kind: 'rejected', statusCode: null, reason: error.code };

  // No answer at all (refused, reset, timed out): the push service may be back soon.
  return { kind: 'retry', statusCode: null, reason: (error as Error).message ?? 'no answer' };
}

function classifyAnswer({ statusCode, retryAfter }: PushAnswer): SendOutcome {
  if (statusCode >= 200 && statusCode < 300) return { kind: 'accepted', statusCode };
  if (statusCode === 404 || statusCode === 410) return { kind: 'gone', statusCode };
  const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
  const wait = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (statusCode === 429) return { kind: 'retry', statusCode, reason: 'rate limited', ...wait };
  if (statusCode >= 500) {
    return { kind: 'retry', statusCode, reason: 'push service error', ...wait };
  }

  return { kind: 'rejected', statusCode, reason: `push service answered ${statusCode}` };
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);

  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
