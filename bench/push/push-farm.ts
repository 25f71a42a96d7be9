import { serve } from '../harness/child';
import { LocalPushService, type TestSubscription } from '../../test/support/push-service';

/**
 * The benchmark's push services, in a child process of their own so that their TLS and
 * aes128gcm decryption do not weigh on the sender being measured: origins 0 and 1 speak
 * HTTP/2 (and HTTP/1.1 by ALPN), origins 2 and 3 HTTP/1.1 only.
 */
const services: LocalPushService[] = [];

/** Which devices answer 410 (gone) or 429 (Retry-After: 0) to their first push. */
function seeded(index: number, goneEvery: number, limitedEvery: number): 410 | 429 | undefined {
  if (goneEvery > 0 && index % goneEvery === goneEvery - 1) return 410;
  if (limitedEvery > 0 && index % limitedEvery === limitedEvery - 2) return 429;

  return undefined;
}

serve({
  start: async () => {
    for (const http2 of [true, true, false, false]) {
      services.push(await LocalPushService.start({ http2 }));
    }

    return services.map((service) => ({ origin: service.origin, host: service.host }));
  },

  /** `count` new devices, round robin over the origins, with seeded 410 and 429 answers. */
  subscribe: (args: { count: number; goneEvery: number; limitedEvery: number }) => {
    const subscriptions: Array<Omit<TestSubscription, 'path'>> = [];
    for (let index = 0; index < args.count; index += 1) {
      const service = services[index % services.length];
      const subscription = service.subscribe();
      const status = seeded(index, args.goneEvery, args.limitedEvery);
      if (status) service.script(subscription, { status, retryAfter: '0' });
      subscriptions.push({ endpoint: subscription.endpoint, keys: subscription.keys });
    }

    return subscriptions;
  },

  /** What the services saw since the last call: requests, answers by status, problems. */
  collect: () => {
    const all = services.flatMap((service) => service.received);
    const statuses: Record<string, number> = {};
    for (const push of all) statuses[push.status] = (statuses[push.status] ?? 0) + 1;
    const problems = all.filter((push) => push.problem !== undefined).map((push) => push.problem);
    const decrypted = all.filter((push) => push.plaintext !== undefined).length;
    for (const service of services) service.clearReceived();

    return { requests: all.length, decrypted, statuses, problems: problems.slice(0, 5) };
  },

  close: async () => {
    await Promise.all(services.map((service) => service.close()));
  },
});
