// What a screen shows of a plan beyond its answers — its history, what
// others changed since the person last looked, "Download my data" — is
// read by the engine worker from storage with the page's unsaved changes
// (`Read`, src/web/engine/reads.rs): walking a long plan's history held a
// phone's page for a third to two thirds of a second (BENCHMARKS.md, "A
// plan's history read beside the page"). With no engine, the page says so
// plainly and reads it once one runs. So are a key worker's sign-off status, "The
// signed version" and "How far things have moved": each reads the plan at
// its signed versions, which held his page for as long as the history did.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, PHONE, LAPTOP, startPlan, engineOf } from './harness.mjs';
import { sendUnlocked, addFile, addCopy, startAnnsPlan, annSharedWithHerKeyWorker } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SAFE = 'When is it safe to contact you?';

test("a long plan's history and what changed are read beside the page, with what she has just typed", async () => {
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  await page.reload();
  await page.getByLabel(SAFE).waitFor();
  const engine = await engineOf(page);
  // Every request on the chunks' store: the engine opened the plan beside
  // the page, so it asks storage only for what was stored since.
  await page.evaluate(countChunkRequests);
  await engine.evaluate(countChunkRequests);

  // She types and goes straight to the history, as a person might.
  await page.getByLabel(SAFE).pressSequentially('After ten', { delay: 60 });
  await page.goto(`${server.url}#/plan/${id}/history`);
  const history = await page.getByTestId('history').innerText();
  assert.match(history, /Updated About you/);
  assert.ok(await engine.evaluate(() => self.__asked) > 0, 'the engine read the plan for its history');
  assert.equal(await page.evaluate(() => self.__asked), 0, 'the page asked storage for nothing');

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

/// Count every request on the plan chunks' store made from this scope
/// (reading a plan kept from an earlier read asks only for what was
/// stored since).
const countChunkRequests = () => {
  self.__asked = 0;
  for (const name of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor']) {
    const f = IDBObjectStore.prototype[name];
    IDBObjectStore.prototype[name] = function (...args) {
      if (this.name === 'chunks') self.__asked += 1;
      return f.apply(this, args);
    };
  }
};

test("a key worker's sign-off status, signed version and distance travelled are read beside the page", async () => {
  const phoneCtx = await browser.newContext(PHONE);
  const laptopCtx = await browser.newContext({ ...LAPTOP, acceptDownloads: true });
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const id = await startAnnsPlan(phone, server.url, 'Substantial impact');
  await saved(phone);
  await addFile(laptop, `${server.url}#/import`, await sendUnlocked(phone, server.url, id, { carer: true }));

  // Agreed in a meeting and signed.
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agree-in-meeting').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'in a meeting with you' }).waitFor();
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
  const engine = await engineOf(laptop);
  await engine.evaluate(countChunkRequests);

  // He adds his notes on her finances and goes straight to the plan: it is
  // a new draft, with what he has just typed.
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);
  await laptop.getByLabel("Key worker's notes").fill('Grant applied for on her behalf.');
  await laptop.goto(`${server.url}#/plan/${id}`);
  await laptop.getByTestId('sign-status').filter({ hasText: 'Changed since it was signed off' }).waitFor();
  const rows = await laptop.getByTestId('distance-table').locator('tbody tr').allInnerTexts();
  assert.ok(rows.some((r) => /Finances\s+Substantial/.test(r)), rows.join(' | '));
  assert.ok(await engine.evaluate(() => self.__asked) > 0, 'the engine read the plan for its sign-off status');

  // With the engine slow to answer, the line says when the plan was signed
  // and that it is checking; the answer takes its place and nothing below
  // it moves.
  await engine.evaluate(() => {
    const post = self.postMessage.bind(self);
    self.__slow = true;
    self.postMessage = (m, t) => (self.__slow ? setTimeout(() => post(m, t), 1500) : post(m, t));
  });
  await laptop.goto(`${server.url}#/plan/${id}/history`);
  await laptop.getByTestId('history').waitFor();
  await laptop.goto(`${server.url}#/plan/${id}`);
  await laptop.getByTestId('progress').waitFor();
  const where = () => laptop.getByTestId('progress').evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
  const before = await where();
  if (process.env.SHOTS) await laptop.screenshot({ path: `${process.env.SHOTS}/status-reading.png` });
  assert.match(await laptop.getByTestId('sign-status-reading').innerText(), /^Checking\s+Signed off on .*\. Looking for changes made since then: view the signed version/);
  await laptop.getByTestId('sign-status').filter({ hasText: 'Changed since it was signed off' }).waitFor();
  if (process.env.SHOTS) await laptop.screenshot({ path: `${process.env.SHOTS}/status-read.png` });
  assert.equal(await where(), before, 'the task list did not move when the status came');
  await engine.evaluate(() => { self.__slow = false; });

  // The signed version is as it was signed, not as it is now.
  await laptop.waitForTimeout(500);
  await engine.evaluate(() => { self.__asked = 0; });
  await laptop.goto(`${server.url}#/plan/${id}/signed`);
  await laptop.getByTestId('signed-by').filter({ hasText: 'agreed by Ann Smith and signed by Sam Patel' }).waitFor();
  const signed = await laptop.locator('main').innerText();
  assert.match(signed, /The heating bills worry me\./);
  assert.doesNotMatch(signed, /Grant applied for/);
  assert.ok(await engine.evaluate(() => self.__asked) > 0, 'the engine read the signed version');
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('with no engine (it stopped, and its module no longer arrives), the history and "Download my data" say so plainly; once it arrives both are read', async () => {
  const NO_ENGINE = 'part of the app did not start on this device';
  // No service worker, so that the engine's module can be kept from arriving.
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true, serviceWorkers: 'block' });
  let arrives = true;
  await ctx.route(/\/engine(-[0-9a-f]+)?_bg\.wasm$/, (r) => (arrives ? r.continue() : r.abort()));
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.getByLabel(SAFE).pressSequentially('Mornings', { delay: 60 });
  await saved(page);
  arrives = false;
  const engine = await engineOf(page);
  const closed = new Promise((ok) => engine.once('close', ok));
  await engine.evaluate(() => { setTimeout(() => self.close()); });
  await closed;

  await page.goto(`${server.url}#/plan/${id}/history`);
  await page.getByTestId('problem').filter({ hasText: NO_ENGINE }).waitFor();
  await page.getByTestId('history-reading').waitFor();
  await page.goto(`${server.url}#/plan/${id}/data`);
  await page.getByTestId('download-json').click();
  await page.locator('main [role=alert]').filter({ hasText: NO_ENGINE }).waitFor();

  arrives = true;
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const text = await (await json.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  assert.match(text, /Mornings/);
  await page.goto(`${server.url}#/plan/${id}/history`);
  assert.match(await page.getByTestId('history').innerText(), /Updated About you/);
  const unexpected = page.errors.filter((e) => !/Failed to load resource|engine(-[0-9a-f]+)?_bg\.wasm/.test(e));
  assert.deepEqual(unexpected, []);
  await ctx.close();
});

test('when the engine stops without a word (closed, as a memory limit can), a new one reads the history and the download', async () => {
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  await page.getByLabel(SAFE).pressSequentially('After ten', { delay: 60 });
  await saved(page);
  const first = await engineOf(page);
  // No error reaches the page: the worker is simply gone.
  const closed = new Promise((ok) => first.once('close', ok));
  await first.evaluate(() => { setTimeout(() => self.close()); });
  await closed;

  await page.goto(`${server.url}#/plan/${id}/history`);
  await page.getByTestId('history').filter({ hasText: 'Updated About you' }).waitFor({ timeout: 10_000 });
  await page.goto(`${server.url}#/plan/${id}/data`);
  const [json] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    page.getByTestId('download-json').click(),
  ]);
  const text = await (await json.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  assert.match(text, /After ten/);
  const second = page.workers().find((w) => w !== first && /\/engine-loader-[0-9a-f]+\.js$/.test(w.url()));
  assert.ok(second, 'a new engine answered');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('"I have seen these" pressed in one tab clears "What changed" in her other tab', async () => {
  const { phoneCtx, laptopCtx, phone, laptop, id } = await annSharedWithHerKeyWorker(browser, server.url);
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);
  await laptop.getByLabel("Key worker's notes").fill('Refer to the energy advice service.');
  await saved(laptop);
  const back = await sendUnlocked(laptop, server.url, id, { carer: false });

  // She adds his copy and leaves "What changed" open in one tab…
  await phone.goto(`${server.url}#/plan/${id}/import`);
  await addCopy(phone, back);
  await phone.getByTestId('changes').filter({ hasText: 'Finances' }).waitFor();
  // …and in another tab of her phone says she has seen them.
  const other = await newPage(phoneCtx);
  await other.goto(`${server.url}#/plan/${id}/changes`);
  await other.getByTestId('changes').filter({ hasText: 'Finances' }).waitFor();
  await other.getByTestId('mark-seen').click();
  await other.getByTestId('progress').waitFor();
  await phone.getByTestId('no-changes').waitFor({ timeout: 10_000 });
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(other.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('her summary is not drawn again when her other tab stores something that changes nothing on it (its engine tidied the plan)', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startAnnsPlan(page, server.url, 'Substantial impact');
  await saved(page);
  await page.goto(`${server.url}#/plan/${id}/summary`);
  await page.getByRole('heading', { name: 'Finances' }).waitFor();
  await page.waitForTimeout(500);
  // Count what leaves the summary from now on.
  await page.evaluate(() => {
    self.__removed = 0;
    new MutationObserver((ms) => { for (const m of ms) self.__removed += m.removedNodes.length; })
      .observe(document.querySelector('main'), { childList: true, subtree: true });
  });
  // Her other tab's engine stored the plan as it was (a compaction: the same
  // changes in one snapshot), and says so on the tabs' channel.
  const other = await newPage(ctx);
  await other.goto(server.url);
  await other.evaluate((plan) => new BroadcastChannel('carer-support-plan').postMessage(JSON.stringify({ kind: 'saved', plan })), id);
  // Read again from her engine (after its short wait), and nothing moved.
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => self.__removed), 0, 'nothing on her summary was drawn again');
  assert.match(await page.locator('main').innerText(), /The heating bills worry me\./);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
