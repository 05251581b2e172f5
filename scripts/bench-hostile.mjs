// How long the page takes to refuse each file of the hostile
// corpus, and the longest time it is blocked meanwhile, in headless
// Chromium on the release build (dist/). A benchmark, not a test: nothing
// passes or fails; it prints a table and the worst case for BENCHMARKS.md.
//
//   node scripts/bench-hostile.mjs            (after `trunk build --release`)
//
// Also run by scripts/bench.mjs (`hostile()`), which adds the worst cases
// to its table.
//
// The corpus: every copy over a limit and every other refusal the native
// tests check (`cargo run --example bench -- --write-hostile DIR`), the
// fuzz seeds of share_import, and a 100 MB file offered as a backup. Each
// is pasted (or picked) as a key worker would; the time runs from pressing
// Continue (or Restore) to the refusal on screen, through "Add this copy"
// (with the passphrase) when the header reads. "Blocked" is the longest
// long task (PerformanceObserver 'longtask') in that time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serve, launch, newPage, LAPTOP } from '../tests/e2e/harness.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const PASS = 'kettle garden Tuesday';

function corpus() {
  const dir = mkdtempSync(join(tmpdir(), 'csp-hostile-'));
  execFileSync('cargo', ['run', '--quiet', '--example', 'bench', '--', '--write-hostile', dir], { cwd: ROOT, stdio: 'inherit' });
  const files = readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
  const seeds = join(ROOT, 'fuzz/corpus/share_import');
  for (const f of readdirSync(seeds).sort()) files.push([`fuzz ${f}`, readFileSync(join(seeds, f), 'utf8')]);
  return files;
}

/// Start watching: long tasks, and when a refusal (or the header, or the
/// added plan) appears.
async function watch(page, { adding = false } = {}) {
  await page.evaluate((adding) => {
    window.__long = [];
    window.__obs?.disconnect();
    window.__obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); });
    window.__obs.observe({ type: 'longtask' });
    window.__start = null;
    window.__end = null;
    window.__outcome = null;
    document.addEventListener('click', () => { window.__start ??= performance.now(); }, { capture: true, once: true });
    const mo = new MutationObserver(() => {
      const problem = document.querySelector('[data-testid="problem"]');
      // While adding, the header is on the page already: only the outcome counts.
      const header = !adding && document.querySelector('[data-testid="import-header"]');
      const same = document.querySelector('[data-testid="import-done"]');
      const added = /What changed since you last looked/.test(document.querySelector('main h1')?.textContent ?? '');
      if (problem || header || added || same) {
        window.__end = performance.now();
        window.__outcome = problem ? 'refused' : added ? 'added' : same ? 'nothing new' : 'header';
        mo.disconnect();
      }
    });
    mo.observe(document.body, { childList: true, subtree: true });
  }, adding);
}

async function outcome(page) {
  await page.waitForFunction(() => window.__outcome != null, null, { timeout: 120_000 });
  await page.waitForTimeout(50);
  return page.evaluate(() => {
    const within = window.__long.filter(([t]) => t >= window.__start - 1 && t <= window.__end + 1);
    return { outcome: window.__outcome, ms: window.__end - window.__start, blocked: Math.max(0, ...within.map(([, d]) => d)) };
  });
}

/// Every file of the corpus, pasted and refused; then the 100 MB backup.
/// Returns one row a file, the longest block first.
export async function hostile({ browser, server }) {
  const ctx = await browser.newContext(LAPTOP);
  const rows = [];
  for (const [name, text] of corpus()) {
    const page = await newPage(ctx, { role: 'key-worker', name: 'Sam Patel' });
    await page.goto(`${server.url}#/import`);
    await page.getByLabel('Or paste the text of the file').waitFor();
    await page.locator('#import-text').evaluate((el, t) => { el.value = t; el.dispatchEvent(new Event('input', { bubbles: true })); }, text);
    await watch(page);
    await page.getByTestId('import-continue').click();
    let r = await outcome(page);
    let total = r.ms;
    let blocked = r.blocked;
    if (r.outcome === 'header') {
      if (await page.locator('#import-passphrase').count()) await page.locator('#import-passphrase').fill(PASS);
      await watch(page, { adding: true });
      await page.getByTestId('import-add').click();
      r = await outcome(page);
      total += r.ms;
      blocked = Math.max(blocked, r.blocked);
    }
    rows.push({ name, kb: Math.round(text.length / 1024), outcome: r.outcome, ms: total, blocked });
    await page.close();
  }
  {
    const page = await newPage(ctx, { role: 'key-worker', name: 'Sam Patel' });
    await page.goto(`${server.url}#/restore`);
    const big = join(mkdtempSync(join(tmpdir(), 'csp-big-')), 'backup.txt');
    writeFileSync(big, Buffer.alloc(100 * 1024 * 1024, 'A'));
    await page.locator('#restore-file').setInputFiles(big);
    await page.locator('#restore-passphrase').fill(PASS);
    await watch(page);
    await page.getByTestId('restore-start').click();
    const r = await outcome(page);
    rows.push({ name: '100 MB file offered as a backup', kb: 100 * 1024, outcome: r.outcome, ms: r.ms, blocked: r.blocked });
    await page.close();
  }
  await ctx.close();
  return rows.sort((a, b) => b.blocked - a.blocked || b.ms - a.ms);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const server = await serve();
  const browser = await launch();
  const rows = await hostile({ browser, server });
  await browser.close();
  await server.close();
  console.log('| file | KB | outcome | pressed to message (ms) | longest block (ms) |');
  console.log('|---|---:|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.kb} | ${r.outcome} | ${r.ms.toFixed(0)} | ${r.blocked.toFixed(0)} |`);
  const worstTime = [...rows].sort((a, b) => b.ms - a.ms)[0];
  console.log(`\n${rows.length} files. Longest block: ${rows[0].blocked.toFixed(0)} ms (${rows[0].name}); slowest refusal: ${worstTime.ms.toFixed(0)} ms (${worstTime.name}).`);
}
