// Renders public/icons/icon.svg to the PNG sizes the manifest lists, with the system
// Chromium (no browser download). Run once after changing the SVG:
//   node apps/web/scripts/make-icons.mjs
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const svg = readFileSync(path.join(dir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
for (const [size, name, pad] of [
  [192, 'icon-192.png', 0],
  [512, 'icon-512.png', 0],
  [512, 'maskable-512.png', 64],
  [180, 'apple-touch-icon.png', 0],
]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const inner = size - pad * 2;
  await page.setContent(
    `<body style="margin:0;background:#12161c;display:grid;place-items:center;height:${size}px">` +
      `<div style="width:${inner}px;height:${inner}px">${svg}</div></body>`,
  );
  await page.screenshot({ path: path.join(dir, name), omitBackground: pad === 0 });
  await page.close();
}
await browser.close();
