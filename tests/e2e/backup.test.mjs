// Backing up a whole device and restoring it on a fresh one:
// a key worker's 50 plans backed up, a bad backup refused with storage
// unchanged byte for byte, all 50 restored in a fresh browser and opened,
// private notes included; the returns CSV downloaded and parsed; a carer
// moving to a new phone; the gentle reminder; axe-core on the new screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serve, launch, newPage, dumpStorage, PHONE, LAPTOP, startPlan, workerLaptop, inPageAndEngine, engineOf } from './harness.mjs';
import { axe } from './journey.mjs';
import { parseCsv, download, backUp, restoreBackup } from './exchange.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const PASS = 'kettle garden Tuesday';
let server, browser, plans;

before(async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'csp-caseload-')), 'caseload.jsonl');
  execFileSync('cargo', ['run', '--quiet', '--example', 'caseload_fixture', '--', '50', out], { cwd: ROOT, stdio: 'inherit' });
  plans = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  server = await serve();
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

/// Put the fixture's plans into this browser's IndexedDB, as the app stores them.
async function seed(page, list) {
  await page.evaluate(async (recs) => {
    const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    const tx = db.transaction(['chunks', 'plans'], 'readwrite');
    for (const p of recs) {
      tx.objectStore('chunks').put(Uint8Array.from(atob(p.bytes), (c) => c.charCodeAt(0)), p.key);
      tx.objectStore('plans').put(p.summary, p.id);
    }
    await new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); });
    db.close();
  }, list);
}

const restore = restoreBackup;

