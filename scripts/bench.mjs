// Benchmarks (not tests: nothing here passes or fails). Run by
// scripts/bench.sh after a release build: `node scripts/bench.mjs [part…]`
// measures the parts named (all of them if none is), prints a table and,
// when every part ran, rewrites the results part of BENCHMARKS.md with the
// figures and the machine.
//
//   native     cargo run --release --example bench (the document layer in Rust)
//   size       every file of dist/, raw, gzip and brotli
//   browser    Debian's Chromium via playwright-core: cold start (with and
//              without 4x CPU throttling), a 20,000-edit plan's load and
//              keystroke-to-durable, a caseload of 50/200/500 plans
//   keystroke  scripts/bench-keystroke.mjs: a keystroke's own work and its
//              next frame in the real app with 4x CPU throttling
//   like       scripts/bench-keystroke.mjs: the document layer as
//              WebAssembly beside Automerge JS, same page, same typing
//              (needs scripts/bench-wasm.sh first)
//   live       live sync through the real relay on loopback (see
//              scripts/bench-live.mjs): keystroke to the other screen, bytes
//              per keystroke, a caseload of 300 kept-in-step plans
//   backup     scripts/bench-backup-caseload.mjs: back up and restore 500
//              plans; a caseload of 1,000 listed, searched, sorted, filtered
//   hostile    scripts/bench-hostile.mjs: the hostile corpus pasted and
//              refused, the slowest refusal and the longest block
//   js         the same document work done by @automerge/automerge in the
//              same Chromium (its IIFE build), for the ratios to native
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, statSync, mkdtempSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir, cpus, totalmem, platform, release } from 'node:os';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { createRequire } from 'node:module';
import { serve, launch } from '../tests/e2e/harness.mjs';
import { keystroke, likeForLike, haveWasmBench, plan20k } from './bench-keystroke.mjs';
import { benchLive } from './bench-live.mjs';
import { backupAndCaseload } from './bench-backup-caseload.mjs';
import { hostile } from './bench-hostile.mjs';

const PARTS = ['native', 'size', 'browser', 'keystroke', 'like', 'live', 'backup', 'hostile', 'js'];
const asked = process.argv.slice(2);
for (const a of asked) if (!PARTS.includes(a)) throw new Error(`unknown part ${a}: the parts are ${PARTS.join(', ')}`);
const want = (part) => asked.length === 0 || asked.includes(part);

const require = createRequire(import.meta.url);
const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
const RUNS = 5;
const rows = [];

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const pct = (v, q) => { const s = [...v].sort((a, b) => a - b); return s[Math.round((s.length - 1) * q)]; };
function row(group, name, values, unit, goal) {
  const v = Array.isArray(values) ? values : [values];
  rows.push({ group, name, unit, median: median(v), p95: v.length > 1 ? pct(v, 0.95) : null, min: Math.min(...v), max: Math.max(...v), n: v.length, goal: goal ?? '' });
}
const fmt = (x, unit) => (x == null ? '' : unit === 'bytes' ? `${Math.round(x).toLocaleString('en-GB')}` : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

// ---- native ------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'csp-bench-'));
const native = !want('native') ? [] : execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench', '--', '--out', work], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 })
  .split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
for (const r of native) {
  rows.push({ group: 'native (Rust, release)', name: r.name, unit: r.unit, median: r.median, p95: r.p95 ?? null, min: r.min ?? r.median, max: r.max ?? r.median, n: r.p95 == null ? 1 : RUNS, goal: r.name.startsWith('stored size at 20000') ? '≤ 65,536' : r.name.startsWith('merge') ? '≤ 30' : r.name.includes('encrypted') ? '≤ 150' : '' });
}

// ---- bundle ------------------------------------------------------------
function files(dir) { return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? files(p) : [p]; }); }
let total = { raw: 0, gz: 0, br: 0 };
const bundle = !want('size') ? [] : files(DIST).map((p) => {
  const b = readFileSync(p);
  const gz = gzipSync(b, { level: 9 }).length;
  const br = brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total = { raw: total.raw + b.length, gz: total.gz + gz, br: total.br + br };
  return { file: relative(DIST, p), raw: b.length, gz, br };
}).sort((a, b) => b.raw - a.raw);

// ---- browser -----------------------------------------------------------
const server = await serve();
const browser = await launch();
// The 20,000-edit plan the native benchmark writes (alone if it did not run).
const plan20 = want('native') ? { bytes: readFileSync(join(work, 'plan-20k.bin')), id: readFileSync(join(work, 'plan-20k.id'), 'utf8').trim() }
  : want('browser') || want('keystroke') ? plan20k() : null;
