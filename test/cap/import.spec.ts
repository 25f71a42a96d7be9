import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alertBody, INSIDE_LYON, IN_PARIS } from '../support/alert-factory';
import { capTimeIn, getCap, lyonCap, postCap, ref } from '../support/cap-client';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
  type TestUser,
} from '../support/identity-factory';
import { TestSocket } from '../support/socket-client';
import { sql } from '../support/sql';
import { request, startTestApp, type TestApp } from '../support/test-app';

const LYON_JURISDICTION = {
  type: 'Polygon',
  coordinates: [
    [
      [4.7, 45.6],
      [5.0, 45.6],
      [5.0, 45.9],
      [4.7, 45.9],
      [4.7, 45.6],
    ],
  ],
};

describe('CAP import through POST /api/cap', () => {
  let api: TestApp;
  let a: TestAgency;
  let b: TestAgency;
  let inside: TestUser;
  let outside: TestUser;
  let crew: TestUser;
  let dispatcher: string;
  const sockets: TestSocket[] = [];

  const alertCount = async () => Number((await sql(api, 'SELECT count(*) AS n FROM alerts'))[0].n);

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    a = await createAgency(api.url, operator.accessToken);
    b = await createAgency(api.url, operator.accessToken);
    dispatcher = a.users.dispatcher.accessToken;
    inside = await createUser(api.url, operator.accessToken, a.id, 'responder');
    outside = await createUser(api.url, operator.accessToken, a.id, 'responder');
    crew = await createUser(api.url, operator.accessToken, a.id, 'responder');
    for (const [user, position] of [
      [inside, INSIDE_LYON],
      [outside, IN_PARIS],
    ] as const) {
      await request(`${api.url}/api/me/location`, {
        method: 'PUT',
        token: user.accessToken,
        body: position,
      });
    }
    const group = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: a.users.admin.accessToken,
      body: { name: 'Rhône flood crew', jurisdiction: LYON_JURISDICTION },
    });
    expect(group.status).toBe(201);
    await request(`${api.url}/api/groups/${group.body.id}/members`, {
      method: 'POST',
      token: a.users.admin.accessToken,
      body: { userId: crew.id },
    });
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('creates an alert routed by jurisdiction and location, delivered live', async () => {
    const socket = await TestSocket.connect(api.url, inside.accessToken);
    sockets.push(socket);

    const created = await postCap(api.url, dispatcher, lyonCap('FLOOD-1'));

    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.outcome).toBe('created');
    expect(created.body.alert).toMatchObject({
      identifier: 'FLOOD-1',
      sender: 'warnings@meteo.example',
      msgType: 'Alert',
      scope: 'Public',
      state: 'active',
      groupIds: [],
    });
    const [event] = await socket.waitFor('alert.created');
    expect(event.id).toBe(created.body.alert.id);
    const recipients = await request(`${api.url}/api/alerts/${created.body.alert.id}/recipients`, {
      token: dispatcher,
    });
    const reasons = Object.fromEntries(
      recipients.body.recipients.map((r: any) => [r.userId, r.reasons]),
    );
    expect(reasons).toEqual({ [inside.id]: ['location'], [crew.id]: ['jurisdiction'] });
    expect(reasons[outside.id]).toBeUndefined();
  });

  it('does nothing new when the same message is imported again', async () => {
    const first = await postCap(api.url, dispatcher, lyonCap('FLOOD-TWICE'));
    const before = await alertCount();
    const events = await sql(api, 'SELECT count(*) AS n FROM alert_events');

    const again = await postCap(api.url, dispatcher, lyonCap('FLOOD-TWICE'));

    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe('duplicate');
    expect(again.body.alert.id).toBe(first.body.alert.id);
    expect(await alertCount()).toBe(before);
    expect(await sql(api, 'SELECT count(*) AS n FROM alert_events')).toEqual(events);
  });

  it('applies an Update then a Cancel to the alert they reference', async () => {
    const sent = capTimeIn(-2);
    const original = await postCap(api.url, dispatcher, lyonCap('CHAIN-1', { alert: { sent } }));
    const updateSent = capTimeIn(-1);
    const update = await postCap(
      api.url,
      dispatcher,
      lyonCap('CHAIN-2', {
        alert: { msgType: 'Update', sent: updateSent, references: ref('CHAIN-1', sent) },
        info: { headline: 'Flood warning extended', severity: 'Extreme' },
      }),
    );
    const cancel = await postCap(
      api.url,
      dispatcher,
      lyonCap('CHAIN-3', {
        alert: {
          msgType: 'Cancel',
          references: `${ref('CHAIN-1', sent)} ${ref('CHAIN-2', updateSent)}`,
          note: 'Water receding',
        },
        info: null,
      }),
    );

    expect(update.status).toBe(200);
    expect(update.body).toMatchObject({ outcome: 'updated' });
    expect(update.body.alert).toMatchObject({
      id: original.body.alert.id,
      version: 2,
      headline: 'Flood warning extended',
      severity: 'Extreme',
      msgType: 'Update',
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body.alert).toMatchObject({
      id: original.body.alert.id,
      state: 'cancelled',
      msgType: 'Cancel',
      headline: 'Flood warning extended',
      cancelReason: 'Water receding',
    });
    // The original arriving late changes nothing.
    const late = await postCap(api.url, dispatcher, lyonCap('CHAIN-1', { alert: { sent } }));
    expect(late.body).toMatchObject({ outcome: 'duplicate' });
    expect(late.body.alert.state).toBe('cancelled');
  });

  it('imports an Update of an unknown alert as a current alert', async () => {
    const update = await postCap(
      api.url,
      dispatcher,
      lyonCap('ORPHAN-2', {
        alert: { msgType: 'Update', references: ref('ORPHAN-1', capTimeIn(-30)) },
      }),
    );

    expect(update.status).toBe(201);
    expect(update.body.alert).toMatchObject({ msgType: 'Update', state: 'active' });
    // Its original, arriving afterwards, is older: it joins the alert's history.
    const original = await postCap(
      api.url,
      dispatcher,
      lyonCap('ORPHAN-1', { alert: { sent: capTimeIn(-30) } }),
    );
    expect(original.status).toBe(200);
    expect(original.body).toMatchObject({ outcome: 'stale' });
    expect(original.body.alert.id).toBe(update.body.alert.id);
  });

  it('holds a Cancel that arrives before its original, then applies it', async () => {
    const sent = capTimeIn(-1);
    const cancel = lyonCap('EARLY-2', {
      alert: { msgType: 'Cancel', references: ref('EARLY-1', sent) },
      info: null,
    });

    const held = await postCap(api.url, dispatcher, cancel);
    const heldAgain = await postCap(api.url, dispatcher, cancel);
    const original = await postCap(api.url, dispatcher, lyonCap('EARLY-1', { alert: { sent } }));

    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ outcome: 'held' });
    expect(heldAgain.status).toBe(202);
    expect(original.status).toBe(201);
    expect(original.body.alert).toMatchObject({ state: 'cancelled', identifier: 'EARLY-2' });
    const recipients = await sql(
      api,
      'SELECT count(*) AS n FROM alert_recipients WHERE alert_id = $1',
      [original.body.alert.id],
    );
    expect(Number(recipients[0].n)).toBe(0);
    expect(await sql(api, 'SELECT * FROM cap_pending_cancels')).toEqual([]);
  });

  it('lets a held Cancel lapse after CAP_PENDING_CANCEL_MINUTES', async () => {
    const sent = capTimeIn(-1);
    await postCap(
      api.url,
      dispatcher,
      lyonCap('LAPSE-2', {
        alert: { msgType: 'Cancel', references: ref('LAPSE-1', sent) },
        info: null,
      }),
    );
    await sql(api, "UPDATE cap_pending_cancels SET hold_until = now() - interval '1 second'");

    const original = await postCap(api.url, dispatcher, lyonCap('LAPSE-1', { alert: { sent } }));

    expect(original.status).toBe(201);
    expect(original.body.alert.state).toBe('active');
  });

  it("refuses a reference to another agency's alert", async () => {
    const native = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: dispatcher,
      body: alertBody(),
    });
    const exported = await getCap(api.url, `/api/alerts/${native.body.id}/cap`, dispatcher);
    const sender = /<sender>([^<]+)<\/sender>/.exec(exported.xml)![1]!;
    const sent = /<sent>([^<]+)<\/sent>/.exec(exported.xml)![1]!;
    const before = await alertCount();

    const cancel = await postCap(
      api.url,
      b.users.dispatcher.accessToken,
      lyonCap('HOSTILE-CANCEL', {
        alert: {
          msgType: 'Cancel',
          sender: 'b@elsewhere.example',
          references: `${sender},${native.body.identifier},${sent}`,
        },
        info: null,
      }),
    );

    expect(cancel.status).toBe(403);
    expect(cancel.body.code).toBe('cap.other_agency');
    expect(await alertCount()).toBe(before);
    const still = await request(`${api.url}/api/alerts/${native.body.id}`, { token: dispatcher });
    expect(still.body.state).toBe('active');
  });

  it('keeps every info block and area, geocode-only areas included', async () => {
    const xml = lyonCap('GEOCODES-1', {
      areas:
        '<area><areaDesc>Rhône</areaDesc><geocode><valueName>NUTS3</valueName>' +
        '<value>FR716</value></geocode></area>',
      alertExtra:
        '<info><language>fr-FR</language><category>Met</category><event>Crue</event>' +
        '<urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>' +
        `<expires>${capTimeIn(120)}</expires><headline>Vigilance crues</headline>` +
        '<area><areaDesc>Rhône</areaDesc><geocode><valueName>NUTS3</valueName>' +
        '<value>FR716</value></geocode></area></info>',
    });

    const created = await postCap(api.url, dispatcher, xml);
    const listed = await request(`${api.url}/api/alerts?bbox=4,45,5,46`, { token: dispatcher });
    const exported = await getCap(api.url, `/api/alerts/${created.body.alert.id}/cap`, dispatcher);

    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.alert.areas).toEqual([
      { areaDesc: 'Rhône', geometry: null, geocodes: [{ valueName: 'NUTS3', value: 'FR716' }] },
    ]);
    expect(listed.status).toBe(200);
    expect(exported.status).toBe(200);
    expect(exported.xml).toContain('<language>fr-FR</language>');
    expect(exported.xml).toContain('<headline>Vigilance crues</headline>');
  });

  it('refuses invalid messages with each problem and its element, storing nothing', async () => {
    const before = await alertCount();

    const invalid = await postCap(
      api.url,
      dispatcher,
      lyonCap('BAD-1', {
        alert: { scope: null },
        areas: '<area><areaDesc>x</areaDesc><polygon>45,4 46,5 45,4</polygon></area>',
      }),
    );
    const version = await postCap(
      api.url,
      dispatcher,
      lyonCap('BAD-2', { ns: 'urn:oasis:names:tc:emergency:cap:1.0' }),
    );

    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('cap.invalid');
    const elements = invalid.body.details.errors.map((e: any) => e.element);
    expect(elements).toContain('alert/scope');
    expect(elements).toContain('alert/info[0]/area[0]/polygon[0]');
    expect(version.status).toBe(400);
    expect(version.body.message).toMatch(/CAP 1.0 .* only CAP 1.2 and CAP 1.1/);
    expect(await alertCount()).toBe(before);
  });

  it.each([
    ['points on a line', '48.8,2.2 48.9,2.2 49.0,2.2 48.8,2.2', /no area/],
    ['one point four times', '48.8,2.2 48.8,2.2 48.8,2.2 48.8,2.2', /no area/],
  ])('refuses a polygon of %s with 400, storing nothing', async (_name, polygon, reason) => {
    const before = await alertCount();

    const refused = await postCap(
      api.url,
      dispatcher,
      lyonCap(`FLAT-${polygon.length}-${_name.length}`, {
        areas: `<area><areaDesc>x</areaDesc><polygon>${polygon}</polygon></area>`,
      }),
    );

    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(reason);
    expect(await alertCount()).toBe(before);
  });

  it('refuses a time in year 0 with 400', async () => {
    const refused = await postCap(
      api.url,
      dispatcher,
      lyonCap('YEAR-0', { alert: { sent: '0000-01-01T00:00:00-00:00' } }),
    );

    expect(refused.status).toBe(400);
  });

  it('is for dispatchers and admins only, and takes XML only', async () => {
    const responder = await postCap(api.url, a.users.responder.accessToken, lyonCap('ROLE-1'));
    const anonymous = await postCap(api.url, undefined, lyonCap('ROLE-2'));
    const json = await postCap(api.url, dispatcher, '{}', 'application/json');
    const textXml = await postCap(api.url, dispatcher, lyonCap('ROLE-3'), 'text/xml');

    expect(responder.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(json.status).toBe(415);
    expect(textXml.status).toBe(201);
  });
});
