// A share file whose every field holds script and markup (made natively by
// tests/hostile.rs and kept as a fuzz seed) is added on a key worker's
// laptop; every page that shows the plan is opened. No script runs, no
// dialog opens, and the payloads show as plain text. The page's CSP is
// bypassed, so only the app's own rendering stands in the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, newPage, LAPTOP, planId } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SEED = new URL('../../fuzz/corpus/share_import/seed-000.txt', import.meta.url);

test('an imported plan with script and markup in every field runs no script', async () => {
  const text = await readFile(SEED, 'utf8');
  assert.match(text, /^Encryption: none$/m);
  const ctx = await browser.newContext({ ...LAPTOP, bypassCSP: true });
  const page = await newPage(ctx, { role: 'key-worker', name: 'Sam Jones' });
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.goto(`${server.url}#/import`);
  await page.getByLabel('Or paste the text of the file').fill(text);
  await page.getByTestId('import-continue').click();
  await page.getByTestId('import-header').filter({ hasText: '<script>alert(1)</script>' }).waitFor();
  await page.getByTestId('import-add').click();
  await page.getByRole('heading', { name: 'What changed since you last looked' }).waitFor();
  const id = planId(page);
  const pages = ['', '/about-you', '/about-you/more', '/people', '/people/p1', '/caring-role', '/caring-role/days',
    '/actions', '/actions/x1', '/actions/x2', '/emergency', '/emergency/contact/c1', '/emergency/risk/r1', '/future',
    '/council', '/summary', '/history', '/changes', '/conflicts', '/notes', '/sign-off', '/share'];
  let seen = '';
  for (const p of pages) {
    await page.goto(`${server.url}#/plan/${id}${p}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForTimeout(50);
    seen += await page.locator('main').innerText();
    seen += await page.evaluate(() => [...document.querySelectorAll('main input, main textarea')].map((e) => e.value).join('\n'));
  }
  assert.equal(await page.evaluate(() => document.querySelectorAll('main script, main img, main svg[onload], main iframe').length), 0);
  assert.equal(dialogs, 0, 'no script ran');
  for (const payload of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</textarea><svg onload=alert(1)>']) {
    assert.ok(seen.includes(payload), `shown as text: ${payload}`);
  }
  await page.goto(server.url);
  await page.getByTestId('caseload').getByRole('row').filter({ hasText: '"><img src=x onerror=alert(1)>' }).waitFor();
  assert.equal(dialogs, 0);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
