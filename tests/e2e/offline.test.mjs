// Works with no signal: the service worker serves the app offline, it is
// installable, it makes no request but for its own files, the CSP holds,
// and an update waits for the person and loses nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { serve, launch, newPage, saved, PHONE, startPlan } from './harness.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function controlled(page) {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.state === 'activated' && !!navigator.serviceWorker.controller;
  });
}

async function cspWatch(ctx) {
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

test('after one visit the app starts, works and keeps answers with the network off', async () => {
  const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB' });
  await cspWatch(ctx);
  const requests = [];
  ctx.on('request', (r) => requests.push(r.url()));
  const page = await newPage(ctx);
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Start a new plan' }).waitFor();
  await controlled(page);

  await ctx.setOffline(true);
  await page.reload();
  await startPlan(page, server.url, { where: 'Scotland', section: 'About you', here: true });
  await page.getByLabel('Your full name').fill('Typed with no signal');
  await saved(page);
  const url = page.url();
  await page.close();

  const again = await newPage(ctx);
  await again.goto(url);
  assert.equal(await again.getByLabel('Your full name').inputValue(), 'Typed with no signal');
  assert.deepEqual(await again.evaluate(() => window.__csp), [], 'no CSP violations');
  assert.deepEqual(again.errors, []);

  // Every request was for the app's own static files.
  const own = new Set(['/', ...walk(DIST)]);
  for (const r of requests) {
    const u = new URL(r);
    assert.equal(u.origin, new URL(server.url).origin, `request left the app: ${r}`);
    assert.ok(own.has(u.pathname), `request for something not in the build: ${u.pathname}`);
  }
  await ctx.close();
});

function walk(dir, base = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(dir + e.name + '/', base + e.name + '/') : ['/' + base + e.name]);
}

test('the app is installable: manifest, icons, an activated service worker', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  await page.goto(server.url);
  await controlled(page);
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const manifest = await page.evaluate(async (h) => (await fetch(h)).json(), href);
  assert.ok(manifest.name && manifest.short_name);
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/');
  assert.ok(manifest.theme_color && manifest.background_color);
  const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`);
  assert.ok(sizes.includes('192x192 any') && sizes.includes('512x512 any') && sizes.includes('512x512 maskable'));
  for (const icon of manifest.icons) {
    const ok = await page.evaluate(async (src) => (await fetch(src)).ok, icon.src);
    assert.ok(ok, `icon ${icon.src}`);
  }
  // The CSP allows no inline script and no other origin.
  const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(csp, /connect-src 'self'/);
  assert.equal(await page.locator('script:not([src])').count(), 0);
  await ctx.close();
});

test('an update waits until the person taps "Update now", and keeps what they typed', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  await page.goto(server.url);
  await controlled(page);
  const id = await startPlan(page, server.url, { name: 'Before the update', here: true });

  const sw = readFileSync(DIST + 'sw.js', 'utf8');
  try {
    writeFileSync(DIST + 'sw.js', sw + '\n// a new version\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.getByTestId('update-ready').waitFor();
    // Nothing happens until the person chooses: typing carries on.
    await page.getByLabel('Phone number').fill('01698 000111');
    assert.equal(await page.getByLabel('Your full name').inputValue(), 'Before the update');
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Update now' }).click();
    await reloaded;
    await page.getByLabel('Phone number').waitFor();
    assert.equal(await page.getByLabel('Phone number').inputValue(), '01698 000111');
    assert.equal(await page.getByLabel('Your full name').inputValue(), 'Before the update');
  } finally {
    writeFileSync(DIST + 'sw.js', sw);
  }
  await ctx.close();
});
