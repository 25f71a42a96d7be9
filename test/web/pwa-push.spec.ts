/// <reference lib="dom" />
/// <reference lib="webworker" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody } from '../support/alert-factory';
import {
  createAgency,
  createGroupWith,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { request, startTestApp, type TestApp } from '../support/test-app';
import { TileServer } from '../support/tile-server';
import {
  buildWeb,
  buildWebInto,
  launchChromium,
  loginInBrowser,
  newContext,
  screenshot,
} from '../support/web-app';

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
}

/**
 * Push in the service worker, through the DevTools protocol (ServiceWorker.deliverPushMessage):
 * one notification per alert with severity and headline as text, none for an alert already on
 * screen.
 */
describe('PWA: push notifications', () => {
  let web: ReturnType<typeof buildWeb>;
  let tiles: TileServer;
  let api: TestApp;
  let agency: TestAgency;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let groupId: string;

  beforeAll(async () => {
    web = buildWeb();
    tiles = await TileServer.start();
    api = await startTestApp(identityEnv({ WEB_DIST_DIR: web.dir, TILE_URL: tiles.template }));
    const operator = await loginOperator(api.url);
    agency = await createAgency(api.url, operator.accessToken);
    groupId = await createGroupWith(api.url, agency.users.admin.accessToken, 'Night shift', [
      agency.users.responder.id,
    ]);
    browser = await launchChromium();
    ({ context, page } = await newContext(browser));
    await context.grantPermissions(['notifications'], { origin: api.url });
    const { email, password } = agency.users.responder;
    await loginInBrowser(page, api.url, email, password);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await tiles?.close();
    web?.remove();
  });

  const sendAlert = async (headline: string): Promise<string> => {
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: agency.users.dispatcher.accessToken,
      body: alertBody({ headline, groupIds: [groupId] }),
    });
    expect(sent.status).toBe(201);

    return sent.body.id as string;
  };

  const deliverPush = async (payload: Record<string, unknown>): Promise<void> => {
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((r) => r.scopeURL === `${api.url}/` && !r.isDeleted);
        if (ours) resolve(ours.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: api.url,
      registrationId: await registrationId,
      data: JSON.stringify(payload),
    });
    await cdp.detach();
  };

  const notifications = async (): Promise<ShownNotification[]> => {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));

    return worker.evaluate(async () => {
      const scope = self as unknown as ServiceWorkerGlobalScope;
      const shown = await scope.registration.getNotifications();

      return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
    });
  };

  const payloadFor = (id: string, headline: string) => ({
    v: 1,
    kind: 'alert',
    id,
    severity: 'Severe',
    headline,
    body: 'Approach from upwind.',
    url: `/alerts/${id}`,
  });

  it('shows one notification with severity and headline, even when pushed twice', async () => {
    const headline = '<b>Tanker</b> leak & fire';
    const id = await sendAlert(headline);
    await page.goto(`${api.url}/chat`);

    await deliverPush(payloadFor(id, headline));
    await deliverPush(payloadFor(id, headline));

    await expect.poll(notifications, { timeout: 10_000 }).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await notifications()).toEqual([
      { title: `SEVERE · ${headline}`, body: 'Approach from upwind.', tag: `alert-${id}` },
    ]);
  }, 60_000);

  it('shows no notification for the alert already on screen', async () => {
    const headline = 'Road closed at the bridge';
    const id = await sendAlert(headline);
    await page.goto(`${api.url}/alerts/${id}`);
    await page.getByRole('heading', { name: headline }).waitFor();
    await screenshot(page, 'responder-push-alert-on-screen');

    await deliverPush(payloadFor(id, headline));
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect((await notifications()).map((n) => n.tag)).not.toContain(`alert-${id}`);

    // The same push for an alert that is not on screen is shown: the delivery itself worked.
    const other = await sendAlert('Second incident');
    await deliverPush(payloadFor(other, 'Second incident'));
    await expect
      .poll(async () => (await notifications()).map((n) => n.tag), { timeout: 10_000 })
      .toContain(`alert-${other}`);
  }, 60_000);

  it('offers a reload when a new version is deployed, and reloads into it', async () => {
    const scriptOf = () =>
      page.evaluate(() => document.querySelector('script[src]')?.getAttribute('src'));
    const before = await scriptOf();
    buildWebInto(web.dir, { VITE_APP_BUILD: 'second' });

    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.getByRole('alert').filter({ hasText: 'A new version of Tocsin is ready' });
    await prompt.waitFor({ timeout: 20_000 });
    await screenshot(page, 'reload-prompt');
    await Promise.all([
      page.waitForEvent('load'),
      prompt.getByRole('button', { name: 'Reload' }).click(),
    ]);

    await expect.poll(scriptOf, { timeout: 10_000 }).not.toBe(before);
    expect(await page.locator('[data-build]').first().getAttribute('data-build')).toBe('second');
  }, 90_000);
});
