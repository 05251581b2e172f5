// What reading a long plan's history and versions costs the page (a
// benchmark, not a test: it prints figures, asserts nothing). `node
// scripts/bench-reads.mjs [dist] [runs]` (`bash scripts/bench.sh reads`):
// the 20,000-edit plan of the keystroke benchmark, phone-sized, 4x CPU,
// opened at its task list; then each page that reads the document beyond
// the plan's answers is opened from the address bar as a person follows a
// link: the plan's history, "What changed since you last looked", and the
// JSON of "Download my data". For each: the time from the move to the
// page's content on screen (or the file offered), and the longest task the
// page's thread ran meanwhile (PerformanceObserver's long tasks: a task
// over 50 ms is a freeze a person can feel; the product's bar is 100 ms).
import { serve, launch } from '../tests/e2e/harness.mjs';
import { plan20k, storePlan } from './bench-keystroke.mjs';

const dist = process.argv[2];
const runs = Number(process.argv[3] ?? 3);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/// Open `plan` on a phone-sized page at 4x CPU; returns the page.
async function opened(browser, server, plan) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true, acceptDownloads: true });
  const p = await context.newPage();
  await p.addInitScript(() => {
    localStorage.setItem('csp.role', JSON.stringify('carer'));
    localStorage.setItem('csp.my-name', JSON.stringify('Bench'));
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  });
  const cdp = await context.newCDPSession(p);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await p.goto(server.url);
  await p.getByRole('button', { name: 'Start a new plan' }).waitFor();
  await storePlan(p, plan);
  await p.goto(`${server.url}#/plan/${plan.id}`);
  await p.reload();
  await p.locator('h1').first().waitFor({ timeout: 60_000 });
  await p.waitForTimeout(3_000);
  return { context, p };
}

/// Move to `hash` and wait for `ready`; the time and the longest task.
async function visit(p, hash, ready) {
  const t0 = await p.evaluate((h) => { window.__long = []; const t = performance.now(); location.hash = h; return t; }, hash);
  await ready();
  const t1 = await p.evaluate(() => performance.now());
  await p.waitForTimeout(300);
  const longest = await p.evaluate((t) => Math.max(0, ...window.__long.filter((l) => l.start >= t - 1).map((l) => l.ms)), t0);
  return { ms: t1 - t0, longest };
}

const server = await serve(dist ? { dist } : {});
const browser = await launch();
const plan = plan20k();
const pages = {
  history: [],
  changes: [],
  'download JSON': [],
  'task list': [],
};
for (let run = 0; run < runs; run++) {
  const { context, p } = await opened(browser, server, plan);
  const base = `#/plan/${plan.id}`;
  pages.history.push(await visit(p, `${base}/history`, () => p.getByTestId('history').locator('li').first().waitFor({ timeout: 120_000 })));
  pages['task list'].push(await visit(p, base, () => p.locator('h1', { hasText: /plan/i }).first().waitFor({ timeout: 120_000 })));
  pages.changes.push(await visit(p, `${base}/changes`, () => p.locator('[data-testid=changes], [data-testid=no-changes], [data-testid=first-copy]').first().waitFor({ timeout: 120_000 })));
  await visit(p, `${base}/data`, () => p.getByTestId('download-json').waitFor());
  const down = p.waitForEvent('download', { timeout: 120_000 });
  const t0 = await p.evaluate(() => { window.__long = []; return performance.now(); });
  await p.getByTestId('download-json').click();
  await down;
  const t1 = await p.evaluate(() => performance.now());
  await p.waitForTimeout(300);
  const longest = await p.evaluate((t) => Math.max(0, ...window.__long.filter((l) => l.start >= t - 1).map((l) => l.ms)), t0);
  pages['download JSON'].push({ ms: t1 - t0, longest });
  await context.close();
}
console.log(`the 20,000-edit plan, phone-sized, 4x CPU, ${runs} runs: median (runs)`);
for (const [name, xs] of Object.entries(pages)) {
  const f = (k) => `${median(xs.map((x) => x[k])).toFixed(0)} ms (${xs.map((x) => x[k].toFixed(0)).join(', ')})`;
  console.log(`${name.padEnd(14)} on screen ${f('ms')}; longest task ${f('longest')}`);
}
await browser.close();
await server.close();
