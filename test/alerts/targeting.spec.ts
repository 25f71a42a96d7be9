import { randomUUID } from 'node:crypto';
import { resolveTargets } from '@tocsin/alerts';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody, INSIDE_LYON, IN_PARIS } from '../support/alert-factory';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { request, startTestApp, type TestApp } from '../support/test-app';

/** Two areas around Lyon that overlap: a user inside both is still one recipient. */
const AREAS = [
  {
    areaDesc: 'Ring road',
    circle: { center: [INSIDE_LYON.lon, INSIDE_LYON.lat], radiusMeters: 3000 },
  },
  alertBody().areas,
].flat();

/** A jurisdiction that meets the areas. */
const LYON_JURISDICTION =
  'MULTIPOLYGON(((4.83 45.74, 4.85 45.74, 4.85 45.76, 4.83 45.76, 4.83 45.74)))';

describe('targeting: who an alert reaches, and why, for every caller', () => {
  let api: TestApp;
  let db: DataSource;
  let a: TestAgency;
  let b: TestAgency;
  const ids: Record<string, string> = {};
  const names: Record<string, string> = {};

  const addUser = async (key: string, agency: TestAgency, name: string, at?: typeof IN_PARIS) => {
    const [row] = await db.query(
      `INSERT INTO users (agency_id, email, display_name, role)
       VALUES ($1, $2, $3, 'responder') RETURNING id`,
      [agency.id, `${key.toLowerCase()}-${randomUUID()}@targeting.test`, name],
    );
    ids[key] = row.id;
    names[row.id] = name;
    if (at) {
      await db.query(
        `INSERT INTO responder_locations (user_id, position, accuracy_m)
         VALUES ($1, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, 10)`,
        [row.id, at.lon, at.lat],
      );
    }
  };

  const addGroup = async (key: string, agency: TestAgency, members: string[], area?: string) => {
    const [row] = await db.query(
      `INSERT INTO groups (agency_id, name, jurisdiction)
       VALUES ($1, $2, ST_GeogFromText($3)) RETURNING id`,
      [agency.id, `${key} ${randomUUID()}`, area ?? null],
    );
    ids[key] = row.id;
    for (const member of members) {
      await db.query(
        `INSERT INTO group_members (group_id, user_id, agency_id, role)
         SELECT $1, id, agency_id, 'member' FROM users WHERE id = $2`,
        [row.id, ids[member]],
      );
    }
  };

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    db = api.app.get(DataSource);
    const operator = await loginOperator(api.url);
    a = await createAgency(api.url, operator.accessToken);
    b = await createAgency(api.url, operator.accessToken);

    // Names out of id order, so that an order by name is seen; two alike, ordered by id.
    await addUser('allReasons', a, 'Yvonne Chosen Local', INSIDE_LYON);
    await addUser('located', a, 'Bruno Located', INSIDE_LYON);
    await addUser('sameName', a, 'Bruno Located', INSIDE_LYON);
    await addUser('partner', b, 'Claire Partner', INSIDE_LYON);
    await addUser('otherAgency', b, 'Denis Elsewhere', INSIDE_LYON);
    await addUser('disabled', a, 'Eve Disabled', INSIDE_LYON);
    await addUser('far', a, 'Fanny Far', IN_PARIS);
    await db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [ids.disabled]);
    // The chosen group's own jurisdiction meets the area: found both ways, listed once.
    await addGroup('chosen', a, ['allReasons', 'disabled'], LYON_JURISDICTION);
    await addGroup('local', a, ['allReasons'], LYON_JURISDICTION);
    await addGroup('partnerGroup', b, ['partner']);
    await db.query(
      `INSERT INTO group_partners (group_id, agency_id, status) VALUES ($1, $2, 'active')`,
      [ids.partnerGroup, a.id],
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  /** The rows every caller must agree on, in the preview's order (name, then id). */
  const expected = (): { userId: string; reasons: string[]; viaGroupIds: string[] }[] =>
    [
      { userId: ids.located, reasons: ['location'], viaGroupIds: [] },
      { userId: ids.sameName, reasons: ['location'], viaGroupIds: [] },
      { userId: ids.partner, reasons: ['group'], viaGroupIds: [ids.partnerGroup] },
      {
        userId: ids.allReasons,
        reasons: ['group', 'jurisdiction', 'location'],
        viaGroupIds: [ids.chosen, ids.local].sort(),
      },
    ].sort((x, y) => names[x.userId].localeCompare(names[y.userId]) || cmp(x.userId, y.userId));

  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

  const query = (byName?: boolean) => ({
    agencyId: a.id,
    groupIds: [ids.chosen, ids.partnerGroup],
    locationMaxAgeSeconds: 3600,
    byName,
  });

  it('previews each recipient once, with every reason and group, by name', async () => {
    const { status, body } = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ areas: AREAS, groupIds: [ids.chosen, ids.partnerGroup], dryRun: true }),
    });

    expect(status).toBe(200);
    expect(body.byReason).toEqual({ group: 2, location: 3, jurisdiction: 1, backup: 0 });
    expect(body.recipients).toEqual(
      expected().map(({ userId, reasons }) => ({ userId, displayName: names[userId], reasons })),
    );
  });

  it('stores the same recipients for a new alert, and finds them again unordered', async () => {
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ areas: AREAS, groupIds: [ids.chosen, ids.partnerGroup] }),
    });
    expect(sent.status).toBe(201);

    const stored: { user_id: string; reasons: string[]; via_group_ids: string[] }[] =
      await db.query(
        'SELECT user_id, reasons, via_group_ids FROM alert_recipients WHERE alert_id = $1',
        [sent.body.id],
      );
    const byId = (rows: { userId: string }[]) => [...rows].sort((x, y) => cmp(x.userId, y.userId));
    expect(
      byId(
        stored.map((r) => ({
          userId: r.user_id,
          reasons: r.reasons,
          viaGroupIds: r.via_group_ids,
        })),
      ),
    ).toEqual(byId(expected()));

    const ordered = await resolveTargets(db.manager, { alertId: sent.body.id }, query());
    const unordered = await resolveTargets(db.manager, { alertId: sent.body.id }, query(false));
    expect(ordered).toEqual(expected().map((row) => ({ ...row, displayName: names[row.userId] })));
    expect(byId(unordered)).toEqual(byId(ordered));
  });

  // Agency B has no jurisdiction: with no group chosen, only positions count.
  it('finds a responder once by position alone, with one area or two that overlap', async () => {
    const preview = async (areas: unknown[]) => {
      const { status, body } = await request(`${api.url}/api/alerts`, {
        method: 'POST',
        token: b.users.dispatcher.accessToken,
        body: alertBody({ areas, dryRun: true }),
      });
      expect(status).toBe(200);

      return body.recipients;
    };
    const located = [ids.partner, ids.otherAgency].map((userId) => ({
      userId,
      displayName: names[userId],
      reasons: ['location'],
    }));

    expect(await preview(AREAS.slice(0, 1))).toEqual(located);
    expect(await preview(AREAS)).toEqual(located);
  });
});
