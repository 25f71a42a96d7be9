import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestAgency } from '../support/identity-factory';
import { alertBody, LYON_SQUARE } from '../support/alert-factory';
import { request, type TestApp } from '../support/test-app';
import { configure, startLiveHelpWorld } from './livehelp-world';

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const NAME = '<b>Sam</b>';
const VISITOR_TEXT = '<img src=x onerror="alert(1)"> where is the shelter?';
const REPLY = 'Hi <script>alert(2)</script>, let me show you';
const ALERT_HEADLINE = 'Boil water <b>now</b>';

let api: TestApp;
let agency: TestAgency;
let site: Server;
let siteOrigin: string;
let browser: Browser;
const dialogs: string[] = [];

/** A page of the agency's own website, embedding the widget with one script tag. */
function sitePage(title: string, agencyId: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body>
    <h1>${title}</h1><p>County emergency information.</p>
    <script src="${api.url}/livehelp/widget.js" data-agency="${agencyId}"></script>
  </body></html>`;
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-livehelp.cjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ api, agency } = await startLiveHelpWorld());
  site = createServer((request, response) => {
    const title = request.url?.startsWith('/help/') ? 'Shelters near you' : 'County home';
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(sitePage(title, agency.id));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  await configure(api, agency, {
    allowedOrigins: [siteOrigin],
    pushPrefixes: [`${siteOrigin}/help/`],
    cannedAnswers: [{ title: 'Greeting', body: 'Hello, how can we help?' }],
    area: LYON_SQUARE,
  });
  const alert = await request(`${api.url}/api/alerts`, {
    method: 'POST',
    token: agency.users.dispatcher.accessToken,
    body: alertBody({ scope: 'Public', headline: ALERT_HEADLINE }),
  });
  expect(alert.status).toBe(201);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await api?.close();
});

/** Polls a locator's text (or count) until the assertion holds, as the page updates. */
const textOf = (locator: Locator) =>
  expect.poll(() => locator.first().textContent({ timeout: 10_000 }), { timeout: 10_000 });
const countOf = (locator: Locator) => expect.poll(() => locator.count(), { timeout: 10_000 });

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `livehelp-${name}.png`), fullPage: true });

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  return page;
}

describe('Live Help in a browser', () => {
  it('a visitor on the agency’s site chats with a representative who pushes a page', async () => {
    const visitor = await newPage();
    await visitor.goto(`${siteOrigin}/`);
    await visitor.getByRole('button', { name: 'Live Help' }).click();
    await visitor.locator('#tocsin-livehelp input[name=name]').fill(NAME);
    await visitor.locator('#tocsin-livehelp input[name=topic]').fill('Shelter <i>tonight</i>');
    await visitor.getByRole('button', { name: 'Start chat' }).click();
    await textOf(visitor.locator('#tocsin-livehelp .status')).toMatch(/Waiting/);
    // The public alert over the agency's area is shown, its markup as text.
    await textOf(visitor.locator('#tocsin-livehelp .alerts')).toContain(ALERT_HEADLINE);
    expect(await visitor.locator('#tocsin-livehelp .alerts b').count()).toBe(0);

    const rep = await newPage();
    await rep.goto(`${api.url}/livehelp/`);
    await rep.locator('input[name=email]').fill(agency.users.dispatcher.email);
    await rep.locator('input[name=password]').fill(agency.users.dispatcher.password);
    await rep.getByRole('button', { name: 'Sign in' }).click();
    const waiting = rep.locator('.queue li', { hasText: NAME });
    await textOf(waiting.locator('.name')).toBe(NAME);
    await textOf(waiting.locator('.topic')).toMatch(/Shelter <i>tonight<\/i>/);
    expect(await rep.locator('.queue b, .queue i').count()).toBe(0);
    await shot(rep, 'console-queue');
    await waiting.getByRole('button', { name: 'Accept' }).click();
    await textOf(rep.locator('.chat h2')).toBe(NAME);
    await textOf(visitor.locator('#tocsin-livehelp .status')).toMatch(/Chatting with/);

    // Both ways, markup shown as text on both sides.
    await visitor.locator('#tocsin-livehelp textarea[name=message]').fill(VISITOR_TEXT);
    await visitor.locator('#tocsin-livehelp').getByRole('button', { name: 'Send' }).click();
    await textOf(rep.locator('.log .msg').last()).toContain(VISITOR_TEXT);
    await rep.locator('textarea[name=reply]').fill(REPLY);
    await rep.locator('form.reply').getByRole('button', { name: 'Send' }).click();
    await textOf(visitor.locator('#tocsin-livehelp .msg').last()).toContain(REPLY);
    expect(await rep.locator('.log img, .log script').count()).toBe(0);
    expect(
      await visitor.locator('#tocsin-livehelp .log img, #tocsin-livehelp .log script').count(),
    ).toBe(0);
    await shot(visitor, 'visitor-chat');
    await shot(rep, 'console-chat');

    // A link outside the allow-list is refused and nothing happens to the visitor.
    await rep.locator('input[name=pushUrl]').fill('https://evil.example/phish');
    await rep.getByRole('button', { name: 'Push page' }).click();
    await textOf(rep.locator('.chat .error')).toMatch(/not on the allow-list/);
    await shot(rep, 'console-push-refused');

    // An allowed page opens in the visitor's tab after a visible notice.
    const target = `${siteOrigin}/help/shelters.html`;
    await rep.locator('input[name=pushUrl]').fill(target);
    await rep.getByRole('button', { name: 'Push page' }).click();
    await textOf(visitor.locator('#tocsin-livehelp .notice')).toContain('opening a page');
    await shot(visitor, 'visitor-push-notice');
    await visitor.waitForURL(target);
    expect(visitor.url()).toBe(target);

    // The chat follows the visitor to the new page, and survives a reload.
    await textOf(visitor.locator('h1')).toMatch('Shelters near you');
    await textOf(visitor.locator('#tocsin-livehelp .msg').first()).toContain(VISITOR_TEXT);
    await visitor.reload();
    await countOf(visitor.locator('#tocsin-livehelp .msg')).toBe(3);
    await textOf(visitor.locator('#tocsin-livehelp .status')).toMatch(/Chatting with/);
    await rep.locator('textarea[name=reply]').fill('Still here after your reload');
    await rep.locator('form.reply').getByRole('button', { name: 'Send' }).click();
    await textOf(visitor.locator('#tocsin-livehelp .msg').last()).toContain('Still here');
    await shot(visitor, 'visitor-after-reload');

    expect(dialogs).toEqual([]);
  });
});
