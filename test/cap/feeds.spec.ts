import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseCap } from '@tocsin/cap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSIDE_LYON } from '../support/alert-factory';
import { lyonCap } from '../support/cap-client';
import { readSample, sampleNames, samplesPresent } from '../support/cap-samples';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { TestSocket } from '../support/socket-client';
import { sql } from '../support/sql';
import { request, startTestApp, type TestApp } from '../support/test-app';

/** A local feed server: documents by path, an ETag per document, and a log of requests. */
class FeedServer {
  readonly documents = new Map<string, { body: string | Buffer; etag: string; type: string }>();
  readonly log: { path: string; status: number }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const doc = this.documents.get(req.url ?? '');
      const status = !doc ? 404 : req.headers['if-none-match'] === doc.etag ? 304 : 200;
      this.log.push({ path: req.url ?? '', status });
      if (!doc) return void res.writeHead(500).end('broken');
      if (status === 304) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': doc.type, etag: doc.etag }).end(doc.body);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  atom(path: string, links: string[], etag: string): void {
    const entries = links
      .map(
        (link, i) =>
          `<entry><id>urn:test:${i}</id><title>Alert ${i}</title><updated>2024-01-01T00:00:00Z` +
          `</updated><link rel="alternate" type="application/cap+xml" href="${link}"/></entry>`,
      )
      .join('');
    const body =
      '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test</id>' +
      `<title>Test</title><updated>2024-01-01T00:00:00Z</updated>${entries}</feed>`;
    this.documents.set(path, { body, etag: etag, type: 'application/atom+xml' });
  }

  cap(path: string, body: string | Buffer): void {
    this.documents.set(path, { body, etag: `"${path}"`, type: 'application/cap+xml' });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('feed ingestion', () => {
  const feeds = new FeedServer();
  let api: TestApp;
  let a: TestAgency;
  let admin: string;

  const addFeed = (body: Record<string, unknown>, token = admin) =>
    request(`${api.url}/api/feeds/sources`, { method: 'POST', token, body });
  const pollNow = async (id: string) =>
    (await request(`${api.url}/api/feeds/sources/${id}/poll`, { method: 'POST', token: admin }))
      .body;
  const alertsOfA = async () =>
    (
      await sql(api, 'SELECT identifier FROM alerts WHERE agency_id = $1 ORDER BY identifier', [
        a.id,
      ])
    ).map((row: { identifier: string }) => row.identifier);
  const settled = async (id: string) => {
    for (let i = 0; i < 100; i += 1) {
      const feed = await request(`${api.url}/api/feeds/sources/${id}`, { token: admin });
      if (feed.body.lastPolledAt) return feed.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the feed was never polled');
  };

  beforeAll(async () => {
    await feeds.start();
    const host = new URL(feeds.url).host;
    api = await startTestApp(identityEnv({ FEED_ALLOWED_HOSTS: host }));
    const operator = await loginOperator(api.url);
    a = await createAgency(api.url, operator.accessToken);
    admin = a.users.admin.accessToken;
    await request(`${api.url}/api/me/location`, {
      method: 'PUT',
      token: a.users.responder.accessToken,
      body: INSIDE_LYON,
    });
  });

  afterAll(async () => {
    await api?.close();
    await feeds.close();
  });

  it('ingests an Atom feed of CAP links, twice without duplicates, and honours 304', async () => {
    feeds.cap('/cap/1.xml', lyonCap('FEED-1'));
    feeds.cap('/cap/2.xml', lyonCap('FEED-2'));
    feeds.atom('/alerts.atom', [`${feeds.url}/cap/1.xml`, '/cap/2.xml'], '"v1"');
    const socket = await TestSocket.connect(api.url, a.users.responder.accessToken);

    const created = await addFeed({ url: `${feeds.url}/alerts.atom`, kind: 'atom' });
    const first = await settled(created.body.id);

    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(first).toMatchObject({ lastStatus: 200, etag: '"v1"', importedCount: 2 });
    expect(first.lastError).toBeNull();
    expect(await alertsOfA()).toEqual(['FEED-1', 'FEED-2']);
    await socket.waitFor('alert.created', 2);
    socket.close();

    const second = await pollNow(created.body.id);
    expect(second).toMatchObject({ lastStatus: 304, importedCount: 2, consecutiveFailures: 0 });
    expect(feeds.log.filter((l) => l.path === '/alerts.atom').map((l) => l.status)).toEqual([
      200, 304,
    ]);

    // A new version of the feed: only the new link is fetched and imported.
    feeds.cap('/cap/3.xml', lyonCap('FEED-3'));
    feeds.atom('/alerts.atom', ['/cap/1.xml', '/cap/2.xml', '/cap/3.xml'], '"v2"');
    const third = await pollNow(created.body.id);
    expect(third).toMatchObject({ lastStatus: 200, etag: '"v2"', importedCount: 3 });
    expect(await alertsOfA()).toEqual(['FEED-1', 'FEED-2', 'FEED-3']);
    expect(feeds.log.filter((l) => l.path === '/cap/1.xml')).toHaveLength(1);
  });

  it.skipIf(!samplesPresent)('ingests the shared samples served as a feed', async () => {
    const valid = sampleNames().filter((name) => {
      const parsed = parseCap(readSample(name));

      return parsed.ok && parsed.alert.msgType !== 'Cancel';
    });
    const refused = sampleNames().find((name) => !parseCap(readSample(name)).ok)!;
    for (const name of [...valid, refused]) feeds.cap(`/samples/${name}.xml`, readSample(name));
    feeds.atom(
      '/samples.atom',
      [...valid, refused].map((name) => `/samples/${name}.xml`),
      '"s1"',
    );

    const created = await addFeed({ url: `${feeds.url}/samples.atom`, kind: 'atom' });
    const first = await settled(created.body.id);
    const again = await pollNow(created.body.id);
    const count = await sql(
      api,
      "SELECT count(DISTINCT (sender, identifier)) AS n FROM cap_messages WHERE agency_id = $1 AND identifier NOT LIKE 'FEED-%'",
      [a.id],
    );

    expect(again.lastStatus).toBe(304);
    // Some samples are versions of one message: each distinct message is known once.
    const distinct = new Set(
      valid.map((name) => {
        const parsed = parseCap(readSample(name));

        return parsed.ok ? `${parsed.alert.sender} ${parsed.alert.identifier}` : '';
      }),
    );
    expect(Number(count[0].n)).toBe(distinct.size);
    expect(first.lastError).toContain(`${refused}.xml: refused`);
    expect(again.lastError).toBeNull();
  });

  it('records failures and backs off', async () => {
    const created = await addFeed({
      url: `${feeds.url}/missing.atom`,
      kind: 'atom',
      intervalSeconds: 60,
    });
    const first = await settled(created.body.id);
    const second = await pollNow(created.body.id);

    expect(first).toMatchObject({ lastStatus: 500 });
    expect(second.consecutiveFailures).toBe(first.consecutiveFailures + 1);
    const delay = Date.parse(second.nextPollAt) - Date.parse(second.lastPolledAt);
    expect(delay).toBeGreaterThanOrEqual(60_000 * 2 ** second.consecutiveFailures - 1000);
  });

  it('refuses feeds that would aim the server at itself or its network', async () => {
    const port = new URL(api.url).port;
    const refusals = [
      [`http://example.org/feed.atom`, 'feed.url_not_https'],
      [`https://127.0.0.1:${port}/api/health`, 'feed.url_address_refused'],
      ['https://10.0.0.1/feed.atom', 'feed.url_address_refused'],
      ['https://[::1]/feed.atom', 'feed.url_address_refused'],
      ['https://user:secret@example.org/feed.atom', 'feed.url_invalid'],
      ['file:///etc/passwd', 'feed.url_not_https'],
    ];
    for (const [url, code] of refusals) {
      const response = await addFeed({ url, kind: 'cap' });

      expect(response.status, url).toBe(400);
      expect(response.body.code, url).toBe(code);
    }
    const dispatcher = await addFeed(
      { url: `${feeds.url}/x.atom`, kind: 'atom' },
      a.users.dispatcher.accessToken,
    );
    expect(dispatcher.status).toBe(403);
  });

  it('shows each feed to its agency’s administrators only, and deletes', async () => {
    const created = await addFeed({ url: `${feeds.url}/cap/1.xml`, kind: 'cap' });
    const list = await request(`${api.url}/api/feeds/sources`, { token: admin });
    const asDispatcher = await request(`${api.url}/api/feeds/sources`, {
      token: a.users.dispatcher.accessToken,
    });

    expect(list.body.map((f: any) => f.id)).toContain(created.body.id);
    expect(asDispatcher.status).toBe(403);
    const removed = await request(`${api.url}/api/feeds/sources/${created.body.id}`, {
      method: 'DELETE',
      token: admin,
    });
    expect(removed.status).toBe(204);
    const gone = await request(`${api.url}/api/feeds/sources/${created.body.id}`, {
      token: admin,
    });
    expect(gone.status).toBe(404);
  });
});
