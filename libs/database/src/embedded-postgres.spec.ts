import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from './embedded-postgres';

async function query(db: EmbeddedPostgres, sql: string): Promise<unknown[]> {
  const { socketDir, port, user, database } = db.address;
  const client = new Client({ host: socketDir, port, user, database });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('EmbeddedPostgres', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tocsin-embedded-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves PostGIS to the pg driver and keeps data across a restart', async () => {
    const first = await EmbeddedPostgres.start(dataDir);
    await query(first, 'CREATE EXTENSION IF NOT EXISTS postgis');
    await query(first, 'CREATE TABLE place (name text, at geography(Point, 4326))');
    await query(first, "INSERT INTO place VALUES ('depot', 'SRID=4326;POINT(2.35 48.85)')");
    await first.stop();

    const second = await EmbeddedPostgres.start(dataDir);
    const rows = await query(second, 'SELECT name, ST_AsGeoJSON(at)::json AS at FROM place');
    await second.stop();

    expect(rows).toEqual([{ name: 'depot', at: { type: 'Point', coordinates: [2.35, 48.85] } }]);
  });

  it('serves several connections at once', async () => {
    const db = await EmbeddedPostgres.start(dataDir);
    try {
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) => query(db, `SELECT ${n} AS n, pg_sleep(0.05)`)),
      );
      expect(results.map((rows) => (rows[0] as { n: number }).n)).toEqual([1, 2, 3, 4]);
    } finally {
      await db.stop();
    }
  });
});
