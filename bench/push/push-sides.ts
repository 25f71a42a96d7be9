import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as webpush from 'web-push';
import { encryptPush } from '@tocsin/push';

/** A subscription as the farm hands it out (what a browser would send). */
export interface BenchSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface SideOptions {
  concurrency: number;
  payload: string;
  vapid: { subject: string; publicKey: string; privateKey: string };
}

/**
 * Runs `send` for every subscription with `concurrency` loops; a 429 or a lost connection (a
 * keep-alive socket the service closed) is tried again, as any sender would, up to 3 times.
 */
async function pool(
  subscriptions: BenchSubscription[],
  concurrency: number,
  send: (subscription: BenchSubscription) => Promise<number>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < subscriptions.length) {
        const subscription = subscriptions[next++];
        for (let attempt = 1; ; attempt += 1) {
          const status = await send(subscription).catch((error: unknown) => {
            if (attempt >= 3) throw error;

            return 0;
          });
          if ((status !== 429 && status !== 0) || attempt >= 3) break;
        }
      }
    }),
  );
}

/** The bare library: web-push's sendNotification per message, signing and encrypting each. */
export async function bareWebPush(subscriptions: BenchSubscription[], options: SideOptions) {
  // Its own keep-alive agent per round, as the floor has: no socket left idle between rounds.
  const agent = new https.Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    await bareLoop(subscriptions, options, agent);
  } finally {
    agent.destroy();
  }
}

async function bareLoop(
  subscriptions: BenchSubscription[],
  options: SideOptions,
  agent: https.Agent,
) {
  await pool(subscriptions, options.concurrency, async (subscription) => {
    try {
      const result = await webpush.sendNotification(subscription, options.payload, {
        TTL: 3600,
        urgency: 'high',
        topic: 'bench',
        vapidDetails: options.vapid,
        agent,
      });

      return result.statusCode;
    } catch (error) {
      if (error instanceof webpush.WebPushError) return error.statusCode;
      throw error;
    }
  });
}

/**
 * The floor: VAPID signed once per origin, aes128gcm with node:crypto, one HTTP/2 session per
 * origin that speaks it (keep-alive HTTP/1.1 otherwise), no queue, no records.
 */
export async function rawFloor(
  subscriptions: BenchSubscription[],
  options: SideOptions & { http2Origins: Set<string> },
) {
  const sessions = new Map<string, http2.ClientHttp2Session>();
  const agent = new https.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const authorizations = new Map<string, string>();
  const plaintext = Buffer.from(options.payload);
  const authorization = (origin: string) => {
    let header = authorizations.get(origin);
    if (!header) {
      const { subject, publicKey, privateKey } = options.vapid;
      header = webpush.getVapidHeaders(origin, subject, publicKey, privateKey, 'aes128gcm')
        .Authorization as string;
      authorizations.set(origin, header);
    }

    return header;
  };

  try {
    await pool(subscriptions, options.concurrency, (subscription) => {
      const url = new URL(subscription.endpoint);
      const body = encryptPush(
        {
          p256dh: Buffer.from(subscription.keys.p256dh, 'base64url'),
          auth: Buffer.from(subscription.keys.auth, 'base64url'),
        },
        plaintext,
      );
      const headers = {
        authorization: authorization(url.origin),
        'content-encoding': 'aes128gcm',
        'content-type': 'application/octet-stream',
        ttl: '3600',
        urgency: 'high',
        topic: 'bench',
      };
      if (!options.http2Origins.has(url.origin)) return postHttp1(agent, url, headers, body);
      let session = sessions.get(url.origin);
      if (!session) {
        session = http2.connect(url.origin);
        sessions.set(url.origin, session);
      }

      return postHttp2(session, url, headers, body);
    });
  } finally {
    for (const session of sessions.values()) session.close();
    agent.destroy();
  }
}

function postHttp2(
  session: http2.ClientHttp2Session,
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': url.pathname, ...headers });
    let status = 0;
    stream.on('response', (response) => (status = Number(response[':status'])));
    stream.on('error', reject);
    stream.on('close', () => resolve(status));
    stream.resume();
    stream.end(body);
  });
}

function postHttp1(
  agent: https.Agent,
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': body.length },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** What a baseline sender is handed, in this process or over IPC (hence plain arrays). */
export interface BaselineSend {
  subscriptions: BenchSubscription[];
  options: SideOptions;
  http2Origins: string[];
}

/** Runs one baseline: the bare `web-push` library or the raw floor. */
export function sendBaseline(side: 'bare' | 'floor', send: BaselineSend): Promise<void> {
  if (side === 'bare') return bareWebPush(send.subscriptions, send.options);

  return rawFloor(send.subscriptions, {
    ...send.options,
    http2Origins: new Set(send.http2Origins),
  });
}
