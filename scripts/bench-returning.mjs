// A returning key worker with 1,000 plans on a cheap laptop and a slow
// line: how long from the navigation's start until the caseload's first
// page is on screen (20 rows and "… of 1000 plans" painted), with slow 4G
// and a 4× slower CPU applied for real through the DevTools protocol
// (562.5 ms round trip, 1.47 Mbps down, 675 kbps up: Lighthouse's
// `--throttling-method=devtools` mobile profile, as bench-first-tap.mjs).
// The release build in `dist` (or the directory given) is served as a host
// would (host-dist.mjs, gzip). Two visits:
//
// * cached: the app as its service worker keeps it (a return on the same
//   version, the usual case);
// * not cached: the service worker and the HTTP cache off, so the module
//   comes down the slow line again (a return after an update).
//
// Also when the app itself had started (index.html's waiting page gone).
// One browser for each kind of visit: its caseload written once, then a
// reload not measured (the browser's own caches warm, as on a return), then
// `runs` reloads measured.
// The 1,000 list entries are written straight into IndexedDB in the shape
// the app writes them (no plan's document: listing never loads one). A
// benchmark: it prints, it asserts nothing. `PLANS=20`: another number of
// plans. `THROTTLE=0`: neither line nor
// CPU slowed (this machine as it is), for the app's own listing time.
//
//   node scripts/bench-returning.mjs [dist] [runs]
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { host } from './host-dist.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = (process.argv[2] ?? join(ROOT, 'dist')).replace(/\/$/, '');
const RUNS = Number(process.argv[3] ?? 3);
const PLANS = Number(process.env.PLANS ?? 1000);
const THROTTLE = process.env.THROTTLE !== '0';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function entries() {
  const first = ['Margaret', 'Yusuf', 'Aisha', 'Tom', 'Peggy', 'Kwame', 'Li', 'Sian', 'Dev', 'Grace', 'Olu'];
  const last = ['Brown', 'Mensah', 'Khan', 'Evans', 'Okafor', 'Jones', 'Patel'];
  const day = (i) => new Date(Date.UTC(2026, 0, 1) + ((i * 37) % 900) * 86400000).toISOString().slice(0, 10);
  return Array.from({ length: PLANS }, (_, i) => {
    const id = (i + 1).toString(16).padStart(32, '0');
    return [id, JSON.stringify({
      plan_id: id, name: first[i % 11], full_name: `${first[i % 11]} ${last[i % 7]}`, preferred_name: '',
      updated_at: 1795000000000 + i * 60000, status: i % 3 ? 'draft' : 'signed-off',
      last_shared: i % 2 ? 1795000000000 - i * 3600000 : null, review_due: i % 9 ? day(i) : null,
      highest_impact: i % 4 ? ['Finances', 'Substantial'] : null, highest_rank: i % 4 ? 2 : null,
    })];
  });
}

/// One browser, its caseload written, then `RUNS` reloads measured (after
/// one not measured: the browser's own caches warm, as on a return).
async function runs(url, cached) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: cached ? 'allow' : 'block' });
    await ctx.addInitScript((n) => {
      localStorage.setItem('csp.role', JSON.stringify('key-worker'));
      localStorage.setItem('csp.my-name', JSON.stringify('Sam Patel'));
      window.__at = { listed: null, app: null };
      const frame = () => {
        const count = document.querySelector('main [data-testid=caseload-count]');
        if (window.__at.listed === null && count && count.textContent.endsWith(` of ${n} plans`)
          && document.querySelectorAll('main [data-testid=caseload] tbody tr').length === Math.min(n, 20)) {
          window.__at.listed = performance.now();
        }
        if (window.__at.app === null && document.body && !document.getElementById('preload') && document.querySelector('main')) {
          window.__at.app = performance.now();
        }
        if (window.__at.listed === null || window.__at.app === null) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    }, PLANS);
    const page = await ctx.newPage();
    // Once, unthrottled: the app makes its database (and its service
    // worker keeps the app), then the caseload is written.
    await page.goto(url);
    await page.getByRole('heading', { name: 'Your caseload' }).waitFor();
    if (cached) await page.evaluate(() => navigator.serviceWorker.ready);
    await page.evaluate(async (list) => {
      const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
      const tx = db.transaction('plans', 'readwrite');
      for (const [k, v] of list) tx.objectStore('plans').put(v, k);
      await new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); });
      db.close();
    }, entries());
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    if (!cached) await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (THROTTLE) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8, uploadThroughput: (675 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    const out = [];
    for (let i = 0; i <= RUNS; i++) {
      await page.reload({ waitUntil: 'commit' });
      await page.waitForFunction(() => window.__at.listed !== null && window.__at.app !== null, null, { timeout: 120_000, polling: 200 });
      if (i > 0) out.push(await page.evaluate(() => window.__at));
    }
    return out;
  } finally {
    await browser.close();
  }
}

const server = await host(DIST, 'gzip');
const url = `http://127.0.0.1:${server.address().port}/`;
for (const cached of [true, false]) {
  const measured = await runs(url, cached);
  const s = (k) => Math.round(median(measured.map((r) => r[k])));
  const all = (k) => measured.map((r) => Math.round(r[k])).join(', ');
  console.log(`returning key worker, ${PLANS} plans, ${THROTTLE ? 'slow 4G and 4× CPU' : 'unthrottled'}, ${cached ? 'cached by the service worker' : 'not cached'}: caseload listed ${s('listed')} ms (runs ${all('listed')}); app started ${s('app')} ms (runs ${all('app')})`);
}
server.close();
