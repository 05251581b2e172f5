// How long the page is blocked while a passphrase lock's key is made
// (Argon2id, 19 MiB, two passes): making a locked share file on the carer's
// phone, and adding it on the key worker's laptop, both with 4× CPU
// throttling, in headless Chromium on the release build. "Blocked" is the
// longest long task (PerformanceObserver 'longtask') from pressing the
// button to the result on screen; "took" is that whole time. A benchmark,
// not a test: it prints figures for BENCHMARKS.md ("Keys made beside the
// page").
//
//   node scripts/bench-lock.mjs              (after a release build: dist/)
//   BENCH_DIST=/other/dist node scripts/bench-lock.mjs   (another build)
//   RUNS=5 node scripts/bench-lock.mjs
import { readFile } from 'node:fs/promises';
import { serve, launch, newPage, PHONE, LAPTOP, startPlan } from '../tests/e2e/harness.mjs';
import { toLockedCheck, chooseFile } from '../tests/e2e/exchange.mjs';

const PASS = 'kettle garden Tuesday';
const RUNS = Number(process.env.RUNS ?? 3);
const dist = process.env.BENCH_DIST;

async function throttled(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

/// Press `button`, wait for `done`: the whole time and the longest long task.
async function measure(page, button, done) {
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
      .observe({ type: 'longtask' });
  });
  const t0 = Date.now();
  await button.click();
  await done.waitFor({ timeout: 120_000 });
  const took = Date.now() - t0;
  await page.waitForTimeout(200);
  const blocked = await page.evaluate(() => Math.max(0, ...window.__long));
  return { took, blocked: Math.round(blocked) };
}

const server = await serve(dist ? { dist } : {});
const browser = await launch();
const rows = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
    const phone = await newPage(phoneCtx);
    const id = await startPlan(phone, server.url, { name: 'Ann Smith' });
    await phone.goto(`${server.url}#/plan/${id}/area/finances`);
    await phone.locator('#wellbeing-finances-own-words').fill('The heating bills worry me.');
    await toLockedCheck(phone, server.url, id, 'Finances', PASS);
    await phone.waitForTimeout(1500); // the engine worker has started by now
    await throttled(phone);
    const share = await measure(phone, phone.getByTestId('confirm-share'), phone.getByRole('heading', { name: 'Your share file is ready' }));
    const [download] = await Promise.all([phone.waitForEvent('download'), phone.getByTestId('download-share').click()]);
    const text = await readFile(await download.path(), 'utf8');

    const laptopCtx = await browser.newContext(LAPTOP);
    const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
    await laptop.goto(server.url);
    await laptop.getByRole('heading', { name: 'Your caseload' }).waitFor();
    await laptop.getByTestId('add-copy').click();
    await chooseFile(laptop, text);
    await laptop.getByTestId('import-header').waitFor();
    await laptop.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await throttled(laptop);
    const add = await measure(laptop, laptop.getByTestId('import-add'), laptop.getByRole('heading', { name: 'What changed since you last looked' }));
    rows.push({ share, add });
    console.log(`run ${run + 1}: making the locked file took ${share.took} ms, page blocked at most ${share.blocked} ms; adding it took ${add.took} ms, page blocked at most ${add.blocked} ms`);
    await phoneCtx.close();
    await laptopCtx.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`median of ${RUNS}, 4× CPU: locked share made in ${median(rows.map((r) => r.share.took))} ms, blocked ${median(rows.map((r) => r.share.blocked))} ms; added in ${median(rows.map((r) => r.add.took))} ms, blocked ${median(rows.map((r) => r.add.blocked))} ms`);
