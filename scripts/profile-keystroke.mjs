// Where a keystroke's time goes on the page's thread (a profile, not a
// benchmark: it prints shares, records nothing). `node
// scripts/profile-keystroke.mjs <dist>`: the 20,000-edit plan of the
// keystroke benchmark opened at its 5,000-character answer, phone-sized, 4x
// CPU, 50 keys typed 150 ms apart under V8's sampling profiler (the 10
// before them are warm-up); prints the page's busy time per key and the
// functions with the largest self and inclusive shares, and writes the
// whole profile to keystroke.cpuprofile (in the current directory).
//
// Function names need a module that kept them: the release build's wasm
// as rustc left it, put through wasm-bindgen with --keep-debug and no
// wasm-opt, in a copy of dist/:
//
//   wasm-bindgen --target web --keep-debug --out-dir /tmp/wb \
//     target/wasm32-unknown-unknown/release/carer-plan.wasm
//   cp -r dist /tmp/dist-named && cp /tmp/wb/carer-plan_bg.wasm /tmp/dist-named/carer-plan-*_bg.wasm
//   rm /tmp/dist-named/carer-plan-*_bg.wasm.{gz,br}
//   sed -i 's/ integrity="[^"]*"//g' /tmp/dist-named/index.html
//
// (The JS glue is the same for the same module; integrity hashes no
// longer match the named module, so they are taken out of that copy.)
import { serve, launch } from '../tests/e2e/harness.mjs';
import { plan20k, atTheLongAnswer } from './bench-keystroke.mjs';
import { keystrokes } from './typing.mjs';
import { writeFileSync } from 'node:fs';
// `node scripts/profile-keystroke.mjs <dist> picks`: instead of keys, her
// rating picked 12 times a second apart (alternating two levels, after 4
// warm-up picks), everything the page's thread does in the second after
// each pick profiled: the named change, the engine's answer taken in, the
// screens' reads asked again.
//
// `... <dist> other-tab`: the keys typed in one tab, and the profile taken
// of her other tab open at the same answer (what taking in another tab's
// saves costs, key by key).
const dist = process.argv[2];
const picks = process.argv[3] === 'picks';
const otherTab = process.argv[3] === 'other-tab';
if (!dist) throw new Error('usage: node scripts/profile-keystroke.mjs <dist directory with a named module> [picks|other-tab]');
const server = await serve({ dist });
const browser = await launch();
const plan = plan20k();
const opened = await atTheLongAnswer(browser, server, plan);
const { context, p } = opened;
let { cdp } = opened;
let otherPage = null;
if (otherTab) {
  const other = await context.newPage();
  cdp = await context.newCDPSession(other);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await other.goto(p.url());
  await other.waitForFunction(() => (document.querySelector('#wellbeing-health-wellbeing-own-words')?.value.length ?? 0) >= 5000, null, { timeout: 60_000 });
  await other.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
  });
  otherPage = other;
  await p.bringToFront();
  await p.locator('#wellbeing-health-wellbeing-own-words').focus();
  await p.keyboard.press('End');
}
const script = picks
  ? Array.from({ length: 16 }, (_, i) => (i % 2 ? 'low' : 'moderate'))
  : keystrokes(60, 13).map((k) => (k.del ? 'Backspace' : k.ins));
const warm = picks ? 4 : 10;
const act = async (k) => {
  if (picks) {
    await p.locator(`input[type=radio][name^="rating"][value="${k}"]`).check();
    await p.waitForTimeout(1000);
  } else {
    if (k === 'Backspace') await p.keyboard.press('Backspace'); else await p.keyboard.type(k);
    await p.waitForTimeout(150);
  }
};
for (const k of script.slice(0, warm)) await act(k);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
for (const k of script.slice(warm)) await act(k);
const { profile } = await cdp.send('Profiler.stop');
writeFileSync(picks ? 'choice.cpuprofile' : otherTab ? 'other-tab.cpuprofile' : 'keystroke.cpuprofile', JSON.stringify(profile));
// self time by function, and inclusive by function
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas; const samples = profile.samples;
const cnt = new Map();
for (let i = 0; i < samples.length; i++) cnt.set(samples[i], (cnt.get(samples[i]) ?? 0) + (dt[i + 1] ?? 0));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
let total = 0;
for (const [id, t] of cnt) {
  const n = byId.get(id); const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop()})`;
  if (name === '(idle)' || name === '(program)') continue;
  total += t;
  self.set(name, (self.get(name) ?? 0) + t);
  const seen = new Set();
  for (let x = id; x != null; x = parent.get(x)) { const nn = byId.get(x); const nm = nn.callFrame.functionName || '(anon)'; if (seen.has(nm)) continue; seen.add(nm); incl.set(nm, (incl.get(nm) ?? 0) + t); }
}
if (otherPage) {
  // The other tab's long tasks (over 50 ms) while she typed: a freeze.
  const long = await otherPage.evaluate(() => window.__long);
  const over100 = long.filter((d) => d > 100);
  console.log(`her other tab: ${long.length} long tasks, ${over100.length} over 100 ms, the longest ${Math.round(Math.max(0, ...long))} ms`);
}
const keys = script.length - warm;
const each = picks ? 'pick' : 'key';
console.log(`busy ${(total / 1000).toFixed(1)} ms over ${keys} ${each}s = ${(total / 1000 / keys).toFixed(2)} ms/${each}`);
console.log('--- self');
for (const [n, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log((t / 1000 / keys).toFixed(3), (100 * t / total).toFixed(1) + '%', n.slice(0, 150));
console.log('--- inclusive');
for (const [n, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 70)) console.log((t / 1000 / keys).toFixed(3), (100 * t / total).toFixed(1) + '%', n.slice(0, 150));
await context.close(); await browser.close(); await server.close();
