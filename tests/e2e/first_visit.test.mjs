// The first visit on a slow connection: until the WebAssembly module has
// arrived, index.html's own page says what the app is, how much it
// downloads, and how far it has got, and "Exit this page" already works.
// The e2e server holds back most of the module until the test lets it go.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, PHONE } from './harness.mjs';
import { axe } from './journey.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const bar = (page) => page.getByRole('progressbar', { name: 'Getting the app ready' });

test('before the module arrives, the page says what is happening and the app then takes its place', async () => {
  const server = await serve({ holdWasm: true });
  try {
    // axe-core is injected as a script of the page's own (the next test
    // keeps the CSP and checks it holds).
    const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB', bypassCSP: true });
    const page = await newPage(ctx);
    await page.goto(server.url, { waitUntil: 'commit' });

    await page.getByRole('heading', { level: 1, name: 'Carer support plan' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /share the parts you choose with your key worker/);
    assert.match(text, /The first visit downloads about [\d,]+\sKB, once\. After that the app works without the internet/);
    const kb = Number(text.match(/about ([\d,]+)\sKB/)[1].replace(/,/g, ''));
    assert.ok(kb >= 100 && kb < 5000, `a real size: ${kb} KB`);

    // The bar is fed by the bytes that have come: a quarter is let through.
    await bar(page).waitFor();
    await page.waitForFunction(() => {
      const b = document.getElementById('preload-progress');
      return b.value > 0 && b.value < b.max;
    });
    const [value, max] = await bar(page).evaluate((b) => [b.value, b.max]);
    assert.ok(value / max > 0.2 && value / max < 0.3, `about a quarter: ${value} of ${max}`);
    assert.match(await page.locator('#preload-amount').innerText(), /^2\d% ready$/);

    const found = [];
    await axe(page, 'waiting page', found);
    assert.deepEqual(found, []);

    // Let the rest through: the app takes over; the waiting page is gone.
    server.release();
    await page.getByRole('button', { name: 'Start a new plan' }).waitFor();
    assert.equal(await bar(page).count(), 0);
    assert.equal(await page.locator('main').count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Exit this page' }).count(), 1);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('"Exit this page" works while the module is still downloading', async () => {
  const server = await serve({ holdWasm: true });
  try {
    const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB' });
    await ctx.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await newPage(ctx);
    await page.goto(server.url, { waitUntil: 'commit' });
    await bar(page).waitFor();
    await page.waitForFunction(() => document.getElementById('preload-progress').value > 0);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'the waiting page keeps the CSP');
    const entries = await page.evaluate(() => history.length);
    await page.getByRole('link', { name: 'Exit this page' }).click();
    await page.waitForURL(/neutral\.html$/);
    await page.getByRole('heading', { name: 'Search' }).waitFor();
    assert.equal(await page.title(), 'Search');
    // Like the app's own button, it leaves nothing to go Back to.
    assert.equal(await page.evaluate(() => history.length), entries);
    await ctx.close();
  } finally {
    await server.close();
  }
});
