// The first visit as a carer on a cheap phone feels it: how long until the
// first question's radio button answers a tap, on a fresh profile, with
// slow 4G and a 4× slower CPU applied for real through the DevTools
// protocol (562.5 ms round trip, 1.47 Mbps down, 675 kbps up: Lighthouse's
// `--throttling-method=devtools` mobile profile). The release build in
// `dist` (or the directory given) is served as a host would
// (host-dist.mjs), gzip and then brotli.
//
// A tap is tried every 100 ms from the start; the time is when the page
// handled the first one (the radio's `change` event, from the navigation's
// start). Also: when the app itself had started (index.html's waiting page
// gone). A benchmark: it prints, it asserts nothing.
//
//   node scripts/bench-first-tap.mjs [dist] [runs]
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { host } from './host-dist.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = process.argv[2] ?? join(ROOT, 'dist');
const RUNS = Number(process.argv[3] ?? 3);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function once(url) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'csp-tap-'))}`]
      .filter((a) => !a.startsWith('--user-data-dir')),
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await ctx.addInitScript(() => {
      window.__tap = { tapped: null, app: null };
      document.addEventListener('change', (e) => {
        if (e.target.name === 'role' && window.__tap.tapped === null) window.__tap.tapped = performance.now();
      }, true);
      const frame = () => {
        if (window.__tap.app === null && document.body && !document.getElementById('preload') && document.querySelector('main')) {
          window.__tap.app = performance.now();
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8, uploadThroughput: (675 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(url, { waitUntil: 'commit' });
    const carer = page.locator('input[type=radio][value=carer]');
    for (let i = 0; i < 600; i++) {
      const done = await page.evaluate(() => window.__tap.tapped).catch(() => null);
      if (done !== null) break;
      await carer.tap({ timeout: 100, force: true }).catch(() => {});
    }
    await page.waitForFunction(() => window.__tap.app !== null, null, { timeout: 60_000 });
    return await page.evaluate(() => window.__tap);
  } finally {
    await browser.close();
  }
}

for (const encoding of ['gzip', 'br']) {
  const server = await host(DIST.endsWith('/') ? DIST.slice(0, -1) : DIST, encoding);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(url));
  server.close();
  const s = (k) => (median(runs.map((r) => r[k])) / 1000).toFixed(1);
  const all = (k) => runs.map((r) => (r[k] / 1000).toFixed(1)).join(', ');
  console.log(`${encoding}: first tap answered ${s('tapped')} s (runs ${all('tapped')}); app started ${s('app')} s (runs ${all('app')})`);
}
