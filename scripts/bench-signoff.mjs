// What signing off costs the page (a benchmark, not a test: it prints
// figures, asserts nothing). `node scripts/bench-signoff.mjs [dist] [rounds]`:
// the 20,000-edit plan of the keystroke benchmark on a key worker's laptop,
// 4x CPU, at "Sign off the plan". Each round the carer agrees, here in a
// meeting, and the worker presses "Sign off the plan". For each press: the
// page's longest task from the press until the status line says "Signed
// off" (a freeze of the page: nothing answers a tap while it runs), all of
// the page thread's work in that time (CDP's TaskDuration), and the time
// from the press to the plan shown again.
import { serve, launch } from '../tests/e2e/harness.mjs';
import { plan20k, storePlan } from './bench-keystroke.mjs';

const dist = process.argv[2] || undefined;
const rounds = Number(process.argv[3] ?? 3);

const server = await serve(dist ? { dist } : {});
const browser = await launch();
const plan = plan20k();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
const p = await context.newPage();
await p.addInitScript(() => {
  localStorage.setItem('csp.role', JSON.stringify('key-worker'));
  localStorage.setItem('csp.my-name', JSON.stringify('Sam Patel'));
});
const cdp = await context.newCDPSession(p);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await cdp.send('Performance.enable');
const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;

await p.goto(server.url);
// The app's first screen: its storage is made by then.
await p.locator('main h1').first().waitFor({ timeout: 60_000 });
await p.waitForTimeout(1_000);
await storePlan(p, plan);
await p.goto(`${server.url}#/plan/${plan.id}/sign-off`);
await p.reload();
await p.evaluate(() => {
  window.__longest = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
  }).observe({ type: 'longtask' });
});

const longest = [], work = [], shown = [];
for (let i = 0; i < rounds; i++) {
  await p.getByTestId('agree-in-meeting').waitFor({ timeout: 120_000 });
  await p.getByTestId('agree-in-meeting').click();
  await p.getByTestId('agreement').filter({ hasText: 'in a meeting' }).waitFor({ timeout: 120_000 });
  // The 20,000-edit plan has no name in it: the worker types hers.
  await p.getByLabel("Carer's name").fill('Ann Smith');
  await p.waitForTimeout(3_000);
  await p.evaluate(() => { window.__longest = 0; });
  const b0 = await busy();
  const t0 = Date.now();
  await p.getByTestId('sign-off').click();
  // Signed: the form goes back to the plan.
  await p.waitForFunction(() => !location.hash.endsWith('/sign-off'), null, { timeout: 120_000 })
    .catch(async (e) => { console.error(await p.locator('main').innerText()); throw e; });
  shown.push(Date.now() - t0);
  work.push((await busy()) - b0);
  await p.waitForTimeout(500);
  longest.push(await p.evaluate(() => window.__longest));
  await p.goto(`${server.url}#/plan/${plan.id}/sign-off`);
}
const q = (xs, f) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(f * s.length))]; };
const line = (name, xs) => console.log(`${name.padEnd(44)} median ${q(xs, 0.5).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`a sign-off pressed on the 20,000-edit plan, key worker's laptop, 4x CPU, ${rounds} rounds`);
line('the page\'s longest task (a freeze)', longest);
line('the page thread\'s work, press to the plan', work);
line('press to the plan shown again', shown);
await context.close();
await browser.close();
await server.close();
