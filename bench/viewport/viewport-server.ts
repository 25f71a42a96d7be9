import 'reflect-metadata';
import * as http from 'node:http';
import { AlertsRepository } from '@tocsin/alerts';
import { DataSource } from 'typeorm';
import { serve } from '../harness/child';
import { createAgency, identityEnv, loginOperator } from '../../test/support/identity-factory';
import { startTestApp, type TestApp } from '../../test/support/test-app';

/**
 * Tocsin's API and, in the same process on the same connection pool, a bare node:http
 * handler that runs the same SQL (AlertsRepository.listViews) and writes the JSON text it
 * returns: what remains between the two is the API's own work (HTTP stack, authentication
 * with its session check, validation).
 */
let app: TestApp | undefined;

const SEED_BATCH = 50_000;

/** Incidents first..last over mainland France; half have expired, a small box around each. */
const INSERT_INCIDENTS = `
  INSERT INTO alerts (agency_id, sender_user_id, identifier, sender, sent, status, msg_type,
          scope, event, headline, severity, urgency, certainty, effective, expires, extent)
  SELECT $1, $2, 'bench-' || i, 'bench@tocsin.test', t, 'Actual', 'Alert', 'Public',
         'Fire', 'Incident ' || i, 'Severe', 'Immediate', 'Observed', t,
         t + CASE WHEN i % 2 = 0 THEN interval '30 days' ELSE interval '1 minute' END,
         ST_Expand(ST_SetSRID(ST_MakePoint(-4.5 + x * 12.5, 42.5 + y * 8.5), 4326), 0.01)
    FROM (SELECT i, random() AS x, random() AS y, now() - interval '7 days' * random() AS t
            FROM generate_series($3::int, $4::int) i) s`;

async function seed({ incidents }: { incidents: number }) {
  app = await startTestApp(identityEnv({ LOG_LEVEL: 'silent', ACCESS_TOKEN_TTL_SECONDS: '3600' }));
  const db = app.app.get(DataSource);
  const operator = await loginOperator(app.url);
  const agency = await createAgency(app.url, operator.accessToken);
  const dispatcher = agency.users.dispatcher;
  await db.transaction(async (tx) => {
    await tx.query('SELECT setseed(0.42)');
    // In batches: one statement for 1M rows outlasts the pool's 30 s statement timeout.
    for (let first = 1; first <= incidents; first += SEED_BATCH) {
      const last = Math.min(incidents, first + SEED_BATCH - 1);
      await tx.query(INSERT_INCIDENTS, [agency.id, dispatcher.id, first, last]);
    }
  });
  await db.query('ANALYZE alerts');

  const repository = app.app.get(AlertsRepository);
  const bare = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [west, south, east, north] = (url.searchParams.get('bbox') ?? '').split(',').map(Number);
    repository
      .listViews(db.manager, {
        agencyId: agency.id,
        userId: dispatcher.id,
        bbox: { west, south, east, north },
        state: 'active',
        limit: 200,
      })
      .then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));

  return {
    url: app.url,
    bareUrl: `http://127.0.0.1:${(bare.address() as { port: number }).port}`,
    token: dispatcher.accessToken,
  };
}

serve({ seed, stop: () => app?.close() });
