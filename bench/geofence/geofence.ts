import 'reflect-metadata';
import { resolveTargets } from '@tocsin/alerts';
import { DataSource } from 'typeorm';
import { sizesFromEnv, type Benchmark, type BenchOptions } from '../harness/benchmark';
import { interleave } from '../harness/rounds';
import { report } from '../harness/result';
import { median, medianRatio, percentiles, round2 } from '../harness/stats';
import { createAgency, identityEnv, loginOperator } from '../../test/support/identity-factory';
import { request, startTestApp } from '../../test/support/test-app';
import { SHAPES, SPREAD } from './shapes';

/**
 * Geofence targeting: who is inside an alert's area, through Tocsin's own code path
 * (resolveTargets with the stored alert) against PostGIS asked directly, with the same area
 * stored once in a table of its own and the GiST index on positions. Zero mismatches required.
 */
const MAX_AGE_SECONDS = 86_400;

/**
 * PostgreSQL plans a prepared statement's first five runs on a connection with their values,
 * then keeps one generic plan if it costs no more: a running process has long passed them on
 * every pooled connection. The benchmark does the same before it measures (without it, a
 * quick round measured mostly those first runs, planning included).
 */
const PLANNED_RUNS = 6;

/** Rows per insert: one statement for a million would pass the 30 s statement timeout. */
const GROW_BATCH = 50_000;

async function growTo(db: DataSource, agencyId: string, from: number, to: number, seed: number) {
  for (let start = from; start < to; start += GROW_BATCH) {
    // Each batch its own seed in [0, 1), as setseed wants, and the same on every run.
    const batchSeed = (seed + (start / GROW_BATCH) * 0.0137) % 1;
    await insertResponders(db, agencyId, start, Math.min(to, start + GROW_BATCH), batchSeed);
  }
  await db.query('ANALYZE users; ANALYZE responder_locations');
}

async function insertResponders(
  db: DataSource,
  agencyId: string,
  from: number,
  to: number,
  seed: number,
) {
  await db.transaction(async (tx) => {
    // setseed makes random() deterministic for the rest of this transaction.
    await tx.query('SELECT setseed($1)', [seed]);
    await tx.query(
      `WITH u AS (
         INSERT INTO users (agency_id, email, display_name, role)
         SELECT $1, 'g' || i || '@bench.test', 'Responder ' || i, 'responder'
           FROM generate_series($2::int, $3::int - 1) i
         RETURNING id)
       INSERT INTO responder_locations (user_id, position, accuracy_m)
       SELECT id, ST_SetSRID(ST_MakePoint($4::float8 + random() * ($5::float8 - $4::float8),
                                        $6::float8 + random() * ($7::float8 - $6::float8)),
                             4326)::geography, 10
         FROM u`,
      [agencyId, from, to, SPREAD.west, SPREAD.east, SPREAD.south, SPREAD.north],
    );
  });
}

const INSIDE_POLYGON = 'ST_Intersects(b.geom, rl.position)';

function baselineSql(circle: boolean): string {
  return `SELECT rl.user_id FROM bench_area b, responder_locations rl
            JOIN users u ON u.id = rl.user_id AND u.agency_id = $2 AND u.disabled_at IS NULL
           WHERE b.id = $1 AND rl.reported_at > now() - make_interval(secs => $3)
             AND ${circle ? 'ST_DWithin(rl.position, b.center, b.radius)' : INSIDE_POLYGON}`;
}

/** Ids in one answer and not the other, either way. */
function mismatchesOf(ours: string[], theirs: string[]): number {
  const expected = new Set(theirs);

  return ours.filter((id) => !expected.has(id)).length + Math.max(0, theirs.length - ours.length);
}

