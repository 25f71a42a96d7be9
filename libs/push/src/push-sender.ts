import * as https from 'node:https';
import { isDomainError } from '@tocsin/common';
import ipaddr from 'ipaddr.js';
import * as webpush from 'web-push';
import type { EndpointPolicy } from './endpoint-policy';
import type { PushUrgency } from './push-delivery.entity';
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

/**
 * The adapter around `web-push`: encrypts (aes128gcm), signs VAPID, and sends over https
 * through an agent whose DNS lookup is the endpoint policy's, so the connection only ever
 * reaches an address that was checked at send time. VAPID tokens are cached per push
 * service origin instead of signed for every request.
 */
export class PushSender {
  private readonly agent: https.Agent;
  private readonly tokens = new Map<string, { authorization: string; renewAt: number }>();

  constructor(
    private readonly policy: EndpointPolicy,
    private readonly vapid: () => Promise<VapidKeys>,
    private readonly options: { concurrency: number; timeoutMs: number },
  ) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: options.concurrency,
      lookup: policy.lookup,
    });
  }

  async send(target: PushTarget, payload: string, headers: PushHeaders): Promise<SendOutcome> {
    try {
      const { url } = this.policy.checkUrl(target.endpoint);
      // A literal address never goes through DNS, so the agent's lookup would not see it.
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (ipaddr.isValid(host)) this.policy.checkAddresses(host, [host]);

      const result = await webpush.sendNotification(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        payload,
        {
          TTL: headers.ttlSeconds,
          urgency: headers.urgency,
          ...(headers.topic ? { topic: headers.topic } : {}),
          // null, not absent: web-push must not sign again; the cached header stands for it.
          vapidDetails: null as unknown as undefined,
          headers: { Authorization: await this.authorization(url.origin) },
          agent: this.agent,
          timeout: this.options.timeoutMs,
        },
      );

      return { kind: 'accepted', statusCode: result.statusCode };
    } catch (error) {
      return classify(error);
    }
  }

  close(): void {
    this.agent.destroy();
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

function classify(error: unknown): SendOutcome {
  if (isDomainError(error)) return { kind: 'rejected', statusCode: null, reason: error.code };
  if (!(error instanceof webpush.WebPushError)) {
    // No answer at all (refused, reset, timed out): the push service may be back soon.
    return { kind: 'retry', statusCode: null, reason: (error as Error).message ?? 'no answer' };
  }

  const statusCode = error.statusCode;
  if (statusCode === 404 || statusCode === 410) return { kind: 'gone', statusCode };
  if (statusCode === 429) {
    const retryAfterMs = parseRetryAfter(header(error.headers, 'retry-after'), Date.now());

    return {
      kind: 'retry',
      statusCode,
      reason: 'rate limited',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (statusCode >= 500) {
    const retryAfterMs = parseRetryAfter(header(error.headers, 'retry-after'), Date.now());

    return {
      kind: 'retry',
      statusCode,
      reason: 'push service error',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }

  return { kind: 'rejected', statusCode, reason: `push service answered ${statusCode}` };
}

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)[name];

  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);

  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
