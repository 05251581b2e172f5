// What a screen shows of a plan beyond its answers — its history, what
// others changed since the person last looked, "Download my data" — is
// read by the engine worker from storage with the page's unsaved changes
// (`Read`, src/web/engine/reads.rs): walking a long plan's history held a
// phone's page for a third to two thirds of a second (BENCHMARKS.md, "A
// plan's history read beside the page"). With no engine, the page reads
// it itself, as before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, PHONE, startPlan, engineOf } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SAFE = 'When is it safe to contact you?';

/// Count the reads of plan chunks made from this page's or worker's scope.
const countReads = () => {
  self.__reads = 0;
  const getAll = IDBObjectStore.prototype.getAll;
  IDBObjectStore.prototype.getAll = function (...args) {
    if (this.name === 'chunks') self.__reads += 1;
    return getAll.apply(this, args);
  };
};

test("a long plan's history and what changed are read beside the page, with what she has just typed", async () => {
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  await page.reload();
  await page.getByLabel(SAFE).waitFor();
  const engine = await engineOf(page);
  await page.evaluate(countReads);
  await engine.evaluate(countReads);

  // She types and goes straight to the history, as a person might.
  await page.getByLabel(SAFE).pressSequentially('After ten', { delay: 60 });
  await page.goto(`${server.url}#/plan/${id}/history`);
  const history = await page.getByTestId('history').innerText();
  assert.match(history, /Updated About you/);
  assert.ok(await engine.evaluate(() => self.__reads) > 0, 'the engine read the plan for its history');
  assert.equal(await page.evaluate(() => self.__reads), 0, 'the page read nothing from storage');

  // Nobody else has written in her plan.
  await page.goto(`${server.url}#/plan/${id}/changes`);
  await page.getByTestId('no-changes').waitFor();

  // "Download my data" holds what she typed.
  await page.goto(`${server.url}#/plan/${id}/data`);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const text = await (await json.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  assert.match(text, /After ten/);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('with no engine (its module never arrives), the history and "Download my data" are read on the page', async () => {
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  await ctx.route(/\/engine(-[0-9a-f]+)?_bg\.wasm$/, (r) => r.abort());
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.getByLabel(SAFE).pressSequentially('Mornings', { delay: 60 });
  await page.goto(`${server.url}#/plan/${id}/history`);
  assert.match(await page.getByTestId('history').innerText(), /Updated About you/);
  await page.goto(`${server.url}#/plan/${id}/data`);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const text = await (await json.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  assert.match(text, /Mornings/);
  const unexpected = page.errors.filter((e) => !/Failed to load resource|engine(-[0-9a-f]+)?_bg\.wasm/.test(e));
  assert.deepEqual(unexpected, []);
  await ctx.close();
});
