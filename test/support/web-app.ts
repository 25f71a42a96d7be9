/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type WebSocket,
} from 'playwright-core';

const ROOT = path.resolve(__dirname, '../..');

/** Builds the PWA once into a temporary folder (the caller passes it as WEB_DIST_DIR). */
export function buildWeb(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tocsin-web-'));
  buildWebInto(dir);

  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Builds the PWA into `dir`; `env` can stamp a build (VITE_APP_BUILD) to make a new version.
 * Vite refuses two builds of one project at once, so a spec file that meets another one's
 * build waits for it and tries again.
 */
export function buildWebInto(dir: string, env: Record<string, string> = {}): void {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(
        process.execPath,
        [
          path.join(ROOT, 'node_modules/vite/bin/vite.js'),
          'build',
          'apps/web',
          '--outDir',
          dir,
          '--emptyOutDir',
          '--logLevel',
          'error',
        ],
        {
          cwd: ROOT,
          // Vitest runs with NODE_ENV=test, which would give React's development build.
          env: { ...process.env, NODE_ENV: 'production', ...env },
          stdio: ['ignore', 'ignore', 'pipe'],
          timeout: 120_000,
        },
      );

      return;
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
      if (!/another Vite build process/.test(stderr) || attempt >= 30) {
        throw new Error(`vite build failed: ${stderr}`);
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    }
  }
}

/** Debian's Chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };

/** A browser context shaped like a phone (or a desktop), recording CSP violations. */
export async function newContext(
  browser: Browser,
  viewport = PHONE,
): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
  const context = await browser.newContext({
    viewport,
    colorScheme: 'dark',
    serviceWorkers: 'allow',
    isMobile: viewport === PHONE,
    hasTouch: false,
  });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  if (process.env.WEB_DEBUG) {
    page.on('console', (message) => console.log(`[page] ${message.text()}`));
    page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  }
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  return { context, page, cspViolations };
}

export async function loginInBrowser(page: Page, url: string, email: string, password: string) {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page (evaluated through DevTools, so the CSP does not block it). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;

    return (await axe.run()).violations;
  });

  return (violations as AxeViolation[])
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ ...violation, nodes: violation.nodes.slice(0, 3) }));
}

/**
 * Watches the page's Socket.IO connections: each CONNECT packet sent ("40" + auth, given
 * without its prefix) and each refusal received ("44" + error), until `stop()`.
 */
export function watchSocketHandshakes(page: Page) {
  const handshakes: string[] = [];
  const refusals: string[] = [];
  const watch = (socket: WebSocket) => {
    if (!socket.url().includes('/socket.io/')) return;
    socket.on('framesent', ({ payload }) => {
      if (String(payload).startsWith('40')) handshakes.push(String(payload).slice(2));
    });
    socket.on('framereceived', ({ payload }) => {
      if (String(payload).startsWith('44')) refusals.push(String(payload));
    });
  };
  page.on('websocket', watch);

  return { handshakes, refusals, stop: () => page.off('websocket', watch) };
}