/** Runs the targeting statement past its planned runs on every connection of the pool. */
async function warmPreparedPlans(
  db: DataSource,
  poolSize: number,
  alertId: string,
  agencyId: string,
) {
  for (let run = 0; run < PLANNED_RUNS * 2; run += 1) {
    const query = {
      agencyId,
      groupIds: [],
      locationMaxAgeSeconds: MAX_AGE_SECONDS,
      byName: run % 2 === 0,
    };
    // As many at once as the pool holds: each runs on a connection of its own.
    await Promise.all(
      Array.from({ length: poolSize }, () => resolveTargets(db.manager, { alertId }, query)),
    );
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();

  return { ms: performance.now() - started, value };
}

async function run(options: BenchOptions): Promise<void> {
  // GEOFENCE_SIZES=10000,100000 runs only these numbers of positions, without seeding a million.
  const sizes =
    sizesFromEnv('GEOFENCE_SIZES', 1000, 1_000_000) ??
    (options.quick ? [10_000] : [10_000, 100_000, 1_000_000]);
  const rounds = options.quick ? 1 : 5;
  const reps = 3;
  const app = await startTestApp(identityEnv({ LOG_LEVEL: 'silent' }));
  const configs: object[] = [];
  let worst = { ratio: 0, line: '' };
  let mismatches = 0;
  try {
    const db = app.app.get(DataSource);
    const operator = await loginOperator(app.url);
    const agency = await createAgency(app.url, operator.accessToken);
    await growTo(db, agency.id, 0, sizes[0], 0.11);

    await db.query(`CREATE TABLE bench_area (id int PRIMARY KEY, geom geography(MultiPolygon, 4326),
                      center geography(Point, 4326), radius float8)`);
    const alerts: string[] = [];
    for (const [i, shape] of SHAPES.entries()) {
      const created = await request(`${app.url}/api/alerts`, {
        method: 'POST',
        token: agency.users.dispatcher.accessToken,
        body: {
          event: 'Geofence',
          headline: shape.name,
          severity: 'Severe',
          urgency: 'Immediate',
          certainty: 'Observed',
          areas: [shape.area],
        },
      });
      if (created.status !== 201) throw new Error(`${shape.name}: ${JSON.stringify(created.body)}`);
      alerts.push(created.body.id);
      await db.query(
        `INSERT INTO bench_area SELECT $1, geom, circle_center, circle_radius_m
           FROM alert_areas WHERE alert_id = $2`,
        [i, created.body.id],
      );
    }
    await db.query('ANALYZE bench_area');
    await warmPreparedPlans(db, app.config.database.poolSize, alerts[0], agency.id);

    for (const [step, n] of sizes.entries()) {
      if (step > 0) await growTo(db, agency.id, sizes[step - 1], n, 0.11 + step / 10);
      for (const [i, shape] of SHAPES.entries()) {
        const circle = 'circle' in shape.area;
        const samples: Record<string, number[]> = { tocsin: [], unordered: [], postgis: [] };
        // Ordered by name as the preview and a new alert's fan-out read it; unordered as an
        // update and a CAP import ask for it (they only read who is missing).
        const tocsin = (byName: boolean) => () =>
          resolveTargets(
            db.manager,
            { alertId: alerts[i] },
            {
              agencyId: agency.id,
              groupIds: [],
              locationMaxAgeSeconds: MAX_AGE_SECONDS,
              byName,
            },
          ).then((rows) => rows.map((row) => row.userId));
        const postgis = () =>
          db
            .query(baselineSql(circle), [i, agency.id, MAX_AGE_SECONDS])
            .then((rows: { user_id: string }[]) => rows.map((row) => row.user_id));
        let found = 0;
        const variant = (name: string, query: () => Promise<string[]>) => ({
          name,
          run: async (round: number) => {
            let total = 0;
            for (let r = 0; r < reps; r += 1) {
              const { ms, value } = await timed(query);
              if (round >= 0) samples[name].push(ms);
              total += ms;
              found = value.length;
            }

            return total / reps;
          },
        });
        const results = await interleave(
          [
            variant('tocsin', tocsin(true)),
            variant('unordered', tocsin(false)),
            variant('postgis', postgis),
          ],
          { rounds, budgetMs: 60_000 },
        );
        const [ours, unordered, theirs] = await Promise.all([
          tocsin(true)(),
          tocsin(false)(),
          postgis(),
        ]);
        const mismatch = mismatchesOf(ours, theirs) + mismatchesOf(unordered, theirs);
        mismatches += mismatch;
        const ratio = medianRatio(results.tocsin, results.postgis);
        const unorderedRatio = medianRatio(results.unordered, results.postgis);
        const ms = (name: string) => `${median(results[name]).toFixed(2)} ms`;
        const line =
          `N=${n} ${shape.name}: ${found} inside; tocsin ${ms('tocsin')}, ` +
          `unordered ${ms('unordered')}, postgis ${ms('postgis')}; ${mismatch} mismatches; ` +
          `unordered ratio ${unorderedRatio.toFixed(2)}; ratio ${ratio.toFixed(2)}`;
        console.log(`  ${line}`);
        configs.push({
          n,
          shape: shape.name,
          inside: found,
          mismatch,
          ratio,
          unorderedRatio,
          tocsin: percentiles(samples.tocsin),
          unordered: percentiles(samples.unordered),
          postgis: percentiles(samples.postgis),
        });
        if (step === sizes.length - 1 && ratio > worst.ratio) worst = { ratio, line };
      }
    }
  } finally {
    // GEOFENCE_KEEP=1 leaves the seeded database in place, for EXPLAIN by hand.
    if (process.env.GEOFENCE_KEEP) {
      console.log('kept', app.database.url);
      await app.stop();
    } else await app.close();
  }
  report(
    'geofence',
    `worst shape at the largest N: ${worst.line}; ${mismatches} mismatches in all (tocsin/postgis)`,
    round2(worst.ratio),
    { rounds, reps, sizes, configs },
  );
}

export const geofence: Benchmark = {
  name: 'geofence',
  description:
    'resolveTargets({alertId}) vs PostGIS with the area stored once, 10k to 1M positions',
  run,
};