/// Everything a progress area (data-testid `id`) showed while the page
/// worked: its words, and each bar's value and max.
async function watchProgress(page, id) {
  await page.evaluate((tid) => {
    window.__progress = [];
    new MutationObserver(() => {
      const el = document.querySelector(`[data-testid=${tid}]`);
      if (!el || !el.textContent.trim()) return;
      const bar = el.querySelector('progress');
      window.__progress.push({ words: el.textContent.trim(), value: bar?.value ?? null, max: bar?.max ?? null });
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, id);
}
const shown = (page) => page.evaluate(() => window.__progress);

test('a key worker backs up 50 plans; a fresh browser restores them all and they open; the returns CSV parses', async () => {
  const violations = [];
  const { ctx, page } = await workerLaptop(browser, server.url, { locale: 'en-GB', bypassCSP: true, acceptDownloads: true });
  await seed(page, plans);
  await page.reload();
  await page.getByTestId('caseload-count').filter({ hasText: 'Showing 1 to 20 of 50 plans' }).waitFor();
  // No backup yet: a gentle reminder, which can be put off.
  await page.getByTestId('backup-reminder').waitFor();
  await axe(page, 'caseload with the backup reminder', violations);

  // The filters: drafts are all 50; none signed off.
  await page.getByLabel('Show').selectOption({ label: 'Signed off' });
  await page.getByTestId('caseload-count').filter({ hasText: 'No plans match' }).waitFor();
  await page.getByLabel('Show').selectOption({ label: 'Draft' });
  await page.getByTestId('caseload-count').filter({ hasText: 'of 50 plans matching' }).waitFor();
  await page.getByLabel('Show').selectOption({ label: 'All plans' });

  // The returns CSV: a header and one row a plan, awkward names intact and safe.
  await watchProgress(page, 'returns-progress');
  const csv = await download(page, () => page.getByTestId('download-returns').click());
  assert.match(csv.name, /^carer-support-plan-returns-\d{4}-\d{2}-\d{2}\.csv$/);
  // Long work shows how far it has got, with counts and a bar.
  const returnsShown = await shown(page);
  assert.ok(returnsShown.some((p) => /Reading plan \d+ of 50…/.test(p.words) && p.max === 50 && p.value >= 1), JSON.stringify(returnsShown.slice(0, 5)));
  assert.equal(await page.getByTestId('returns-progress').innerText(), '', 'the progress goes when it is done');
  const rows = parseCsv(csv.text);
  assert.equal(rows.length, 51);
  const header = rows[0];
  for (const col of ['carer_local_reference', 'acsp_requested_date', 'acsp_completed_date', 'is_review', 'hours_caring_per_week_band', 'impact_finances', 'highest_impact', 'eligible_local_threshold', 'support_actions_life-balance']) {
    assert.ok(header.includes(col), col);
  }
  const ref = header.indexOf('carer_local_reference');
  const nameCol = header.indexOf('carer_name');
  assert.deepEqual(rows.slice(1).map((r) => r[ref]).sort(), plans.map((p) => p.id).sort());
  for (const r of rows.slice(1)) {
    const plan = plans.find((p) => p.id === r[ref]);
    if (plan.name.startsWith('=')) assert.equal(r[nameCol], `'${plan.name}`);
    else assert.equal(r[nameCol], plan.name);
    assert.match(r[header.indexOf('acsp_requested_date')], /^\d{4}-\d{2}-\d{2}$/);
  }
  assert.ok(rows.some((r) => r[nameCol].includes(', "')), 'a name with a comma and quotes');

  // Back up everything.
  await page.getByRole('link', { name: 'Back up everything on this device' }).click();
  await page.getByRole('heading', { name: 'Back up everything on this device' }).waitFor();
  await axe(page, 'back up', violations);
  await page.locator('#backup-passphrase').fill('short');
  await page.locator('#backup-passphrase-again').fill('short');
  await page.getByTestId('backup-start').click();
  await page.getByRole('alert').filter({ hasText: 'at least 8 characters' }).waitFor();
  await page.locator('#backup-passphrase').fill(PASS);
  await page.locator('#backup-passphrase-again').fill(PASS);
  await watchProgress(page, 'backup-progress');
  const file = await download(page, () => page.getByTestId('backup-start').click());
  assert.match(file.name, /^carer-support-plan-backup-\d{4}-\d{2}-\d{2}\.txt$/);
  const backupShown = await shown(page);
  assert.ok(backupShown.some((p) => /^Backing up plan \d+ of 50…$/.test(p.words) && p.max === 50), JSON.stringify(backupShown.slice(0, 5)));
  assert.match(file.text, /-----BEGIN CARER SUPPORT PLAN BACKUP-----\nFormat: 2\n/);
  assert.match(file.text, /\nPlans: 50\n/);
  assert.ok(!file.text.includes('Private note'), 'locked');
  await page.getByTestId('backup-done').filter({ hasText: 'Your backup of 50 plans' }).waitFor();
  await page.goto(server.url);
  await page.getByTestId('caseload-count').waitFor();
  assert.equal(await page.getByTestId('backup-reminder').count(), 0, 'no reminder just after a backup');
  await ctx.close();

  // A fresh browser (a new laptop): nothing stored yet.
  const ctx2 = await browser.newContext({ ...LAPTOP, locale: 'en-GB', bypassCSP: true });
  const fresh = await newPage(ctx2, { role: null });
  await fresh.goto(server.url);
  await fresh.getByRole('heading', { name: 'Who uses this device?' }).waitFor();
  await fresh.getByTestId('first-restore').click();
  await fresh.getByRole('heading', { name: 'Restore from a backup' }).waitFor();
  await axe(fresh, 'restore', violations);
  const empty = await dumpStorage(fresh);

  // Every bad backup: its own words, and nothing stored changes.
  const lines = file.text.split('\n');
  const bodyLine = lines.findIndex((l, i) => i > 12 && l.length === 64);
  const flip = (s) => (s[5] === 'A' ? `${s.slice(0, 5)}B${s.slice(6)}` : `${s.slice(0, 5)}A${s.slice(6)}`);
  const bad = [
    [file.text, 'kettle garden Wednesday', 'That passphrase does not open this backup'],
    [file.text.slice(0, Math.floor(file.text.length / 2)), PASS, 'This backup is incomplete'],
    [lines.map((l, i) => (i === bodyLine ? flip(l) : l)).join('\n'), PASS, 'changed or damaged since it was made'],
    [file.text.replace('Format: 2', 'Format: 3'), PASS, 'made by a newer version of the app'],
    ['Hello, this is not a backup.', PASS, 'This is not a backup from the Carer Support Plan app'],
  ];
  for (const [text, pass, words] of bad) {
    await restore(fresh, 'backup.txt', text, pass);
    await fresh.getByRole('alert').filter({ hasText: words }).waitFor();
    assert.deepEqual(await dumpStorage(fresh), empty, words);
  }

  await watchProgress(fresh, 'restore-progress');
  await restore(fresh, file.name, file.text, PASS);
  await fresh.getByTestId('restore-done').filter({ hasText: 'Restored: 50 plans added to this device.' }).waitFor();
  const restoreShown = await shown(fresh);
  for (const step of [/^Checking plan \d+ of 50…$/, /^Restoring plan \d+ of 50…$/]) {
    assert.ok(restoreShown.some((p) => step.test(p.words) && p.max === 50), `${step}: ${JSON.stringify(restoreShown.slice(-3))}`);
  }
  // Restoring again changes nothing.
  const once = await dumpStorage(fresh);
  await restore(fresh, file.name, file.text, PASS);
  await fresh.getByTestId('restore-done').filter({ hasText: '50 plans already up to date' }).waitFor();
  assert.deepEqual(await dumpStorage(fresh), once);

  // Who uses the device came back with it: the caseload, all 50.
  await fresh.getByRole('link', { name: 'Go to your plans' }).click();
  await fresh.getByTestId('caseload-count').filter({ hasText: 'Showing 1 to 20 of 50 plans' }).waitFor();
  for (const p of plans.slice(0, 50).filter((_, i) => i % 10 === 0)) {
    await fresh.goto(`${server.url}#/plan/${p.id}/notes`);
    await fresh.waitForFunction(() => [...document.querySelectorAll('textarea')].some((t) => t.value.startsWith('Private note')));
    await fresh.goto(`${server.url}#/plan/${p.id}`);
    await fresh.getByRole('heading', { name: /support plan$/ }).waitFor();
  }
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(fresh.errors, []);
  await ctx2.close();
});

test('a carer moving to a new phone backs up on the old one and restores on the new one', async () => {
  const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB', bypassCSP: true, acceptDownloads: true });
  const phone = await newPage(ctx);
  const id = await startPlan(phone, server.url, { name: 'Ann Smith' });
  const file = await backUp(phone, server.url, PASS);
  await ctx.close();

  const ctx2 = await browser.newContext({ ...PHONE, locale: 'en-GB', bypassCSP: true });
  const next = await newPage(ctx2, { role: null });
  await next.goto(server.url);
  await next.getByTestId('first-restore').click();
  await restore(next, file.name, file.text, PASS);
  await next.getByTestId('restore-done').filter({ hasText: '1 plan added' }).waitFor();
  await next.getByRole('link', { name: 'Go to your plans' }).click();
  await next.getByRole('heading', { name: 'Your carer support plans' }).waitFor();
  await next.getByRole('link', { name: 'Ann Smith' }).click();
  await next.getByRole('heading', { name: "Ann Smith's support plan" }).waitFor();
  assert.deepEqual(next.errors, []);
  await ctx2.close();
});

test("a key worker's backup and returns read his plans in the engine, beside the page: the page reads none", async () => {
  const { ctx, page } = await workerLaptop(browser, server.url, { acceptDownloads: true });
  await seed(page, plans);
  await page.reload();
  await page.getByTestId('caseload-count').filter({ hasText: 'Showing 1 to 20 of 50 plans' }).waitFor();
  // Count the reads of plans' stored bytes from the page's and the engine's own scopes.
  const countReads = () => {
    self.__reads = 0;
    for (const name of ['get', 'getAll', 'openCursor']) {
      const real = IDBObjectStore.prototype[name];
      IDBObjectStore.prototype[name] = function (...args) {
        if (this.name === 'chunks') self.__reads += 1;
        return real.apply(this, args);
      };
    }
  };
  await inPageAndEngine(page, countReads);
  const engine = await engineOf(page);

  const csv = await download(page, () => page.getByTestId('download-returns').click());
  assert.equal(parseCsv(csv.text).length, 51);
  const backup = await backUp(page, server.url, PASS);
  assert.match(backup.text, /-----BEGIN CARER SUPPORT PLAN BACKUP-----/);
  assert.equal(await page.evaluate(() => self.__reads), 0, 'the page read no plan');
  assert.ok(await engine.evaluate(() => self.__reads) >= 100, 'the engine read every plan, twice');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
