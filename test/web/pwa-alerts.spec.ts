/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { request, startTestApp, type TestApp } from '../support/test-app';
import { TileServer } from '../support/tile-server';
import {
  buildWeb,
  DESKTOP,
  launchChromium,
  loginInBrowser,
  newContext,
  screenshot,
  seriousA11yViolations,
  watchSocketHandshakes,
} from '../support/web-app';

/**
 * The PWA in Debian's Chromium against the real server: a dispatcher draws and sends, a
 * responder sees it live, answers, and the dispatcher's tally follows; offline reading and
 * queued answers; user text as text; no serious accessibility violations; no CSP violation.
 */
describe('PWA: alerts end to end', () => {
  const HEADLINE = '<img src=x onerror="window.__pwned=1"><b>Gas leak</b> at the depot';
  let web: ReturnType<typeof buildWeb>;
  let tiles: TileServer;
  let api: TestApp;
  let agency: TestAgency;
  let browser: Browser;
  let dispatcher: Page;
  let responder: Page;
  let alertId: string;
  const csp: string[] = [];

  beforeAll(async () => {
    web = buildWeb();
    tiles = await TileServer.start();
    api = await startTestApp(identityEnv({ WEB_DIST_DIR: web.dir, TILE_URL: tiles.template }));
    const operator = await loginOperator(api.url);
    agency = await createAgency(api.url, operator.accessToken);
    const admin = agency.users.admin.accessToken;
    const group = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: admin,
      body: { name: 'Hazmat team' },
    });
    await request(`${api.url}/api/groups/${group.body.id}/members`, {
      method: 'POST',
      token: admin,
      body: { userId: agency.users.responder.id },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await tiles?.close();
    web?.remove();
  });

  it('a dispatcher draws an area and sends; the responder sees it live, answers; the tally follows', async () => {
    const r = await newContext(browser);
    responder = r.page;
    csp.push(...r.cspViolations);
    r.page.on('console', (m) => /Content Security Policy/i.test(m.text()) && csp.push(m.text()));
    await loginInBrowser(
      responder,
      api.url,
      agency.users.responder.email,
      agency.users.responder.password,
    );
    await responder.getByText('No alerts. All quiet.').waitFor();
    await responder.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await screenshot(responder, 'responder-empty-inbox');

    const d = await newContext(browser, DESKTOP);
    dispatcher = d.page;
    d.page.on('console', (m) => /Content Security Policy/i.test(m.text()) && csp.push(m.text()));
    await loginInBrowser(
      dispatcher,
      api.url,
      agency.users.dispatcher.email,
      agency.users.dispatcher.password,
    );
    await dispatcher.getByRole('link', { name: 'New alert' }).click();
    await dispatcher.getByLabel('Event').fill('Gas leak');
    await dispatcher.getByLabel('Headline').fill(HEADLINE);
    await dispatcher.getByLabel('Area description').fill('Depot, north gate');
    await dispatcher.getByLabel('Instructions').fill('Stay upwind. <script>alert(1)</script>');
    await dispatcher.getByLabel('Hazmat team').check();
    await drawSquare(dispatcher);
    await dispatcher.getByText('Area drawn.').waitFor();
    await dispatcher.getByRole('button', { name: 'Preview recipients' }).click();
    await dispatcher.getByTestId('preview').getByText('Reaches 1 person').waitFor();
    await screenshot(dispatcher, 'dispatcher-composer');
    await dispatcher.getByRole('button', { name: 'Send alert' }).click();
    await dispatcher.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    alertId = dispatcher.url().split('/').pop() as string;
    await expect.poll(() => tallyOf(dispatcher, 'Recipients')).toBe('1');

    // Live on the responder's map and in the inbox, without a reload; markup stays text.
    const item = responder.locator('.alert-item', { hasText: 'Gas leak' });
    await item.waitFor({ timeout: 15_000 });
    expect(await responder.locator('.alert-headline').first().textContent()).toBe(HEADLINE);
    await expect.poll(() => responder.locator('path.alert-area').count()).toBeGreaterThan(0);
    expect(await responder.locator('.leaflet-marker-icon.alert-pin').count()).toBe(1);
    await screenshot(responder, 'responder-inbox-live');

    // The live notice can be dismissed at once, and its strip never takes clicks meant for
    // what lies beneath it.
    const notice = responder.locator('.notice', { hasText: /New .* alert/ });
    await notice.waitFor();
    expect(
      await responder.locator('.notices').evaluate((el) => getComputedStyle(el).pointerEvents),
    ).toBe('none');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => notice.count()).toBe(0);

    await item.locator('a').click();
    await responder.getByRole('heading', { name: HEADLINE }).waitFor();
    expect(await responder.locator('img[src="x"]').count()).toBe(0);
    expect(
      await responder.evaluate(() => (window as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    await responder.getByLabel('ETA').selectOption('15');
    await responder.getByRole('button', { name: 'Responding' }).click();
    await responder.getByText('Responding, ETA 15 min — sent').waitFor();
    await screenshot(responder, 'responder-alert-view');

    await expect.poll(() => tallyOf(dispatcher, 'Responding'), { timeout: 15_000 }).toBe('1');
    await dispatcher.getByText(/Responding, ETA 15 min/).waitFor();
    await screenshot(dispatcher, 'dispatcher-tally');
  }, 180_000);

  it('shows dispatchers where their responders are, and responders not', async () => {
    const reported = await request(`${api.url}/api/me/location`, {
      method: 'PUT',
      token: agency.users.responder.accessToken,
      body: { lat: 45.75, lon: 4.84, accuracy: 10 },
    });
    expect(reported.status).toBe(200);

    // Pages of their own, so the other tests' pages stay where they are.
    const staff = (await newContext(browser, DESKTOP)).page;
    const field = (await newContext(browser)).page;
    const { dispatcher: d, responder: r } = agency.users;
    await loginInBrowser(staff, api.url, d.email, d.password);
    await loginInBrowser(field, api.url, r.email, r.password);

    await expect.poll(() => staff.locator('path.responder-position').count()).toBe(1);
    await field.locator('.alert-item').first().waitFor();
    expect(await field.locator('path.responder-position').count()).toBe(0);
    await staff.context().close();
    await field.context().close();
  }, 60_000);

  it('asks a user with a temporary password to choose their own before anything else', async () => {
    const operator = await loginOperator(api.url);
    const newcomer = await createUser(api.url, operator.accessToken, agency.id, 'responder', {
      keepTemporaryPassword: true,
    });
    const page = (await newContext(browser)).page;
    await page.goto(api.url);
    await page.getByLabel('Email').fill(newcomer.email);
    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('my-own-password-42');
    await page.getByLabel('New password again').fill('my-own-password-42');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.context().close();

    const me = await request(`${api.url}/api/auth/login`, {
      method: 'POST',
      body: { email: newcomer.email, password: 'my-own-password-42' },
    });
    expect(me.status).toBe(200);
  }, 60_000);

  it('lets an invited user set their password from the invitation link', async () => {
    const email = `invited-${Date.now()}@agency.test`;
    const created = await request(`${api.url}/api/agencies/${agency.id}/users`, {
      method: 'POST',
      token: agency.users.admin.accessToken,
      body: { email, displayName: 'Invited responder', role: 'responder' },
    });
    expect(created.status).toBe(201);
    const page = (await newContext(browser)).page;

    await page.goto(`${api.url}/invitation#token=${created.body.invitation.token}`);
    await page.getByRole('heading', { name: 'Welcome to Tocsin' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill('invited-password-42');
    await page.getByLabel('Password again').fill('invited-password-42');
    await page.getByRole('button', { name: 'Set my password' }).click();
    await page.getByRole('heading', { name: 'Your password is set' }).waitFor();
    await page.context().close();

    const signedIn = await request(`${api.url}/api/auth/login`, {
      method: 'POST',
      body: { email, password: 'invited-password-42' },
    });
    expect(signedIn.status).toBe(200);
  }, 60_000);

  it('draws an alert whose area is a circle', async () => {
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: agency.users.dispatcher.accessToken,
      body: {
        event: 'Bridge closed',
        headline: 'North bridge closed',
        severity: 'Moderate',
        urgency: 'Expected',
        certainty: 'Observed',
        areas: [{ areaDesc: 'North bridge', circle: { center: [4.84, 45.76], radiusMeters: 800 } }],
      },
    });
    expect(sent.status).toBe(201);

    const page = (await newContext(browser)).page;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const { dispatcher: d } = agency.users;
    await loginInBrowser(page, api.url, d.email, d.password);

    await page.locator('.alert-item', { hasText: 'North bridge closed' }).waitFor();
    await expect.poll(() => page.locator('path.alert-area').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();

    await request(`${api.url}/api/alerts/${sent.body.id}/cancel`, {
      method: 'POST',
      token: d.accessToken,
      body: {},
    });
  }, 60_000);

  it('offline, a reload still shows the last alerts; answers made offline are sent in order when back', async () => {
    const context = responder.context();
    await context.setOffline(true);
    await responder.reload();
    await responder.getByText(/Offline, data from/).waitFor({ timeout: 15_000 });
    await responder.getByRole('heading', { name: HEADLINE }).waitFor();
    await screenshot(responder, 'responder-offline');

    await responder.getByRole('button', { name: 'Unavailable' }).click();
    await responder.getByRole('button', { name: 'On scene' }).click();
    await responder.getByText('On scene — waiting to send').waitFor();
    expect(await tallyOf(dispatcher, 'Responding')).toBe('1');

    await context.setOffline(false);
    await responder.getByText('On scene — sent').waitFor({ timeout: 30_000 });
    // Sent in the order made: unavailable first, then on scene, which is what stays.
    await expect.poll(() => tallyOf(dispatcher, 'On scene'), { timeout: 15_000 }).toBe('1');
    expect(await tallyOf(dispatcher, 'Unavailable')).toBe('0');
    const recipients = await request(`${api.url}/api/alerts/${alertId}/recipients`, {
      token: agency.users.dispatcher.accessToken,
    });
    expect(recipients.body.recipients[0].response).toBe('on_scene');
  }, 120_000);

  it('has no serious or critical accessibility violations on the main screens', async () => {
    const screens: [Page, string][] = [
      [responder, `/alerts/${alertId}`],
      [responder, '/'],
      [dispatcher, '/compose'],
      [dispatcher, `/alerts/${alertId}`],
    ];
    for (const [page, path] of screens) {
      await page.goto(`${api.url}${path}`);
      await page.locator('main h1, main h2').first().waitFor();
      await page.waitForTimeout(300);
      expect({ path, violations: await seriousA11yViolations(page) }).toEqual({
        path,
        violations: [],
      });
    }
    const { page: fresh } = await newContext(browser);
    await fresh.goto(api.url);
    await fresh.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(fresh, 'login');
    expect(await seriousA11yViolations(fresh)).toEqual([]);
    await fresh.context().close();
  }, 120_000);

  it('the dispatcher updates, then cancels; the responder sees both live', async () => {
    await responder.goto(api.url);
    await responder.locator('.alert-item').first().waitFor();
    await dispatcher.goto(`${api.url}/alerts/${alertId}`);
    await dispatcher.getByRole('button', { name: 'Update alert' }).click();
    await dispatcher.getByText('Keeping the current area.').waitFor();
    await dispatcher.getByLabel('Headline').fill('Gas leak contained, stay clear');
    await dispatcher.getByRole('button', { name: 'Send update' }).click();
    await dispatcher.getByRole('heading', { name: 'Gas leak contained, stay clear' }).waitFor();

    await responder
      .locator('.alert-headline', { hasText: 'Gas leak contained, stay clear' })
      .waitFor({ timeout: 15_000 });

    await dispatcher.getByRole('button', { name: 'Cancel alert' }).click();
    await dispatcher.getByLabel('Reason (optional)').fill('Leak sealed by the gas company');
    await dispatcher.getByRole('button', { name: 'Yes, cancel this alert' }).click();
    await responder
      .locator('.alert-item.state-cancelled', { hasText: 'Gas leak' })
      .waitFor({ timeout: 15_000 });
    await expect.poll(() => responder.locator('path.alert-area').count()).toBe(0);
    await screenshot(responder, 'responder-inbox-cancelled');
    await responder.goto(`${api.url}/alerts/${alertId}`);
    await responder.getByText('Leak sealed by the gas company').waitFor();
  }, 60_000);

  it('after a reload, the socket connects at its first handshake, with a token', async () => {
    // As below: the last page may still be trading its refresh token; let it finish.
    await responder.waitForLoadState('networkidle');
    await responder.goto(api.url);
    await responder.locator('.alert-item').first().waitFor();
    await responder.waitForLoadState('networkidle');
    const { handshakes, refusals, stop } = watchSocketHandshakes(responder);

    await responder.reload();
    await responder.locator('.alert-item').first().waitFor();
    await expect.poll(() => handshakes.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await responder.waitForLoadState('networkidle');

    expect(refusals).toEqual([]);
    expect(handshakes).toHaveLength(1);
    expect((JSON.parse(handshakes[0]) as { token: string }).token).toMatch(/^ey/);
    stop();
  }, 60_000);

  it('logout clears the data kept on the device', async () => {
    // The last page may still be trading its refresh token (it showed cached alerts first):
    // leaving it mid-trade loses the new token, and the next page's replay of the spent one
    // ends the session, as reuse detection must. Let it finish, as a user's page would.
    await responder.waitForLoadState('networkidle');
    await responder.goto(api.url);
    await responder.getByRole('button', { name: 'Log out' }).click();
    await responder.getByRole('button', { name: 'Sign in' }).waitFor();
    const left = () =>
      responder.evaluate(async () => ({
        session: localStorage.getItem('tocsin.session'),
        // workbox-expiration (the tile cache's bookkeeping) holds nothing about the user.
        databases: (await indexedDB.databases())
          .map((db) => db.name)
          .filter((name) => name !== 'workbox-expiration'),
      }));
    await expect.poll(left).toEqual({ session: null, databases: [] });
    // And it stays gone: nothing still running writes it back.
    await responder.waitForTimeout(1000);
    expect(await left()).toEqual({ session: null, databases: [] });
    expect(csp).toEqual([]);
  }, 60_000);
});

async function drawSquare(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Draw polygon' }).click();
  const box = await page
    .getByRole('region', { name: 'Map for drawing the alert area' })
    .boundingBox();
  if (!box) throw new Error('no map');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const corners: [number, number][] = [
    [cx - 90, cy - 60],
    [cx + 90, cy - 60],
    [cx + 90, cy + 60],
    [cx - 90, cy + 60],
    [cx - 90, cy - 60],
  ];
  for (const [x, y] of corners) {
    await page.mouse.click(x, y);
    await page.waitForTimeout(250);
  }
}

async function tallyOf(page: Page, label: string): Promise<string | null> {
  const cell = page
    .getByTestId('tally')
    .locator('div', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
  if ((await cell.count()) === 0) return null;

  return cell.locator('dd').textContent();
}
