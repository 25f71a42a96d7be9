import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AccessTokenService } from '@tocsin/identity';
import { Redis } from 'ioredis';
import * as webpush from 'web-push';
import setupPushTls from '../../test/support/push-tls.global-setup';
import { startPushTestApp, type PushTestApp } from '../../test/push/push-test-app';
import { Child, pinSelf } from '../harness/child';
import { interleave } from '../harness/rounds';
import { sendBaseline, type BenchSubscription, type SideOptions } from './push-sides';

/**
 * Push fan-out: PUSHES subscriptions spread over four local push services (two HTTP/2, two
 * HTTP/1.1 only, in a child process that decrypts every body), one in GONE_EVERY answering
 * 410 and one in LIMITED_EVERY answering 429 (Retry-After: 0) to its first push. Three sides
 * per round: the raw floor, the bare web-push library, and Tocsin's whole path (notifyAlert →
 * delivery rows → queue → worker → sender → outcome recorded in PostgreSQL). Prints one JSON
 * line `RESULT {...}` for bench/push/push.ts.
 */
const PUSHES = Math.min(20_000, Number(process.env.BENCH_PUSHES ?? 1000));
const ROUNDS = Math.min(5, Number(process.env.BENCH_ROUNDS ?? 1));
const CONCURRENCY = Number(process.env.PUSH_CONCURRENCY ?? 64);
/** Comma-separated sides to run (for a profile of one side); all three by default. */
const SIDES = (process.env.BENCH_PUSH_SIDES ?? 'floor,bare,tocsin').split(',');
/**
 * Where Tocsin's push worker runs: `process` (PUSH_WORKER=off on the API, the worker in a
 * child process on WORKER_CORE, jobs on Redis) or `in-process` (the embedded default's queue,
 * the worker on the API's event loop). `process` by default when Redis answers.
 */
const WORKER_MODE = process.env.BENCH_PUSH_WORKER;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Not the API's core 0: the live path measured there is what the separate process protects. */
const WORKER_CORE = Number(process.env.BENCH_PUSH_WORKER_CORE ?? 1);
const GONE_EVERY = 50;
/** How long the probe times acknowledgements with nothing else going on, each round. */
const QUIET_MS = 3000;
const LIMITED_EVERY = 50;
const PAYLOAD = JSON.stringify({
  v: 1,
  kind: 'alert',
  id: randomUUID(),
  severity: 'Severe',
  headline: 'Benchmark alert',
  body: 'x'.repeat(200),
  url: '/alerts/x',
});

interface Figures {
  seconds: number;
  sendsPerSecond: number;
  cpuUsPerPush: number;
  /** The part of it spent in the worker process (0 when the API sends). */
  workerCpuUsPerPush: number;
  /** The push services' CPU time over the wall time: near 1, they are the bottleneck. */
  farmBusy: number;
  loopDelayP99Ms: number;
  requests: number;
  statuses: Record<string, number>;
  /** Socket.IO acknowledgements timed by the probe on the same API process meanwhile. */
  ackP50Ms: number;
  ackP99Ms: number;
  acks: number;
}

interface AckFigures {
  count: number;
  p50: number;
  p99: number;
  problems: number;
}

interface Collected {
  requests: number;
  decrypted: number;
  statuses: Record<string, number>;
  problems: string[];
}

/**
 * Times one side and checks, from the push services' records, that it did all the work. The
 * CPU per push is this process's plus the sending child's (Tocsin's worker, or the
 * baselines' process), when the side sends from one.
 */
async function measure(
  farm: Child,
  probe: Child,
  work: () => Promise<void>,
  sender?: Child,
): Promise<Figures> {
  await probe.call('window');
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const cpu = process.cpuUsage();
  const senderCpu = await cpuMs(sender);
  const farmCpu = await farm.call<{ cpuMs: number }>('cpu');
  delay.enable();
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  const used = process.cpuUsage(cpu);
  const senderUsedUs = ((await cpuMs(sender)) - senderCpu) * 1000;
  const farmUsedMs = (await farm.call<{ cpuMs: number }>('cpu')).cpuMs - farmCpu.cpuMs;
  const acks = await readAcks(probe);

  const seen = await farm.call<Collected>('collect');
  if (seen.problems.length > 0) throw new Error(`push service refused: ${seen.problems[0]}`);
  if (seen.decrypted !== seen.requests || seen.requests < PUSHES) {
    throw new Error(`only ${seen.decrypted} of ${seen.requests} bodies decrypted (${PUSHES})`);
  }

  return {
    seconds,
    sendsPerSecond: PUSHES / seconds,
    cpuUsPerPush: (used.user + used.system + senderUsedUs) / PUSHES,
    workerCpuUsPerPush: senderUsedUs / PUSHES,
    farmBusy: farmUsedMs / 1000 / seconds,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    requests: seen.requests,
    statuses: seen.statuses,
    ackP50Ms: acks.p50,
    ackP99Ms: acks.p99,
    acks: acks.count,
  };
}

