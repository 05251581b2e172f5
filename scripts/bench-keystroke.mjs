// What a keystroke costs (benchmarks, not tests: nothing here passes or
// fails). Called by scripts/bench.mjs as its parts `keystroke` and `like`:
// `bash scripts/bench.sh keystroke like` runs only these and prints their
// rows without touching BENCHMARKS.md, for a before/after on one build.
//
//   keystroke  the real app (dist/), a 20,000-edit plan open at its
//              5,000-character answer, 4x CPU throttling (CDP
//              Emulation.setCPUThrottlingRate): for each key, the app's own
//              work (from the input event's dispatch to the end of the app's
//              handler and every microtask it queued: the edit, the redraw,
//              the save handed to IndexedDB) and the time from the input
//              event to the next frame painted (a task queued from the next
//              requestAnimationFrame runs once that frame is drawn).
//   like for like  our document layer compiled to WebAssembly
//              (examples/bench_wasm.rs, built by scripts/bench-wasm.sh) beside
//              @automerge/automerge, same page, same Chromium, same
//              keystrokes: words typed one key at a time with slips
//              corrected by Backspace (scripts/typing.mjs).
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { keystrokes } from './typing.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const AM_IIFE = join(ROOT, 'node_modules/@automerge/automerge/dist/iife/iife.js');
const WASM_PKG = join(ROOT, 'target/bench-wasm');
export const GROUP_KEY = 'keystroke in the real app (Chromium, release build, 4x CPU throttling)';
export const GROUP_LIKE = 'document layer as WebAssembly vs Automerge JS (same Chromium, same run)';

/// The 20,000-edit plan the native benchmark writes (its bytes and id).
export function plan20k() {
  const work = mkdtempSync(join(tmpdir(), 'csp-bench-keystroke-'));
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench', '--', '--out', work, '--plan-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return { bytes: readFileSync(join(work, 'plan-20k.bin')), id: readFileSync(join(work, 'plan-20k.id'), 'utf8').trim() };
}

async function throttledPage(browser, rate) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  const p = await context.newPage();
  await p.addInitScript(() => {
    localStorage.setItem('csp.role', JSON.stringify('carer'));
    localStorage.setItem('csp.my-name', JSON.stringify('Bench'));
    localStorage.setItem('csp.bench', '1'); // the app's csp-write/csp-saved times (window.__cspMarks)
  });
  const cdp = await context.newCDPSession(p);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return { context, p, cdp };
}

/// Put `plan` (see `plan20k`) in the page's IndexedDB, as the app stores it.
export async function storePlan(p, plan) {
  const summary = JSON.stringify({ plan_id: plan.id, name: 'Ann', updated_at: Date.now(), status: 'draft' });
  await p.evaluate(async ([id, bytes, sum]) => {
    const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    const tx = db.transaction(['chunks', 'plans'], 'readwrite');
    tx.objectStore('chunks').put(new Uint8Array(bytes), `${id}/s0000000000001-00000001`);
    tx.objectStore('plans').put(sum, id);
    await new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); });
    db.close();
  }, [plan.id, [...plan.bytes], summary]);
}

/// A phone-sized page at 4x CPU with `plan` (see `plan20k`) in its storage,
/// open at the end of its 5,000-character answer, the caret there.
export async function atTheLongAnswer(browser, server, plan) {
  const { context, p, cdp } = await throttledPage(browser, 4);
  await p.goto(server.url);
  await p.getByRole('button', { name: 'Start a new plan' }).waitFor();
  await storePlan(p, plan);
  await p.goto(`${server.url}#/plan/${plan.id}/area/health-wellbeing`);
  await p.reload();
  const box = p.locator('#wellbeing-health-wellbeing-own-words');
  await p.waitForFunction(() => (document.querySelector('#wellbeing-health-wellbeing-own-words')?.value.length ?? 0) >= 5000, null, { timeout: 60_000 });
  await box.focus();
  await p.keyboard.press('End');
  return { context, p, cdp };
}