const planBytes = plan20?.bytes;
const planId = plan20?.id;
const AM_IIFE = join(ROOT, 'node_modules/@automerge/automerge/dist/iife/iife.js');

async function page(role, { throttle = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  const p = await context.newPage();
  await p.addInitScript(([r]) => {
    localStorage.setItem('csp.role', JSON.stringify(r));
    localStorage.setItem('csp.my-name', JSON.stringify('Bench'));
    localStorage.setItem('csp.bench', '1'); // the app's csp-write/csp-saved times (window.__cspMarks)
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail.wasm.memory; });
  }, [role]);
  if (throttle > 1) {
    const cdp = await context.newCDPSession(p);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  return { context, p };
}

async function putRecords(p, records) {
  await p.evaluate(async (recs) => {
    const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    const tx = db.transaction(['chunks', 'plans'], 'readwrite');
    for (const [store, key, value] of recs) tx.objectStore(store).put(store === 'chunks' ? new Uint8Array(value) : value, key);
    await new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); });
    db.close();
  }, records);
}

if (want('browser')) {
  // Cold start to interactive: a fresh profile each run, to "Start a new plan".
  for (const throttle of [1, 4]) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const { context, p } = await page('carer', { throttle });
      const t0 = Date.now();
      await p.goto(server.url);
      await p.getByRole('button', { name: 'Start a new plan' }).waitFor();
      times.push(Date.now() - t0);
      await context.close();
    }
    row('browser (Chromium, release build)', `cold start to interactive${throttle > 1 ? ', 4x CPU throttling' : ''}`, times, 'ms');
  }

  // The 20,000-edit plan: load, then keystroke to durable in its 5,000-character answer.
  {
    const summary = JSON.stringify({ plan_id: planId, name: 'Ann', updated_at: Date.now(), status: 'draft' });
    const loads = [];
    let keys = [];
    const keySplit = {};
    for (let run = 0; run < 3; run++) {
      const { context, p } = await page('carer');
      await p.goto(server.url);
      await p.getByRole('button', { name: 'Start a new plan' }).waitFor();
      await putRecords(p, [['chunks', `${planId}/s0000000000001-00000001`, [...planBytes]], ['plans', planId, summary]]);
      const t0 = Date.now();
      await p.goto(`${server.url}#/plan/${planId}/area/health-wellbeing`);
      await p.reload();
      const box = p.locator('#wellbeing-health-wellbeing-own-words');
      await p.waitForFunction(() => (document.querySelector('#wellbeing-health-wellbeing-own-words')?.value.length ?? 0) >= 5000);
      loads.push(Date.now() - t0);
      if (run === 0) {
        await box.focus();
        await p.keyboard.press('End');
        await p.evaluate(() => {
          window.__inputs = [];
          document.addEventListener('input', (e) => window.__inputs.push(e.timeStamp), true);
        });
        // The app keeps only its latest marks: read them after each keystroke.
        const split = [];
        for (let i = 0; i < 60; i++) {
          await p.keyboard.type('x');
          await p.waitForFunction((n) => (window.__cspMarks?.['csp-saved'] ?? -1) > window.__inputs[n], i);
          split.push(await p.evaluate((n) => {
            const t = window.__inputs[n];
            const w = window.__cspMarks['csp-write'];
            const s = window.__cspMarks['csp-saved'];
            return [s - t, w - t, s - w];
          }, i));
        }
        keys = split.map((x) => x[0]);
        keySplit.app = split.slice(10).map((x) => x[1]);
        keySplit.idb = split.slice(10).map((x) => x[2]);
      }
      await context.close();
    }
    row('browser (Chromium, release build)', 'open a plan with 20,000 edits (to its 5,000-character answer on screen)', loads, 'ms');
    row('browser (Chromium, release build)', 'keystroke to durable in IndexedDB (20,000-edit plan, 5,000-character answer)', keys.slice(10), 'ms', 'p95 ≤ 4');
    row('browser (Chromium, release build)', '… of which: input event to the write handed to IndexedDB (the app)', keySplit.app, 'ms');
    row('browser (Chromium, release build)', '… of which: IndexedDB write to its transaction complete', keySplit.idb, 'ms');
  }

  // Caseload of 50, 200, 500 plans: time to list them, memory.
  for (const n of [50, 200, 500]) {
    const { context, p } = await page('key-worker');
    await p.goto(server.url);
    await p.getByRole('heading', { name: 'Your caseload' }).waitFor();
    const recs = [];
    for (let i = 0; i < n; i++) {
      const id = (i.toString(16).padStart(8, '0') + planId.slice(8));
      recs.push(['chunks', `${id}/s0000000000001-00000001`, [...planBytes.subarray(0, 64)]]);
      recs.push(['plans', id, JSON.stringify({ plan_id: id, name: `Carer ${i}`, updated_at: Date.now(), status: 'draft', last_shared: Date.now() - i * 3600_000, review_due: `2027-0${1 + (i % 9)}-1${i % 9}`, highest_impact: ['Finances', 'Critical impact'], highest_rank: i % 5 })]);
    }
    await putRecords(p, recs);
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = Date.now();
      await p.reload();
      // The caseload shows 20 plans a page (and says how many in all).
      await p.waitForFunction((k) => document.querySelectorAll('[data-testid=caseload] tbody tr').length === Math.min(k, 20)
        && (document.querySelector('[data-testid=caseload-count]')?.textContent ?? '').includes(`of ${k} plans`), n);
      times.push(Date.now() - t0);
    }
    const mem = await p.evaluate(() => ({ js: performance.memory?.usedJSHeapSize ?? null, wasm: window.__wasmMemory?.buffer.byteLength ?? null }));
    row('browser (Chromium, release build)', `caseload of ${n} plans listed (reload to its first page of 20 rows on screen)`, times, 'ms', n === 500 ? '≤ 500' : '');
    row('browser (Chromium, release build)', `caseload of ${n} plans: JS heap`, mem.js, 'bytes');
    row('browser (Chromium, release build)', `caseload of ${n} plans: WebAssembly memory`, mem.wasm, 'bytes');
    await context.close();
  }
}