async function cpuMs(child: Child | undefined): Promise<number> {
  return child ? (await child.call<{ cpuMs: number }>('cpu')).cpuMs : 0;
}

async function readAcks(probe: Child): Promise<AckFigures> {
  const acks = await probe.call<AckFigures>('read');
  if (acks.problems > 0) throw new Error(`socket probe: ${acks.problems} acks failed`);

  return acks;
}

/** The probe's acknowledgements with no push going out: the live path's own speed. */
async function quiet(probe: Child): Promise<Figures> {
  await probe.call('window');
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  const acks = await readAcks(probe);

  return {
    seconds: QUIET_MS / 1000,
    sendsPerSecond: 0,
    cpuUsPerPush: 0,
    workerCpuUsPerPush: 0,
    farmBusy: 0,
    loopDelayP99Ms: 0,
    requests: 0,
    statuses: {},
    ackP50Ms: acks.p50,
    ackP99Ms: acks.p99,
    acks: acks.count,
  };
}

/**
 * One user with a session, a token and a two-member conversation, so the probe's
 * `presence.query` goes the whole way: authentication, membership read, online lookup.
 */
async function seedProbe(t: PushTestApp): Promise<{ token: string; conversationId: string }> {
  const [agency] = await t.db.query(`INSERT INTO agencies (name) VALUES ('Probe') RETURNING id`);
  const users: Array<{ id: string }> = await t.db.query(
    `INSERT INTO users (agency_id, email, display_name, role)
     SELECT $1, 'probe' || i || '@bench.test', 'Probe ' || i, 'responder'
       FROM generate_series(1, 2) i RETURNING id`,
    [agency.id],
  );
  const ids = users.map((user) => user.id);
  const [session] = await t.db.query(
    `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + interval '1 day')
     RETURNING id`,
    [ids[0]],
  );
  const [group] = await t.db.query(
    `INSERT INTO groups (agency_id, name) VALUES ($1, 'Probe') RETURNING id`,
    [agency.id],
  );
  await t.db.query(
    `INSERT INTO group_members (group_id, user_id, agency_id, role)
     SELECT $1, id, $2, 'member' FROM unnest($3::uuid[]) AS u(id)`,
    [group.id, agency.id, ids],
  );
  const [conversation] = await t.db.query(
    `INSERT INTO conversations (kind, agency_id, title, group_id, created_by)
     VALUES ('group', $1, 'Probe', $2, $3) RETURNING id`,
    [agency.id, group.id, ids[0]],
  );
  await t.db.query(
    `INSERT INTO conversation_members
            (conversation_id, user_id, agency_id, joined_seq, visible_from_seq)
     SELECT $1, id, $2, 0, 1 FROM unnest($3::uuid[]) AS u(id)`,
    [conversation.id, agency.id, ids],
  );
  const token = t.app.get(AccessTokenService).issue(ids[0], session.id).token;

  return { token, conversationId: conversation.id };
}

