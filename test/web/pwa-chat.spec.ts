/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgency,
  identityEnv,
  login,
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
} from '../support/web-app';

/** Chat in two browsers against the real server: live round trip, unread counts, offline order. */
describe('PWA: chat', () => {
  let web: ReturnType<typeof buildWeb>;
  let tiles: TileServer;
  let api: TestApp;
  let agency: TestAgency;
  let browser: Browser;
  let responder: Page;
  let dispatcher: Page;
  let conversationId: string;

  beforeAll(async () => {
    web = buildWeb();
    tiles = await TileServer.start();
    // Access tokens live 30 s (the minimum), so the last test sees several silent refreshes.
    api = await startTestApp(
      identityEnv({
        WEB_DIST_DIR: web.dir,
        TILE_URL: tiles.template,
        ACCESS_TOKEN_TTL_SECONDS: '30',
      }),
    );
    const operator = await loginOperator(api.url);
    agency = await createAgency(api.url, operator.accessToken);
    const admin = agency.users.admin.accessToken;
    const group = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: admin,
      body: { name: 'Engine 7' },
    });
    for (const user of [agency.users.responder, agency.users.dispatcher]) {
      await request(`${api.url}/api/groups/${group.body.id}/members`, {
        method: 'POST',
        token: admin,
        body: { userId: user.id },
      });
    }
    const conversation = await request(`${api.url}/api/conversations`, {
      method: 'POST',
      token: agency.users.dispatcher.accessToken,
      body: { kind: 'group', groupId: group.body.id },
    });
    expect(conversation.status).toBeLessThan(300);
    conversationId = conversation.body.id;

    browser = await launchChromium();
    ({ page: responder } = await newContext(browser));
    ({ page: dispatcher } = await newContext(browser, DESKTOP));
    const r = agency.users.responder;
    const d = agency.users.dispatcher;
    await loginInBrowser(responder, api.url, r.email, r.password);
    await loginInBrowser(dispatcher, api.url, d.email, d.password);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await tiles?.close();
    web?.remove();
  });

  it('sends a message one way and the answer back, live, as text', async () => {
    await dispatcher.getByRole('link', { name: 'Chat' }).click();
    await dispatcher.getByRole('link', { name: /Engine 7/ }).click();
    await dispatcher.getByRole('heading', { name: 'Engine 7' }).waitFor();

    await responder.getByRole('link', { name: 'Chat' }).click();
    await responder.getByRole('link', { name: /Engine 7/ }).click();
    await responder.getByRole('textbox', { name: 'Message' }).fill('Arriving <b>now</b>');
    await responder.getByRole('button', { name: 'Send' }).click();

    const received = dispatcher.locator('.message-body', { hasText: 'Arriving <b>now</b>' });
    await received.waitFor({ timeout: 15_000 });
    expect(await dispatcher.locator('.messages b').count()).toBe(0);

    await dispatcher
      .getByRole('textbox', { name: 'Message' })
      .fill('Copy, staging at the north gate');
    await dispatcher.getByRole('button', { name: 'Send' }).click();
    await responder.getByText('Copy, staging at the north gate').waitFor({ timeout: 15_000 });
    await screenshot(responder, 'responder-chat');
  }, 90_000);

  it('counts unread messages on the conversation list', async () => {
    await responder.getByRole('button', { name: '← Chat' }).click();
    await dispatcher.getByRole('textbox', { name: 'Message' }).fill('Bring the thermal camera');
    await dispatcher.getByRole('button', { name: 'Send' }).click();

    await responder.getByLabel('1 unread').waitFor({ timeout: 15_000 });
    await screenshot(responder, 'responder-chat-list');
    expect(await seriousA11yViolations(responder)).toEqual([]);
  }, 60_000);

  it('keeps messages written offline and sends them in order when back', async () => {
    await responder.getByRole('link', { name: /Engine 7/ }).click();
    await responder.getByText('Bring the thermal camera').waitFor();
    await responder.context().setOffline(true);
    for (const text of ['first while offline', 'second while offline']) {
      await responder.getByRole('textbox', { name: 'Message' }).fill(text);
      await responder.getByRole('button', { name: 'Send' }).click();
    }
    await expect.poll(() => responder.getByText(/waiting to send/).count()).toBe(2);

    await responder.context().setOffline(false);
    await dispatcher.getByText('second while offline').waitFor({ timeout: 30_000 });
    const { accessToken } = await login(
      api.url,
      agency.users.dispatcher.email,
      agency.users.dispatcher.password,
    );
    const page = await request(`${api.url}/api/conversations/${conversationId}/messages`, {
      token: accessToken,
    });
    const bodies = (page.body.messages as { body: string }[]).map((m) => m.body);
    expect(bodies.slice(-2)).toEqual(['first while offline', 'second while offline']);
    expect(bodies.filter((b) => b === 'first while offline')).toHaveLength(1);
  }, 90_000);

  it('keeps the session and the live connection across silent token refreshes', async () => {
    // Past the 30 s life of the tokens the pages started with.
    await new Promise((resolve) => setTimeout(resolve, 40_000));

    await dispatcher.getByRole('textbox', { name: 'Message' }).fill('Still with us?');
    await dispatcher.getByRole('button', { name: 'Send' }).click();
    await responder.getByText('Still with us?').waitFor({ timeout: 15_000 });
    await responder.getByRole('textbox', { name: 'Message' }).fill('Yes, still here');
    await responder.getByRole('button', { name: 'Send' }).click();
    await dispatcher.getByText('Yes, still here').waitFor({ timeout: 15_000 });
    expect(await responder.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
  }, 90_000);
});
