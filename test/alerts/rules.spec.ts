import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody } from '../support/alert-factory';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { TestSocket } from '../support/socket-client';
import { request, startTestApp, type TestApp } from '../support/test-app';

const ring = (points: number[][]) => ({ type: 'Polygon', coordinates: [points] });

describe('alert input and permissions', () => {
  let api: TestApp;
  let a: TestAgency;
  let b: TestAgency;
  let bGroupId: string;

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    a = await createAgency(api.url, operator.accessToken);
    b = await createAgency(api.url, operator.accessToken);
    const group = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: b.users.admin.accessToken,
      body: { name: 'B team' },
    });
    bGroupId = group.body.id;
  });

  afterAll(async () => {
    await api?.close();
  });

  const send = (body: Record<string, unknown>, token = a.users.dispatcher.accessToken) =>
    request(`${api.url}/api/alerts`, { method: 'POST', token, body });

  it.each([
    [
      'a ring that is not closed',
      {
        geometry: ring([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ]),
      },
      /not closed/,
    ],
    [
      'a ring of three positions',
      {
        geometry: ring([
          [0, 0],
          [1, 0],
          [0, 0],
        ]),
      },
      /at least 4/,
    ],
    [
      'a latitude out of range',
      {
        geometry: ring([
          [0, 0],
          [1, 0],
          [1, 95],
          [0, 0],
        ]),
      },
      /swapped|latitude/,
    ],
    [
      'swapped coordinates',
      {
        geometry: ring([
          [45.7, 4.8],
          [45.8, 4.8],
          [45.8, 94.9],
          [45.7, 4.8],
        ]),
      },
      /swapped/,
    ],
    [
      'a bow tie',
      {
        geometry: ring([
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ]),
      },
      /Self-intersection/,
    ],
    ['a zero radius', { circle: { center: [4.8, 45.7], radiusMeters: 0 } }, /radiusMeters/],
    [
      'a radius of thousands of km',
      { circle: { center: [4.8, 45.7], radiusMeters: 4e6 } },
      /radiusMeters/,
    ],
    [
      'a point instead of a polygon',
      { geometry: { type: 'Point', coordinates: [4.8, 45.7] } },
      /Polygon/,
    ],
  ])('refuses %s with 400 and stores nothing', async (_name, area, reason) => {
    const before = await request(`${api.url}/api/alerts`, {
      token: a.users.dispatcher.accessToken,
    });
    const { status, body } = await send(alertBody({ areas: [{ areaDesc: 'x', ...area }] }));
    const after = await request(`${api.url}/api/alerts`, { token: a.users.dispatcher.accessToken });

    expect(status).toBe(400);
    expect(JSON.stringify(body.message)).toMatch(reason);
    expect(after.body.length).toBe(before.body.length);
  });

  it('refuses absurd vertex counts', async () => {
    const points = Array.from({ length: 25_000 }, (_, i) => {
      const angle = (2 * Math.PI * i) / 25_000;
      return [Number(Math.cos(angle).toFixed(4)), Number(Math.sin(angle).toFixed(4))];
    });
    points.push(points[0]);

    const { status, body } = await send(
      alertBody({ areas: [{ areaDesc: 'x', geometry: ring(points) }] }),
    );
    expect(status).toBe(400);
    expect(body.message).toMatch(/vertices/);
  });

  it('refuses unknown enum values, unknown fields and expiry in the past', async () => {
    const severity = await send(alertBody({ severity: 'Apocalyptic' }));
    const unknown = await send(alertBody({ priority: 'high' }));
    const past = await send(alertBody({ expires: '2020-01-01T00:00:00+00:00' }));

    expect(severity.status).toBe(400);
    expect(JSON.stringify(severity.body.message)).toMatch(/severity/);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.message)).toMatch(/priority/);
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/expires/);
  });

  it('refuses an expiry that names no instant or is over a year away', async () => {
    const db = api.app.get(DataSource);
    const before = await db.query('SELECT count(*)::int AS n FROM alerts');
    const inTwoYears = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString();

    for (const expires of ['9999', '2027-01-01', '2027-01-01T10:00:00', inTwoYears]) {
      const { status, body } = await send(alertBody({ expires }));

      expect(status, expires).toBe(400);
      expect(JSON.stringify(body.message), expires).toMatch(/expires/);
    }
    expect(await db.query('SELECT count(*)::int AS n FROM alerts')).toEqual(before);

    const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await send(alertBody({ expires: inAMonth }))).status).toBe(201);
  });

  it('refuses an escalation that is not an object', async () => {
    for (const escalation of [[], [{ afterSeconds: 60 }], 'soon']) {
      const { status, body } = await send(alertBody({ escalation }));

      expect(status, JSON.stringify(escalation)).toBe(400);
      expect(JSON.stringify(body.message)).toMatch(/escalation/);
    }
  });

  it('accepts an area across the antimeridian and finds it from both sides', async () => {
    const fiji = ring([
      [179, -17],
      [-179, -17],
      [-179, -15],
      [179, -15],
      [179, -17],
    ]);
    const { status, body } = await send(
      alertBody({ areas: [{ areaDesc: 'Strait', geometry: fiji }] }),
    );
    expect(status).toBe(201);

    const token = a.users.dispatcher.accessToken;
    const east = await request(`${api.url}/api/alerts?bbox=178,-18,180,-14`, { token });
    const across = await request(`${api.url}/api/alerts?bbox=178.5,-18,-178.5,-14`, { token });
    const west = await request(`${api.url}/api/alerts?bbox=-179.5,-18,-178,-14`, { token });
    expect(east.body.map((alert: any) => alert.id)).toContain(body.id);
    expect(west.body.map((alert: any) => alert.id)).toContain(body.id);
    expect(across.body.map((alert: any) => alert.id)).toContain(body.id);
    expect(body.areas[0].geometry.coordinates[0][0][1]).toEqual([-179, -17]);

    // Boxes inside the strait only, and boxes far away in the same latitudes.
    const ids = async (bbox: string) =>
      (await request(`${api.url}/api/alerts?bbox=${bbox}`, { token })).body.map(
        (alert: any) => alert.id,
      );
    for (const inside of [
      '179.9,-20,-179.9,-10',
      '179.5,-16.5,179.9,-16',
      '-179.9,-16.5,-179.5,-16',
    ]) {
      expect(await ids(inside), inside).toContain(body.id);
    }
    for (const away of ['0,-20,10,-10', '-100,-16.5,-90,-16', '170,-16.5,178.5,-16']) {
      expect(await ids(away), away).not.toContain(body.id);
    }
    expect(await ids('-180,-85,180,85')).toContain(body.id);
  });

  it('lets only dispatchers and admins send', async () => {
    for (const role of ['responder', 'observer'] as const) {
      const { status } = await send(alertBody(), a.users[role].accessToken);
      expect(status).toBe(403);
    }
    expect((await send(alertBody(), a.users.admin.accessToken)).status).toBe(201);
  });

  it("refuses targeting another agency's group", async () => {
    const { status, body } = await send(alertBody({ groupIds: [bGroupId] }));

    expect(status).toBe(403);
    expect(body.code).toBe('alert.group_forbidden');
  });

  it("refuses cancelling or updating another agency's alert with 403 and hides it from reads", async () => {
    const sent = await send(alertBody());
    const id = sent.body.id;
    const other = b.users.dispatcher.accessToken;

    expect(
      (
        await request(`${api.url}/api/alerts/${id}/cancel`, {
          method: 'POST',
          token: other,
          body: {},
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(`${api.url}/api/alerts/${id}/update`, {
          method: 'POST',
          token: other,
          body: { headline: 'x' },
        })
      ).status,
    ).toBe(403);
    expect((await request(`${api.url}/api/alerts/${id}`, { token: other })).status).toBe(404);
    expect((await request(`${api.url}/api/alerts/${id}/recipients`, { token: other })).status).toBe(
      404,
    );
    expect(
      (await request(`${api.url}/api/alerts/${id}`, { token: a.users.dispatcher.accessToken })).body
        .state,
    ).toBe('active');
  });

  it('cancels on a bare POST with no body; a body must still be an object', async () => {
    const sent = await send(alertBody());
    const cancel = (body?: unknown, headers?: Record<string, string>) =>
      request(`${api.url}/api/alerts/${sent.body.id}/cancel`, {
        method: 'POST',
        token: a.users.dispatcher.accessToken,
        body,
        headers,
      });

    for (const body of ['[]', '"stop"', 'null']) {
      const refused = await cancel(body, { 'content-type': 'application/json' });
      expect(refused.status).toBe(400);
    }
    const stillActive = await request(`${api.url}/api/alerts/${sent.body.id}`, {
      token: a.users.dispatcher.accessToken,
    });
    expect(stillActive.body.state).toBe('active');

    const bare = await cancel();
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ state: 'cancelled', cancelReason: null });
  });

  it('answers malformed ids and bboxes with 400', async () => {
    const token = a.users.dispatcher.accessToken;

    expect((await request(`${api.url}/api/alerts/not-a-uuid`, { token })).status).toBe(400);
    expect((await request(`${api.url}/api/alerts?bbox=1,2,3`, { token })).status).toBe(400);
    expect((await request(`${api.url}/api/alerts?status=maybe`, { token })).status).toBe(400);
  });

  it('refuses socket connections without a valid token, or with one in the URL', async () => {
    await expect(TestSocket.connect(api.url, undefined)).rejects.toThrow(/unauthorized/);
    await expect(TestSocket.connect(api.url, 'not.a.token')).rejects.toThrow(/unauthorized/);

    const { io } = await import('socket.io-client');
    const viaQuery = io(api.url, {
      transports: ['websocket'],
      query: { token: a.users.responder.accessToken },
      auth: { token: a.users.responder.accessToken },
      reconnection: false,
      forceNew: true,
    });
    const error = await new Promise<Error>((resolve) => viaQuery.once('connect_error', resolve));
    viaQuery.close();
    expect(error.message).toMatch(/unauthorized/);
  });

  it('answers malformed socket payloads through the acknowledgement, and the socket lives on', async () => {
    const socket = await TestSocket.connect(api.url, a.users.responder.accessToken);
    try {
      const bad = await socket.emit('alert.respond', { alertId: 42, status: 'bored' });
      const notMine = await socket.emit('alert.respond', {
        alertId: '00000000-0000-4000-8000-000000000000',
        status: 'acknowledged',
      });

      expect(bad).toMatchObject({ ok: false, error: { statusCode: 400 } });
      expect(notMine).toMatchObject({ ok: false, error: { statusCode: 404 } });
      expect(socket.socket.connected).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('ends an alert on time and refuses answers after it', async () => {
    const expires = new Date(Date.now() + 2500).toISOString();
    const { body } = await send(alertBody({ expires }));
    expect(body.state).toBe('active');

    await new Promise((resolve) => setTimeout(resolve, 3000));
    const later = await request(`${api.url}/api/alerts/${body.id}`, {
      token: a.users.dispatcher.accessToken,
    });
    const update = await request(`${api.url}/api/alerts/${body.id}/update`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: { headline: 'too late' },
    });
    expect(later.body.state).toBe('expired');
    expect(update.status).toBe(409);
  });

  it('keeps the original circle of a circular area', async () => {
    const { body } = await send(
      alertBody({
        areas: [{ areaDesc: 'Plant', circle: { center: [4.84, 45.75], radiusMeters: 1500 } }],
      }),
    );

    expect(body.areas[0].circle).toEqual({ center: [4.84, 45.75], radiusMeters: 1500 });
  });
});
