import * as http from 'node:http';
import { parseCap } from '@tocsin/cap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { alertBody } from '../support/alert-factory';
import { capTimeIn, getCap, lyonCap, postCap } from '../support/cap-client';
import { readCapSchema, samplesPresent } from '../support/cap-samples';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { sql } from '../support/sql';
import { request, startTestApp, type TestApp } from '../support/test-app';

describe('CAP export, the public feed and hostile bodies', () => {
  let api: TestApp;
  let a: TestAgency;
  let b: TestAgency;
  let dispatcher: string;

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    a = await createAgency(api.url, operator.accessToken);
    b = await createAgency(api.url, operator.accessToken);
    dispatcher = a.users.dispatcher.accessToken;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('exports a native alert as CAP 1.2 that reimports to the same alert', async () => {
    const native = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: dispatcher,
      body: alertBody({
        areas: [
          alertBody().areas,
          { areaDesc: 'Depot', circle: { center: [4.85, 45.75], radiusMeters: 500 } },
        ].flat(),
      }),
    });

    const exported = await getCap(api.url, `/api/alerts/${native.body.id}/cap`, dispatcher);
    const parsed = parseCap(exported.xml);
    const again = await postCap(api.url, dispatcher, exported.xml);

    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^application\/cap\+xml/);
    expect(exported.xml).not.toMatch(/<(sent|effective|onset|expires)>[^<]*Z</);
    expect(exported.xml).toMatch(/<sent>[^<]*-00:00<\/sent>/);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.alert.info[0]).toMatchObject({
      event: 'Chemical spill',
      severity: 'Severe',
      headline: 'Tanker leak on the ring road',
    });
    expect(parsed.alert.info[0]!.area.map((area) => area.circle.length)).toEqual([0, 1]);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'duplicate', alert: { id: native.body.id } });
  });

  it.skipIf(!samplesPresent)('exports native alerts that the OASIS schema accepts', async () => {
    const native = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: dispatcher,
      body: alertBody({ scope: 'Public' }),
    });
    await request(`${api.url}/api/alerts/${native.body.id}/update`, {
      method: 'POST',
      token: dispatcher,
      body: { headline: 'Leak contained' },
    });
    const exported = await getCap(api.url, `/api/alerts/${native.body.id}/cap`, dispatcher);

    const result = await validateXML({
      xml: [{ fileName: 'native.xml', contents: exported.xml }],
      schema: [{ fileName: 'cap12.xsd', contents: readCapSchema() }],
    });

    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(exported.xml).toContain('<msgType>Update</msgType>');
    expect(exported.xml).toContain(`<references>`);
  });

  it('exports a cancellation with its reason as the note, and imports one the same way', async () => {
    const native = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: dispatcher,
      body: alertBody(),
    });
    await request(`${api.url}/api/alerts/${native.body.id}/cancel`, {
      method: 'POST',
      token: dispatcher,
      body: { reason: 'False alarm: sensor fault & retest' },
    });
    const exported = await getCap(api.url, `/api/alerts/${native.body.id}/cap`, dispatcher);
    const parsed = parseCap(exported.xml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));

    expect(parsed.alert).toMatchObject({
      msgType: 'Cancel',
      note: 'False alarm: sensor fault & retest',
    });
    expect(exported.xml).toContain('<note>False alarm: sensor fault &amp; retest</note>');
  });

  it('follows the visibility of GET /api/alerts/:id', async () => {
    const native = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: dispatcher,
      body: alertBody(),
    });
    const path = `/api/alerts/${native.body.id}/cap`;

    expect((await getCap(api.url, path, b.users.admin.accessToken)).status).toBe(404);
    expect((await getCap(api.url, path)).status).toBe(401);
    expect((await getCap(api.url, path, a.users.observer.accessToken)).status).toBe(200);
  });

  it('lists active Public alerts in Atom without login, with their CAP, and nothing else', async () => {
    const shown = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: dispatcher,
      body: alertBody({ scope: 'Public', headline: 'Public flood notice' }),
    });
    const hidden = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: dispatcher,
      body: alertBody({ scope: 'Restricted', headline: 'Staff only notice' }),
    });
    const cancelled = await postCap(api.url, dispatcher, lyonCap('PUBLIC-GONE'));
    await postCap(
      api.url,
      dispatcher,
      lyonCap('PUBLIC-GONE-C', {
        alert: {
          msgType: 'Cancel',
          references: `warnings@meteo.example,PUBLIC-GONE,${cancelled.body.alert.sent.replace('.000Z', '-00:00')}`,
        },
        info: null,
      }),
    );

    const feed = await request(`${api.url}/api/feeds/public.atom`);
    const publicCap = await getCap(api.url, `/api/feeds/alerts/${shown.body.id}.cap`);
    const privateCap = await getCap(api.url, `/api/feeds/alerts/${hidden.body.id}.cap`);

    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    expect(feed.body).toContain('Public flood notice');
    expect(feed.body).toContain(`/api/feeds/alerts/${shown.body.id}.cap`);
    expect(feed.body).not.toContain('Staff only notice');
    expect(feed.body).not.toContain(hidden.body.id);
    expect(feed.body).not.toContain(cancelled.body.alert.id);
    expect(publicCap.status).toBe(200);
    expect(publicCap.xml).toContain('<headline>Public flood notice</headline>');
    expect(privateCap.status).toBe(404);
    expect(privateCap.xml).not.toContain('Staff only');

    const forged = await getWithHost(`${api.url}/api/feeds/public.atom`, 'evil.example');
    expect(forged).toContain(`/api/feeds/alerts/${shown.body.id}.cap`);
    expect(forged).not.toContain('evil.example');
  });

  describe('hostile bodies', () => {
    const hostile: [string, string | Buffer, number][] = [
      [
        'an external entity',
        '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
          '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><note>&xxe;</note></alert>',
        400,
      ],
      [
        'a billion laughs',
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
          '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
          '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>' +
          '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><note>&lol2;</note></alert>',
        400,
      ],
      [
        'a __proto__ element',
        lyonCap('PROTO-1', { alertExtra: '<__proto__><polluted>yes</polluted></__proto__>' }),
        400,
      ],
      ['malformed XML', '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>', 400],
      ['a 6 MB body', Buffer.alloc(6 * 1024 * 1024, 0x20), 413],
    ];

    it.each(hostile)('refuses %s and stays healthy', async (_name, body, status) => {
      const before = await sql(api, 'SELECT count(*) AS n FROM alerts');

      const response = await postCap(api.url, dispatcher, body);
      const health = await request(`${api.url}/api/health`);

      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expect(JSON.stringify(response.body)).not.toContain('root:');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(health.status).toBe(200);
      expect(await sql(api, 'SELECT count(*) AS n FROM alerts')).toEqual(before);
    });

    // How fast is measured by bench/cap-import, not by a timed test.
    it('imports a 1 MB message', async () => {
      const padding = 'x'.repeat(1024 * 1024);
      const xml = lyonCap('BIG-1', { info: { description: padding, expires: capTimeIn(60) } });

      const response = await postCap(api.url, dispatcher, xml);

      expect(response.status).toBe(201);
    });
  });
});

/** A GET with a Host header of our choosing (fetch will not send one). */
function getWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
  });
}