// A keystroke's cost in the real app with 4x CPU throttling, and our document
// layer as WebAssembly beside Automerge JS (scripts/bench-keystroke.mjs).
if (want('keystroke')) await keystroke(browser, server, plan20, row);
const ratiosWasm = want('like') && haveWasmBench() ? await likeForLike(browser, row) : [];
// Live sync through the real relay: its own section, scripts/bench-live.mjs.
// Asked for by name, its details (every figure behind the rows) are printed too.
const live = want('live') ? await benchLive({ browser, server, row }) : null;
if (live && asked.includes('live')) console.log(JSON.stringify(live, null, 1));
// Back up and restore 500 plans; a caseload of 1,000.
if (want('backup')) await backupAndCaseload({ browser, server, row, runs: 3, root: ROOT });
// The hostile corpus refused in the page (scripts/bench-hostile.mjs): the
// slowest refusal and the longest block.
if (want('hostile')) {
  const refused = await hostile({ browser, server });
  const slowest = [...refused].sort((a, b) => b.ms - a.ms)[0];
  row('browser (Chromium, release build)', `hostile corpus (${refused.length} files): slowest refusal, ${slowest.name}`, slowest.ms, 'ms', '≤ 500 ms');
  row('browser (Chromium, release build)', `hostile corpus: longest block of the page, ${refused[0].name}`, refused[0].blocked, 'ms', '≤ 100 ms');
}

// Automerge JS doing the same document work in the same browser.
const js = {};
if (want('js')) {
  const { context, p } = await page('carer');
  await p.goto(`${server.url}neutral.html`);
  await p.addScriptTag({ path: AM_IIFE });
  Object.assign(js, await p.evaluate(async () => {
    const A = window.Automerge;
    const out = {};
    const words = 'I look after my mum every day and it is hard to find time for myself. ';
    for (const edits of [1000, 5000, 20000]) {
      let doc = A.change(A.init(), (d) => { d.wellbeing = { 'health-wellbeing': { own_words: '' } }; });
      const times = [];
      let len = 0;
      for (let i = 0; i < edits; i++) {
        const t = performance.now();
        doc = A.change(doc, (d) => {
          if (len >= 5000) { A.splice(d, ['wellbeing', 'health-wellbeing', 'own_words'], len - 1, 1); len -= 1; }
          A.splice(d, ['wellbeing', 'health-wellbeing', 'own_words'], len, 0, words[i % words.length]); len += 1;
        });
        times.push(performance.now() - t);
      }
      const saves = []; let bytes;
      for (let r = 0; r < 5; r++) { const t = performance.now(); bytes = A.save(doc); saves.push(performance.now() - t); }
      const loads = [];
      for (let r = 0; r < 5; r++) { const t = performance.now(); const d = A.load(bytes); void d.wellbeing['health-wellbeing'].own_words.length; loads.push(performance.now() - t); }
      out[edits] = { edit: times.slice(-1000), save: saves, load: loads, size: bytes.length };
    }
    const merges = [];
    for (let r = 0; r < 5; r++) {
      const base = A.change(A.init(), (d) => { d.a = ''; d.b = ''; });
      let x = A.clone(base); let y = A.clone(base);
      for (let i = 0; i < 1000; i++) {
        x = A.change(x, (d) => A.splice(d, ['a'], i, 0, 'c'));
        y = A.change(y, (d) => A.splice(d, ['b'], i, 0, 'w'));
      }
      const t = performance.now(); const m = A.merge(x, y); void m.a.length; merges.push(performance.now() - t);
    }
    out.merge = merges;
    return out;
  }));
  await context.close();
}
await browser.close();
await server.close();