/// Keystroke figures in the real app. `row(group, name, values, unit, goal)`.
export async function keystroke(browser, server, plan, row, { keys = 80, warm = 10 } = {}) {
  const { context, p, cdp } = await atTheLongAnswer(browser, server, plan);
  // All the page's script time while the keys are typed and stored (its
  // handler, and whatever the engine's answers cost it after), per key.
  await cdp.send('Performance.enable');
  const scriptTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
  await p.evaluate(() => {
    window.__keys = [];
    const after = (f) => { const c = new MessageChannel(); c.port1.onmessage = f; c.port2.postMessage(0); };
    // The window's capture listener runs first and its bubbling listener
    // last, after the app's handler and every microtask it queued (Leptos
    // runs its effects as microtasks, drained after each listener).
    addEventListener('input', (e) => {
      const rec = { t0: e.timeStamp, start: performance.now() };
      window.__keys.push(rec);
      requestAnimationFrame(() => after(() => { rec.paint = performance.now() - rec.t0; }));
    }, true);
    addEventListener('input', () => {
      const rec = window.__keys[window.__keys.length - 1];
      queueMicrotask(() => { rec.work = performance.now() - rec.start; });
    });
  });
  // Realistic keys (letters, spaces, a slip and its Backspace), each saved
  // before the next so that no write overlaps the key measured.
  const script = keystrokes(keys, 13).map((k) => (k.del ? 'Backspace' : k.ins));
  const scriptBefore = await scriptTime();
  for (let i = 0; i < script.length; i++) {
    const k = script[i];
    if (k === 'Backspace') await p.keyboard.press('Backspace'); else await p.keyboard.type(k);
    await p.waitForFunction((n) => { const r = window.__keys[n]; return r && r.work != null && r.paint != null && (window.__cspMarks?.['csp-saved'] ?? -1) > r.t0; }, i, { timeout: 30_000 });
  }
  const perKey = (await scriptTime() - scriptBefore) / script.length;
  const recs = (await p.evaluate(() => window.__keys)).slice(warm);
  await context.close();
  row(GROUP_KEY, "keystroke, all the page's script time per key (Performance.getMetrics' ScriptDuration over the run, with what the engine's answers cost it), same", [perKey], 'ms', 'p95 ≤ 4');
  row(GROUP_KEY, "keystroke, app's own work (its input handler and the microtasks it queues), 5,000-char answer, 20,000-edit plan", recs.map((r) => r.work), 'ms', 'p95 ≤ 8');
  row(GROUP_KEY, 'keystroke to the next frame painted, same', recs.map((r) => r.paint), 'ms', 'p95 ≤ 16');
}

export function haveWasmBench() {
  return existsSync(join(WASM_PKG, 'csp_bench.js'));
}

/// Our document layer (WebAssembly) beside Automerge JS, same keystrokes.
export async function likeForLike(browser, row, { runs = 5 } = {}) {
  const context = await browser.newContext();
  const p = await context.newPage();
  // A page of the bench's own, served from the package directory.
  const { createServer } = await import('node:http');
  const files = {
    '/': ['text/html', '<!doctype html><meta charset=utf-8><title>bench</title>'],
    '/csp_bench.js': ['text/javascript', readFileSync(join(WASM_PKG, 'csp_bench.js'))],
    '/csp_bench_bg.wasm': ['application/wasm', readFileSync(join(WASM_PKG, 'csp_bench_bg.wasm'))],
    '/automerge.js': ['text/javascript', readFileSync(AM_IIFE)],
    '/typing.mjs': ['text/javascript', readFileSync(join(ROOT, 'scripts/typing.mjs'))],
    '/work.mjs': ['text/javascript', readFileSync(join(ROOT, 'scripts/bench-wasm-page.mjs'))],
  };
  const srv = createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) { res.writeHead(404).end(); return; }
    // Cross-origin isolated, so performance.now() is fine-grained (5 µs, not 100 µs).
    res.writeHead(200, { 'content-type': f[0], 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }).end(f[1]);
  });
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${srv.address().port}/`;
  await p.goto(url);
  await p.addScriptTag({ url: `${url}automerge.js` });
  const out = await p.evaluate(async ([base, n]) => {
    const work = await import(`${base}work.mjs`);
    return work.run(base, n);
  }, [url, runs]);
  await context.close();
  await new Promise((ok) => srv.close(ok));
  const ratios = [];
  for (const [edits, r] of Object.entries(out.sizes)) {
    for (const [what, label] of [['edit', 'edit (one keystroke, last 1,000)'], ['save', 'save (whole plan)'], ['load', 'load (to the plan\'s values)']]) {
      row(GROUP_LIKE, `ours: ${label} at ${edits} edits`, r.ours[what], 'ms');
      row(GROUP_LIKE, `Automerge JS: ${label} at ${edits} edits`, r.js[what], 'ms');
      ratios.push([`${what} at ${edits} edits`, med(r.ours[what]) / med(r.js[what]), '≤ 1.0']);
    }
    row(GROUP_LIKE, `ours: stored bytes at ${edits} edits (one compacted save)`, r.ours.bytes, 'bytes');
    row(GROUP_LIKE, `ours: stored bytes at ${edits} edits as the app keeps them (snapshot + increments, compacted as the app does)`, r.ours.kept, 'bytes');
    row(GROUP_LIKE, `Automerge JS: stored bytes at ${edits} edits (A.save)`, r.js.bytes, 'bytes');
    ratios.push([`stored bytes at ${edits} edits (compacted save)`, r.ours.bytes / r.js.bytes, '≤ 3']);
    ratios.push([`stored bytes at ${edits} edits (as the app keeps them)`, r.ours.kept / r.js.bytes, '≤ 3']);
  }
  row(GROUP_LIKE, 'ours: merge 1,000 + 1,000 concurrent keystrokes', out.merge.ours, 'ms');
  row(GROUP_LIKE, 'Automerge JS: merge 1,000 + 1,000 concurrent keystrokes', out.merge.js, 'ms');
  ratios.push(['merge 1,000 + 1,000', med(out.merge.ours) / med(out.merge.js), '≤ 1.0']);
  return ratios;
}

const med = (v) => { const a = Array.isArray(v) ? [...v].sort((x, y) => x - y) : [v]; return a[Math.floor((a.length - 1) / 2)]; };
