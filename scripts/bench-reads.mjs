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
// Then the same 20,000 edits spread over ten answers in ten sections
// (`examples/bench.rs --spread-plan-only`), opened the same way: the page
// loads a plan one section at a time, so its longest task is its longest
// section's. `node scripts/bench-reads.mjs [dist] [runs] open` measures the
// openings only. Then the same 20,000 edits signed off three times along the way
// (`examples/bench.rs --signed-plan-only`), opened by a key worker: his
// task list (the sign-off status and "How far things have moved", each
// reading the plan at its signed versions) and "The signed version".
// `node scripts/bench-reads.mjs [dist] [runs] status` measures only the
// key worker's reload of the signed plan at its task list: the time until
// the plan is on screen and until its sign-off status line is (read beside
// the page, from the plan the engine opened).
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serve, launch } from '../tests/e2e/harness.mjs';
import { plan20k, storePlan } from './bench-keystroke.mjs';

const ROOT = new URL('..', import.meta.url).pathname;

/// The 20,000-edit plan signed off three times (its bytes and id).
function signedPlan() {
  const work = mkdtempSync(join(tmpdir(), 'csp-bench-signed-'));
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench', '--', '--out', work, '--signed-plan-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return { bytes: readFileSync(join(work, 'plan-20k-signed.bin')), id: readFileSync(join(work, 'plan-20k-signed.id'), 'utf8').trim() };
}

/// The 20,000 edits spread over ten answers in ten sections, as a carer
/// makes them over months (`examples/bench.rs --spread-plan-only`).
function spreadPlan() {
  const work = mkdtempSync(join(tmpdir(), 'csp-bench-spread-'));
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench', '--', '--out', work, '--spread-plan-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return { bytes: readFileSync(join(work, 'plan-20k-spread.bin')), id: readFileSync(join(work, 'plan-20k-spread.id'), 'utf8').trim() };
}

const dist = process.argv[2] || undefined;
const runs = Number(process.argv[3] ?? 3);
// `open`: only the openings (both plans), not the screens after.
const onlyOpening = process.argv[4] === 'open';
// `status`: only the key worker's reload of the signed plan.
const onlyStatus = process.argv[4] === 'status';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/// Open `plan` on a phone-sized page (a laptop-sized one for a key
/// worker) at 4x CPU; returns the page.
async function opened(browser, server, plan, role = 'carer', then = null) {
  const viewport = role === 'carer' ? { width: 390, height: 844 } : { width: 1280, height: 800 };
  const context = await browser.newContext({ viewport, bypassCSP: true, acceptDownloads: true });
  const p = await context.newPage();
  await p.addInitScript((role) => {
    localStorage.setItem('csp.role', JSON.stringify(role));
    localStorage.setItem('csp.my-name', JSON.stringify('Bench'));
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  }, role);
  const cdp = await context.newCDPSession(p);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await p.goto(server.url);
  // The app has made its database: its home is on screen.
  if (role === 'carer') await p.getByRole('button', { name: 'Start a new plan' }).waitFor();
  else await p.locator('h1').first().waitFor({ timeout: 60_000 });
  await p.waitForTimeout(1_000);
  await storePlan(p, plan);
  await p.goto(`${server.url}#/plan/${plan.id}`);
  await p.reload();
  await p.locator('h1').first().waitFor({ timeout: 60_000 });
  const shown = await p.evaluate(() => performance.now());
  // Something read beside the page, timed from the same reload.
  let thenShown = null;
  if (then) {
    await p.getByTestId(then).waitFor({ timeout: 120_000 });
    thenShown = await p.evaluate(() => performance.now());
  }
  await p.waitForTimeout(3_000);
  // Opening the plan: the reload to its task list, and the longest task
  // meanwhile (the module's start included).
  const longest = await p.evaluate(() => Math.max(0, ...window.__long.map((l) => l.ms)));
  return { context, p, open: { ms: shown, longest, then: thenShown } };
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
if (onlyStatus) {
  const signed = signedPlan();
  const xs = [];
  for (let run = 0; run < runs; run++) {
    const { context, open } = await opened(browser, server, signed, 'key-worker', 'sign-status');
    xs.push(open);
    await context.close();
  }
  const f = (k) => `${median(xs.map((x) => x[k])).toFixed(0)} ms (${xs.map((x) => x[k].toFixed(0)).join(', ')})`;
  console.log(`the 20,000-edit plan signed off three times, a key worker's reload at its task list, 4x CPU, ${runs} runs: median (runs)`);
  console.log(`plan on screen ${f('ms')}; sign-off status on screen ${f('then')}; longest task ${f('longest')}`);
  await browser.close();
  await server.close();
  process.exit(0);
}
const plan = plan20k();
const pages = {
  history: [],
  changes: [],
  'download JSON': [],
  'task list': [],
  'check answers': [],
  'open (reload)': [],
};
for (let run = 0; run < runs; run++) {
  const { context, p, open } = await opened(browser, server, plan);
  pages['open (reload)'].push(open);
  if (onlyOpening) { await context.close(); continue; }
  const base = `#/plan/${plan.id}`;
  pages.history.push(await visit(p, `${base}/history`, () => p.getByTestId('history').locator('li').first().waitFor({ timeout: 120_000 })));
  pages['task list'].push(await visit(p, base, () => p.locator('h1', { hasText: /plan/i }).first().waitFor({ timeout: 120_000 })));
  pages['check answers'].push(await visit(p, `${base}/summary`, () => p.locator('h1', { hasText: 'Check your answers' }).waitFor({ timeout: 120_000 })));
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
const spread = spreadPlan();
const spreadOpen = { 'open (reload)': [] };
for (let run = 0; run < runs; run++) {
  const { context, open } = await opened(browser, server, spread);
  spreadOpen['open (reload)'].push(open);
  await context.close();
}
const signed = onlyOpening ? null : signedPlan();
const worker = { 'task list (signed)': [], 'signed version': [] };
for (let run = 0; run < (onlyOpening ? 0 : runs); run++) {
  const { context, p } = await opened(browser, server, signed, 'key-worker');
  const base = `#/plan/${signed.id}`;
  await visit(p, `${base}/history`, () => p.getByTestId('history').locator('li').first().waitFor({ timeout: 120_000 }));
  worker['task list (signed)'].push(await visit(p, base, async () => {
    await p.getByTestId('sign-status').waitFor({ timeout: 120_000 });
    await p.getByTestId('distance-table').waitFor({ timeout: 120_000 });
  }));
  worker['signed version'].push(await visit(p, `${base}/signed`, () => p.getByTestId('signed-by').waitFor({ timeout: 120_000 })));
  await context.close();
}
const report = (title, table) => {
  console.log(title);
  for (const [name, xs] of Object.entries(table)) {
    if (xs.length === 0) continue;
    const f = (k) => `${median(xs.map((x) => x[k])).toFixed(0)} ms (${xs.map((x) => x[k].toFixed(0)).join(', ')})`;
    console.log(`${name.padEnd(18)} on screen ${f('ms')}; longest task ${f('longest')}`);
  }
};
report(`the 20,000-edit plan, phone-sized, 4x CPU, ${runs} runs: median (runs)`, pages);
report(`the same 20,000 edits spread over ten sections, phone-sized, 4x CPU, ${runs} runs`, spreadOpen);
if (!onlyOpening) report(`the same signed off three times, a key worker's laptop-sized page, 4x CPU, ${runs} runs`, worker);
await browser.close();
await server.close();