const nat = (name) => native.find((r) => r.name === name)?.median;
const JSG = 'Automerge JS (same Chromium)';
for (const edits of want('js') ? [1000, 5000, 20000] : []) {
  row(JSG, `edit (one keystroke) at ${edits} edits`, js[edits].edit, 'ms');
  row(JSG, `save at ${edits} edits`, js[edits].save, 'ms');
  row(JSG, `load at ${edits} edits`, js[edits].load, 'ms');
  row(JSG, `stored size at ${edits} edits`, js[edits].size, 'bytes');
}
if (want('js')) row(JSG, 'merge 1,000 + 1,000 concurrent changes', js.merge, 'ms');
const ratios = [];
for (const edits of want('js') && want('native') ? [1000, 5000, 20000] : []) {
  ratios.push([`edit at ${edits}`, nat(`edit (one keystroke) at ${edits} edits`) / median(js[edits].edit)]);
  ratios.push([`save at ${edits}`, nat(`save (whole plan) at ${edits} edits`) / median(js[edits].save)]);
  ratios.push([`load at ${edits}`, nat(`load at ${edits} edits`) / median(js[edits].load)]);
  ratios.push([`stored size at ${edits}`, nat(`stored size at ${edits} edits`) / js[edits].size]);
}
if (want('js') && want('native')) ratios.push(['merge 1,000 + 1,000', nat('merge 1,000 + 1,000 concurrent changes') / median(js.merge)]);

// ---- report ------------------------------------------------------------
const chromium = execFileSync('chromium', ['--version'], { encoding: 'utf8' }).trim();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}; Node ${process.version}; ${chromium}`;
let md = `## Results\n\nRun on ${new Date().toISOString().slice(0, 10)} by \`bash scripts/bench.sh\`. Machine: ${machine}.\n\n`;
if (want('size')) {
  md += '### First-load transfer (every file of the release build)\n\n| File | Raw | gzip | brotli |\n|---|---:|---:|---:|\n';
  for (const f of bundle) md += `| ${f.file} | ${f.raw.toLocaleString('en-GB')} | ${f.gz.toLocaleString('en-GB')} | ${f.br.toLocaleString('en-GB')} |\n`;
  md += `| **Total** | **${total.raw.toLocaleString('en-GB')}** | **${total.gz.toLocaleString('en-GB')}** | **${total.br.toLocaleString('en-GB')}** |\n\nGoal: whole first load ≤ 450 KB gzip (460,800 bytes).\n\n`;
}
let group = '';
for (const r of rows) {
  if (r.group !== group) { group = r.group; md += `\n### ${group}\n\n| Figure | Median | p95 | Min | Max | Runs | Unit | Goal |\n|---|---:|---:|---:|---:|---:|---|---|\n`; }
  md += `| ${r.name} | ${fmt(r.median, r.unit)} | ${fmt(r.p95, r.unit)} | ${fmt(r.min, r.unit)} | ${fmt(r.max, r.unit)} | ${r.n} | ${r.unit} | ${r.goal} |\n`;
}
if (ratios.length) {
  md += '\n### Ratios: ours (native Rust) / Automerge JS (in Chromium), medians from this run\n\n| Work | Ratio |\n|---|---:|\n';
  for (const [k, v] of ratios) md += `| ${k} | ${v.toFixed(2)} |\n`;
}
if (ratiosWasm.length) {
  md += '\n### Ratios, like for like: ours as WebAssembly / Automerge JS, both in Chromium, same run, realistic typing\n\n| Work | Ratio | Goal |\n|---|---:|---|\n';
  for (const [k, v, goal] of ratiosWasm) md += `| ${k} | ${v.toFixed(2)} | ${goal} |\n`;
}
process.stdout.write(md);
// Only a run of every part replaces the results (a part alone would drop the rest).
const target = join(ROOT, 'BENCHMARKS.md');
if (asked.length === 0 && existsSync(target)) {
  const old = readFileSync(target, 'utf8');
  const head = old.includes('## Results') ? old.slice(0, old.indexOf('## Results')) : `${old}\n`;
  writeFileSync(target, head + md);
}
