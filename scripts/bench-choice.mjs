// What a choice costs the page (a benchmark, not a test: it prints figures,
// asserts nothing). `node scripts/bench-choice.mjs [dist] [runs]`: the
// 20,000-edit plan of the keystroke benchmark, phone-sized, 4x CPU, open at
// its wellbeing area with the 5,000-character answer; the carer picks her
// rating, alternating between two levels, one pick a second. For each
// pick: the app's own work (from the radio's change event to the end of
// the app's handler and every microtask it queued: the named change, the
// plan on screen, the save handed on) and the time to the next frame
// painted, as `bench-keystroke.mjs` measures a key; and all the work of the
// page's thread in the second after the pick (CDP's TaskDuration: every
// task, the engine's answer taken in later included, and style, layout and
// paint).
import { serve, launch } from '../tests/e2e/harness.mjs';
import { plan20k, atTheLongAnswer } from './bench-keystroke.mjs';

const dist = process.argv[2] || undefined;
const picks = Number(process.argv[3] ?? 20);
const warm = 4;

const server = await serve(dist ? { dist } : {});
const browser = await launch();
const plan = plan20k();
const { context, p, cdp } = await atTheLongAnswer(browser, server, plan);
await cdp.send('Performance.enable');
const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;
const busyPerPick = [];
await p.evaluate(() => {
  window.__picks = [];
  const after = (f) => { const c = new MessageChannel(); c.port1.onmessage = f; c.port2.postMessage(0); };
  addEventListener('change', (e) => {
    const rec = { t0: e.timeStamp, start: performance.now() };
    window.__picks.push(rec);
    requestAnimationFrame(() => after(() => { rec.paint = performance.now() - rec.t0; }));
  }, true);
  addEventListener('change', () => {
    const rec = window.__picks[window.__picks.length - 1];
    queueMicrotask(() => { rec.work = performance.now() - rec.start; });
  });
});
const radios = p.locator('input[type=radio][name^="rating"]');
const count = await radios.count();
if (count < 2) throw new Error(`no rating to pick (${count} radios)`);
for (let i = 0; i < picks + warm; i++) {
  const b0 = await busy();
  await radios.nth(i % 2).check();
  await p.waitForFunction((n) => { const r = window.__picks[n]; return r && r.work != null && r.paint != null; }, i, { timeout: 30_000 });
  await p.waitForTimeout(1_000);
  if (i >= warm) busyPerPick.push((await busy()) - b0);
}
const recs = (await p.evaluate(() => window.__picks)).slice(warm);
const q = (xs, f) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(f * s.length))]; };
const line = (name, xs) => console.log(`${name.padEnd(40)} median ${q(xs, 0.5).toFixed(1)} ms, p95 ${q(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} picks)`);
console.log(`a rating picked on the 20,000-edit plan's wellbeing page, phone-sized, 4x CPU`);
line('the app\'s own work', recs.map((r) => r.work));
line('pick to the next frame painted', recs.map((r) => r.paint));
line('the page\'s thread busy in the second after', busyPerPick);
await context.close();
await browser.close();
await server.close();
