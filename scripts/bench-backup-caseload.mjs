// Benchmarks (not tests): back up and restore 500 plans (time, file size)
// and a caseload of 1,000 plans listed, searched, sorted and filtered, in
// Debian's Chromium against the release build. Run by scripts/bench.mjs as
// its part `backup` (its table, group "backup and caseload"):
// `bash scripts/bench.sh backup` runs only these and prints the rows.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const GROUP = 'backup and caseload (Chromium, release build)';
const PASS = 'kettle garden Tuesday';

function fixture(root, n) {
  const out = join(mkdtempSync(join(tmpdir(), 'csp-fixture-')), `caseload-${n}.jsonl`);
  execFileSync('cargo', ['run', '--quiet', '--example', 'caseload_fixture', '--', String(n), out], { cwd: root, stdio: 'inherit' });
  return readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

async function seed(p, plans, { chunks = true } = {}) {
  await p.evaluate(async ([recs, withChunks]) => {
    const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    const tx = db.transaction(['chunks', 'plans'], 'readwrite');
    for (const q of recs) {
      if (withChunks) tx.objectStore('chunks').put(Uint8Array.from(atob(q.bytes), (c) => c.charCodeAt(0)), q.key);
      tx.objectStore('plans').put(q.summary, q.id);
    }
    await new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); });
    db.close();
  }, [plans, chunks]);
}

async function context(browser, extra = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, acceptDownloads: true, ...extra });
  const p = await ctx.newPage();
  await p.addInitScript(() => {
    if (!localStorage.getItem('csp.role')) {
      localStorage.setItem('csp.role', JSON.stringify('key-worker'));
      localStorage.setItem('csp.my-name', JSON.stringify('Bench'));
    }
  });
  return { ctx, p };
}

/// Time from a change in the page to the caseload's count or first row
/// showing the result: `act` runs in the page and the clock stops at the
/// first DOM change after it that satisfies `done`.
async function timed(p, act, done) {
  return p.evaluate(([actSrc, doneSrc]) => new Promise((resolve) => {
    const act = new Function(actSrc); const done = new Function(doneSrc);
    const t0 = performance.now();
    const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(performance.now() - t0); } });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    act();
  }), [act, done]);
}

/// In the page: record every long task's duration in `window.__long` from
/// now on (the engine worker's own work is not the page's).
const longTasks = () => {
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
};

export async function backupAndCaseload({ browser, server, row, runs = 3, root }) {
  // ---- back up and restore 500 plans
  const five = fixture(root, 500);
  const { ctx, p } = await context(browser);
  await p.goto(server.url);
  await p.getByRole('heading', { name: 'Your caseload' }).waitFor();
  await seed(p, five);
  await p.reload();
  await p.getByTestId('caseload-count').filter({ hasText: 'of 500 plans' }).waitFor();
  const backups = []; const backupBlocks = []; let text = '';
  for (let i = 0; i < runs; i++) {
    await p.goto(`${server.url}#/backup`);
    await p.locator('#backup-passphrase').fill(PASS);
    await p.locator('#backup-passphrase-again').fill(PASS);
    await p.evaluate(longTasks);
    const t0 = Date.now();
    const [d] = await Promise.all([p.waitForEvent('download'), p.getByTestId('backup-start').click()]);
    backups.push(Date.now() - t0);
    backupBlocks.push(await p.evaluate(() => Math.max(0, ...window.__long)));
    text = readFileSync(await d.path(), 'utf8');
  }
  await ctx.close();
  row(GROUP, 'back up 500 plans (press to file downloaded)', backups, 'ms');
  row(GROUP, 'back up 500 plans: the page\'s longest task meanwhile', backupBlocks, 'ms');
  row(GROUP, 'backup file of 500 plans', Buffer.byteLength(text), 'bytes');
  const restores = []; const restoreBlocks = [];
  for (let i = 0; i < runs; i++) {
    const { ctx: c, p: q } = await context(browser);
    await q.goto(`${server.url}#/restore`);
    await q.locator('#restore-file').setInputFiles({ name: 'backup.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await q.locator('#restore-passphrase').fill(PASS);
    // The page's longest task while restoring (the engine worker's own
    // work is not the page's).
    await q.evaluate(longTasks);
    const t0 = Date.now();
    await q.getByTestId('restore-start').click();
    await q.getByTestId('restore-done').waitFor({ timeout: 600_000 });
    restores.push(Date.now() - t0);
    restoreBlocks.push(await q.evaluate(() => Math.max(0, ...window.__long)));
    await c.close();
  }
  row(GROUP, 'restore 500 plans into a fresh browser (press to "Restored")', restores, 'ms');
  row(GROUP, 'restore 500 plans: the page\'s longest task meanwhile', restoreBlocks, 'ms');

  // ---- a caseload of 1,000
  const thousand = fixture(root, 1000);
  const { ctx: c2, p: w } = await context(browser);
  await w.goto(server.url);
  await w.getByRole('heading', { name: 'Your caseload' }).waitFor();
  await seed(w, thousand, { chunks: false });
  const lists = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = Date.now();
    await w.reload();
    await w.getByTestId('caseload-count').filter({ hasText: 'Showing 1 to 20 of 1000 plans' }).waitFor();
    lists.push(Date.now() - t0);
  }
  row(GROUP, 'caseload of 1,000 listed (reload to first page on screen)', lists, 'ms', '≤ 300 after start');
  const setSearch = (q) => `const i = document.getElementById('caseload-search'); i.value = ${JSON.stringify(q)}; i.dispatchEvent(new Event('input', { bubbles: true }));`;
  const count = (re) => `return ${re}.test(document.querySelector('[data-testid=caseload-count]').textContent);`;
  const searches = [];
  for (let i = 0; i < 10; i++) {
    const [q, re] = [['Yusuf', '/matching/'], ['Mensah', '/matching/'], [thousand[i * 7].id.slice(0, 8), '/of 1 plan /'], ['Peggy Nobody', '/No plans match/']][i % 4];
    searches.push(await timed(w, setSearch(q), count(re)));
    await timed(w, setSearch(''), count('/Showing 1 to 20 of 1000 plans/'));
  }
  row(GROUP, 'caseload of 1,000: search by name or reference (input to count shown)', searches, 'ms', '≤ 300');
  const sorts = [];
  for (let i = 0; i < 6; i++) {
    const before = await w.evaluate(() => document.querySelector('[data-testid=caseload] tbody th').textContent);
    sorts.push(await timed(w, "document.querySelectorAll('.sort-button')[0].click();", `return document.querySelector('[data-testid=caseload] tbody th')?.textContent !== ${JSON.stringify(before)};`));
  }
  row(GROUP, 'caseload of 1,000: sort by carer\'s name (click to first row changed)', sorts, 'ms', '≤ 300');
  const filters = [];
  for (const [code, re] of [['overdue', '/matching/'], ['all', '/of 1000 plans/'], ['review-due', '/matching|No plans/'], ['all', '/of 1000 plans/'], ['draft', '/matching/'], ['all', '/of 1000 plans/']]) {
    filters.push(await timed(w, `const s = document.getElementById('caseload-filter'); s.value = '${code}'; s.dispatchEvent(new Event('change', { bubbles: true }));`, count(re)));
  }
  row(GROUP, 'caseload of 1,000: filter (choice to count shown)', filters, 'ms', '≤ 300');
  await c2.close();
}
