import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as webpush from 'web-push';
import { LocalPushService } from '../../test/support/push-service';
import setupPushTls from '../../test/support/push-tls.global-setup';
import { startPushTestApp } from '../../test/push/push-test-app';

/**
 * Sends per second through Tocsin's push path (PushService.notifyUsers → delivery rows → job
 * queue → PushWorker → web-push over the guarded agent → result recorded in PostgreSQL)
 * against a bare loop of web-push sendNotification to the same local HTTPS push service, at
 * the same concurrency, in the same run. Loopback only; bounded by BENCH_PUSHES.
 */
const PUSHES = Math.min(20_000, Number(process.env.BENCH_PUSHES ?? 2000));
const DEVICES = Math.min(PUSHES, 200);
const CONCURRENCY = Number(process.env.PUSH_CONCURRENCY ?? 16);
const PAYLOAD = JSON.stringify({
  v: 1,
  kind: 'alert',
  id: randomUUID(),
  severity: 'Severe',
  headline: 'Benchmark alert',
  body: 'x'.repeat(200),
  url: '/alerts/x',
});

async function bareLoop(service: LocalPushService): Promise<number> {
  const vapid = webpush.generateVAPIDKeys();
  const devices = Array.from({ length: DEVICES }, () => service.subscribe());
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < PUSHES) {
        const device = devices[next++ % DEVICES];
        await webpush.sendNotification(device, PAYLOAD, {
          TTL: 3600,
          urgency: 'high',
          topic: 'bench',
          vapidDetails: { subject: 'mailto:bench@tocsin.invalid', ...vapid },
        });
      }
    }),
  );

  return PUSHES / ((performance.now() - started) / 1000);
}

async function tocsinPath(service: LocalPushService): Promise<number> {
  const t = await startPushTestApp({
    PUSH_ALLOWED_HOSTS: service.host,
    PUSH_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'warn',
  });
  try {
    // Subscriptions belong to real users (a foreign key): make them in SQL, no logins needed.
    const [agency] = await t.db.query(
      `INSERT INTO agencies (name) VALUES ('Push bench') RETURNING id`,
    );
    const users: { id: string }[] = await t.db.query(
      `INSERT INTO users (agency_id, email, display_name, role)
       SELECT $1, 'push' || i || '@bench.test', 'Device ' || i, 'responder'
         FROM generate_series(1, $2::int) i RETURNING id`,
      [agency.id, DEVICES],
    );
    const userIds = users.map((user) => user.id);
    for (const userId of userIds) await t.push.subscribe(userId, service.subscribe());
    const rounds = Math.ceil(PUSHES / DEVICES);

    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      await t.push.notifyAlert(userIds, {
        id: randomUUID(),
        severity: 'Severe',
        headline: 'Benchmark alert',
        summary: 'x'.repeat(200),
        expires: new Date(Date.now() + 3600_000),
      });
    }
    const total = rounds * DEVICES;
    for (;;) {
      const [row] = await t.db.query(
        "SELECT count(*) FILTER (WHERE status IN ('pending', 'retrying'))::int AS open FROM push_deliveries",
      );
      if (row.open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    const [done] = await t.db.query(
      "SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent FROM push_deliveries",
    );
    if (done.sent !== total) throw new Error(`only ${done.sent} of ${total} pushes were accepted`);

    return total / seconds;
  } finally {
    await t.close();
  }
}

async function run(): Promise<void> {
  const service = await LocalPushService.start();
  try {
    const bare = await bareLoop(service);
    const tocsin = await tocsinPath(service);
    const problems = service.received.filter((push) => push.problem !== undefined);
    if (problems.length > 0) throw new Error(`push service refused: ${problems[0].problem}`);

    console.log(`pushes: ${PUSHES}, devices: ${DEVICES}, concurrency: ${CONCURRENCY}`);
    console.log(`bare web-push loop : ${bare.toFixed(0)} sends/s`);
    console.log(
      `tocsin push path   : ${tocsin.toFixed(0)} sends/s (queued, recorded in the database)`,
    );
    console.log(`ratio tocsin/bare  : ${(tocsin / bare).toFixed(2)}`);
  } finally {
    await service.close();
  }
}

// NODE_EXTRA_CA_CERTS is read at start, so the parent makes the certificate and runs a child.
if (process.env.NODE_EXTRA_CA_CERTS && process.env.TOCSIN_TEST_PUSH_TLS_DIR) {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  void setupPushTls().then((cleanup) => {
    const child = spawnSync(process.execPath, [__filename], { stdio: 'inherit', env: process.env });
    cleanup();
    process.exit(child.status ?? 1);
  });
}