/** Users and their subscriptions in SQL (no logins): the time of notifyAlert is measured. */
async function seedTocsin(t: PushTestApp, subscriptions: BenchSubscription[]): Promise<string[]> {
  const [agency] = await t.db.query(`INSERT INTO agencies (name) VALUES ($1) RETURNING id`, [
    `Push bench ${randomUUID()}`,
  ]);
  const users: Array<{ id: string }> = await t.db.query(
    `INSERT INTO users (agency_id, email, display_name, role)
     SELECT $1, 'push-' || gen_random_uuid() || '@bench.test', 'Device ' || i, 'responder'
       FROM generate_series(1, $2::int) i RETURNING id`,
    [agency.id, subscriptions.length],
  );
  const userIds = users.map((user) => user.id);
  await t.db.query(
    `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
    [
      userIds,
      subscriptions.map((s) => s.endpoint),
      subscriptions.map((s) => s.keys.p256dh),
      subscriptions.map((s) => s.keys.auth),
    ],
  );

  return userIds;
}

/** Handed over: from notifyAlert until no delivery of the alert is pending or retrying. */
async function tocsinAlert(t: PushTestApp, userIds: string[]): Promise<void> {
  const alertId = randomUUID();
  await t.push.notifyAlert(userIds, {
    id: alertId,
    severity: 'Severe',
    headline: 'Benchmark alert',
    summary: 'x'.repeat(200),
    expires: new Date(Date.now() + 3600_000),
  });
  const deadline = Date.now() + 120_000;
  // A light count every 20 ms: the figures query itself would weigh on the database measured.
  for (;;) {
    const [{ open }] = await t.db.query(
      `SELECT count(*)::int AS open FROM push_deliveries
        WHERE subject_kind = 'alert' AND subject_id = $1 AND status IN ('pending', 'retrying')`,
      [alertId],
    );
    if (open === 0) break;
    if (Date.now() > deadline) throw new Error(`tocsin: ${open} deliveries still open`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const figures = await t.push.figures({ kind: 'alert', id: alertId });
  const gone = Math.floor(PUSHES / GONE_EVERY);
  if (figures.sent !== PUSHES - gone || figures.removed !== gone) {
    throw new Error(`tocsin: ${JSON.stringify(figures)}, expected ${gone} removed`);
  }
}

/** `process` when asked, or by default when Redis answers; `in-process` otherwise. */
async function workerMode(): Promise<'process' | 'in-process'> {
  if (WORKER_MODE === 'in-process' || WORKER_MODE === 'process') return WORKER_MODE;
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // No Redis is an answer here, not a failure.
  const answers = await redis.connect().then(
    () => redis.ping().then(() => true),
    () => false,
  );
  redis.disconnect();

  return answers ? 'process' : 'in-process';
}

/**
 * The API (this process) and, in `process` mode, the worker child on a Redis database of the
 * benchmark's own: API processes on the default one (tests, other checkouts) would take jobs.
 */
async function startTocsin(mode: 'process' | 'in-process', hosts: string) {
  const separate: Record<string, string> =
    mode === 'process'
      ? { REDIS_URL: `${REDIS_URL.replace(/\/\d*$/, '')}/${randomInt(1, 16)}`, PUSH_WORKER: 'off' }
      : {};
  const t = await startPushTestApp({
    PUSH_ALLOWED_HOSTS: hosts,
    PUSH_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'warn',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    ...separate,
  });
  if (mode === 'in-process') return { t, worker: undefined };

  const worker = Child.start(path.join(__dirname, 'push-worker.js'), { core: WORKER_CORE });
  await worker.call('start', { ...t.env, PUSH_WORKER: 'in-process' });

  return { t, worker };
}

async function run(): Promise<void> {
  pinSelf(0);
  const farm = Child.start(path.join(__dirname, 'push-farm.js'), { core: 1 });
  const origins = await farm.call<Array<{ origin: string; host: string }>>('start');
  const mode = await workerMode();
  const { t, worker } = await startTocsin(mode, origins.map((o) => o.host).join(','));
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as { port: number };
  const probe = Child.start(path.join(__dirname, 'ack-probe.js'), { core: 1 });
  await probe.call('start', { url: `http://127.0.0.1:${port}`, ...(await seedProbe(t)) });
  const options: SideOptions = {
    concurrency: CONCURRENCY,
    payload: PAYLOAD,
    vapid: { subject: 'mailto:bench@tocsin.invalid', ...webpush.generateVAPIDKeys() },
  };
  const http2Origins = origins.slice(0, 2).map((o) => o.origin);
  // Beside a separate worker, the baselines run on its core too (see push-senders.ts).
  const senders = worker
    ? Child.start(path.join(__dirname, 'push-senders.js'), { core: WORKER_CORE })
    : undefined;
  const send = (side: 'bare' | 'floor', subscriptions: BenchSubscription[]) => {
    const args = { subscriptions, options, http2Origins };

    return senders ? senders.call<void>(side, args) : sendBaseline(side, args);
  };
  const devices = () =>
    farm.call<BenchSubscription[]>('subscribe', {
      count: PUSHES,
      goneEvery: GONE_EVERY,
      limitedEvery: LIMITED_EVERY,
    });

  try {
    const results = await interleave<Figures>(
      [
        { name: 'quiet', run: () => quiet(probe) },
        {
          name: 'floor',
          run: async () => {
            const subscriptions = await devices();

            return measure(farm, probe, () => send('floor', subscriptions), senders);
          },
        },
        {
          name: 'bare',
          run: async () => {
            const subscriptions = await devices();

            return measure(farm, probe, () => send('bare', subscriptions), senders);
          },
        },
        {
          name: 'tocsin',
          run: async () => {
            const userIds = await seedTocsin(t, await devices());

            return measure(farm, probe, () => tocsinAlert(t, userIds), worker);
          },
        },
      ].filter((side) => side.name === 'quiet' || SIDES.includes(side.name)),
      { rounds: ROUNDS, budgetMs: 600_000 },
    );
    const worked = { mode, core: worker ? WORKER_CORE : 0 };
    console.log(
      `RESULT ${JSON.stringify({ pushes: PUSHES, concurrency: CONCURRENCY, worker: worked, results })}`,
    );
  } finally {
    await probe.call('stop').catch(() => undefined);
    await probe.stop();
    await senders?.stop();
    await worker?.call('close').catch(() => undefined);
    await worker?.stop();
    await t.close();
    await farm.call('close').catch(() => undefined);
    await farm.stop();
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
    const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
      stdio: 'inherit',
      env: process.env,
    });
    cleanup();
    process.exit(child.status ?? 1);
  });
}
