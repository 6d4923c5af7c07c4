// Shared pieces of the console's browser tests: the browser, the runner's
// address and key (from run.sh), a webhook receiver, API calls, screenshots.

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.HOOKRELAY_URL;
export const KEY = process.env.HOOKRELAY_API_KEY;
if (!BASE || !KEY) throw new Error('run through tests/browser/run.sh (HOOKRELAY_URL, HOOKRELAY_API_KEY)');

// Every run takes the screenshots; they land in target/ (so a test run leaves
// the tree clean) unless HOOKRELAY_SCREENSHOTS_DIR names another place, e.g.
// docs/screenshots to refresh the README's.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = `${resolve(ROOT, process.env.HOOKRELAY_SCREENSHOTS_DIR || 'target/screenshots')}/`;
mkdirSync(SHOTS, { recursive: true });

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * What went wrong inside any page: uncaught errors and console errors (a CSP
 * violation is one). Failed requests are left out: a 401 or 422 is expected.
 */
export const problems = [];

/** A page in a fresh context (its own session storage). */
export async function newPage(browser, viewport = DESKTOP) {
  // The page keeps its CSP (a violation is a failure): axe-core goes in through evaluate.
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(msg.text());
  });
  return page;
}

export async function signIn(page, key = KEY) {
  await page.goto(`${BASE}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The webhook called `name`, read through the API. */
export async function webhookNamed(name) {
  const { body } = await api('GET', '/v1/webhooks?limit=100');
  return body.webhooks.find((w) => w.name === name);
}

/** Calls the API as a producer would, outside the browser. */
export async function api(method, path, body, key = KEY) {
  const response = await fetch(BASE + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A full-page PNG in docs/screenshots/ (no focus ring or caret left in it). */
export async function shot(page, name) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true, animations: 'disabled', caret: 'hide' });
}

/** A loopback endpoint that answers `status` and keeps what it received. */
export async function receiver(status = 200) {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status < 300 ? '{"ok":true}' : '{"error":"try later"}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hooks`, received, close: () => server.close() };
}

/** The `date` input value of today plus `days`, in the browser's zone. */
export function day(page, days) {
  return page.evaluate((d) => {
    const at = new Date();
    at.setDate(at.getDate() + d);
    const pad = (n) => String(n).padStart(2, '0');
    return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  }, days);
}

/** axe-core's serious and critical accessibility violations on the page. */
export async function accessibilityProblems(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern
  // (a <script> tag would be refused, as it should be).
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
    return violations.filter((v) => ['serious', 'critical'].includes(v.impact))
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  return found;
}

/**
 * A product's page on another loopback origin (its own port) that shows
 * `/?src=URL` in an iframe, and says when the frame has loaded (a frame
 * the browser refuses loads too: an error page in its place).
 */
export async function embedder() {
  const attribute = (text) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  const server = createServer((req, res) => {
    const src = new URL(req.url, 'http://127.0.0.1').searchParams.get('src') || '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Acme settings</title></head>
<body><h1>Acme settings · Webhooks</h1>
<iframe src="${attribute(src)}" title="Webhooks" width="1100" height="640" onload="document.body.dataset.framed = 'yes'"></iframe>
</body></html>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, page: (src) => `${origin}/?src=${encodeURIComponent(src)}`, close: () => server.close() };
}
