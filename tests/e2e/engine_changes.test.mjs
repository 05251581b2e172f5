// A choice picked (a rating, a section marked finished), the carer's
// agreement and a key worker's sign-off are made by the engine worker
// beside the page (`Request::Change`, src/web/app/changing.rs):
// shown at once, stored by the engine, the page holding no copy of the
// plan. Tried as people would: on screen and kept after a reload, in her
// other tab, kept when she closes the tab straight after picking, and kept
// on screen and in the journal when no engine can run (the plan's page says
// so, and makes it once one can); a sign-off pressed straight after a
// rating signs the plan with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, PHONE, startPlan, engineOf, isEngine } from './harness.mjs';
import { annSharedWithHerKeyWorker, sendUnlocked, addFile } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const AREA = '/area/health-wellbeing';
const NO_ENGINE = 'part of the app did not start on this device';
/// Her rating's radio button for a level of the framework.
const rating = (page, level) => page.locator(`input[name="rating-health-wellbeing"][value="${level}"]`);

/// Count every request on the chunks' store made from this scope.
const countChunkRequests = () => {
  self.__asked = 0;
  for (const name of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'put', 'add']) {
    const f = IDBObjectStore.prototype[name];
    IDBObjectStore.prototype[name] = function (...args) {
      if (this.name === 'chunks') self.__asked += 1;
      return f.apply(this, args);
    };
  }
};

async function atTheArea(page, id) {
  await page.goto(`${server.url}#/plan/${id}${AREA}`);
  await page.reload();
  await rating(page, 'moderate').waitFor();
}

test('a rating she picks is on screen at once, stored by the engine, and kept after a reload and in her other tab', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await atTheArea(page, id);
  const engine = await engineOf(page);
  await page.evaluate(countChunkRequests);
  await engine.evaluate(countChunkRequests);
  const other = await newPage(ctx);
  await other.goto(`${server.url}#/plan/${id}${AREA}`);
  await rating(other, 'moderate').waitFor();

  await rating(page, 'moderate').check();
  assert.ok(await rating(page, 'moderate').isChecked(), 'on screen at once');
  await saved(page);
  assert.ok(await engine.evaluate(() => self.__asked) > 0, 'the engine stored it');
  assert.equal(await page.evaluate(() => self.__asked), 0, 'the page asked storage for nothing');
  // Her other tab shows it without a reload.
  await other.waitForFunction(() => document.querySelector('input[type=radio][value=moderate]')?.checked, null, { timeout: 10_000 });

  // She changes her mind twice, quickly: the last pick stands.
  await rating(page, 'low').check();
  await rating(page, 'substantial').check();
  await saved(page);
  await page.reload();
  await rating(page, 'substantial').waitFor();
  assert.ok(await rating(page, 'substantial').isChecked());
  // Nothing to settle: she changed her own answer.
  await page.goto(`${server.url}#/plan/${id}/conflicts`);
  await page.getByTestId('no-conflicts').waitFor();
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
  await ctx.close();
});

/// Her plan in Scotland, on "Where do you live?", her engine answering
/// 1.5 s late (until `self.__slow` is set false in it).
async function whereWithASlowEngine() {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/plan/${id}/where`);
  await page.getByLabel('Scotland').check();
  await saved(page);
  const engine = await engineOf(page);
  await engine.evaluate(() => {
    const post = self.postMessage.bind(self);
    self.__slow = true;
    self.postMessage = (m, t) => (self.__slow ? setTimeout(() => post(m, t), 1500) : post(m, t));
  });
  return { ctx, page, id, engine };
}

test('another framework picked while the engine is slow to answer: its areas are hers to open at once, and after the answer', async () => {
  const { ctx, page, engine } = await whereWithASlowEngine();
  await page.getByLabel('England').check();
  await page.getByRole('link', { name: 'Continue' }).click();
  // Her own plan: every area of the framework is hers to open, none "not shared".
  await page.getByRole('link', { name: 'Your home' }).waitFor({ timeout: 500 });
  assert.equal(await page.getByText('Not shared with you').count(), 0);
  await saved(page);
  await engine.evaluate(() => { self.__slow = false; });
  assert.equal(await page.getByText('Not shared with you').count(), 0, 'still hers once the engine answered');
  await page.getByRole('link', { name: 'Your home' }).click();
  await page.getByLabel('I can do this, but it is hard').check();
  await saved(page);
  await page.reload();
  await page.getByLabel('I can do this, but it is hard').waitFor();
  assert.ok(await page.getByLabel('I can do this, but it is hard').isChecked());
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('words typed at once in an area another framework adds, with the engine slow to answer, are kept', async () => {
  const { ctx, page, id } = await whereWithASlowEngine();
  await page.getByLabel('England').check();
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Plans for the future', exact: true }).click();
  await page.getByLabel('What are your hopes for the future?').pressSequentially('A week away', { delay: 20 });
  await saved(page);
  await page.reload();
  await page.getByLabel('What are your hopes for the future?').waitFor();
  assert.equal(await page.getByLabel('What are your hopes for the future?').inputValue(), 'A week away');
  await page.goto(`${server.url}#/plan/${id}/history`);
  assert.match(await page.getByTestId('history').innerText(), /Updated Plans for the future/);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('"Add an action" tapped twice at once adds one action, whichever page the second tap lands on', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await engineOf(page);
  const changeLinks = () => page.locator('main a[href*="/actions/"]').filter({ hasText: 'Change' });
  for (let round = 1; round <= 6; round += 1) {
    await page.goto(`${server.url}#/plan/${id}/actions`);
    const button = page.getByRole('button', { name: 'Add an action' });
    await button.waitFor();
    // The list drawn (the button below it), then the finger lands.
    if (round > 1) await changeLinks().nth(round - 2).waitFor();
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    // Two taps of one finger, no pause between them.
    await Promise.all([page.touchscreen.tap(x, y), page.touchscreen.tap(x, y)]);
    await page.waitForFunction(() => /\/actions\/[0-9a-f]+$/.test(location.hash));
    await saved(page);
    await page.goto(`${server.url}#/plan/${id}/actions`);
    await changeLinks().first().waitFor();
    // One "Change" link an action.
    assert.equal(await changeLinks().count(), round, `round ${round}`);
  }
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the engine stops after storing an action she added, before it answers: a new one takes over, and there is one action', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/plan/${id}/actions`);
  await page.getByRole('button', { name: 'Add an action' }).waitFor();
  const engine = await engineOf(page);
  // Its next answer is never sent: the worker closes instead, as a crash
  // or a memory limit would, with the change already stored.
  await engine.evaluate(() => {
    const post = self.postMessage.bind(self);
    self.postMessage = (m, t) => { if (self.__stop) { self.__stop = false; self.close(); return; } post(m, t); };
    self.__stop = true;
  });
  await page.getByRole('button', { name: 'Add an action' }).click();
  await page.waitForFunction(() => /\/actions\/[0-9a-f]+$/.test(location.hash), null, { timeout: 15_000 });
  await saved(page);
  assert.ok(page.workers().some((w) => isEngine(w) && w !== engine), 'a new engine was started');
  const changeLinks = () => page.locator('main a[href*="/actions/"]').filter({ hasText: 'Change' });
  await page.goto(`${server.url}#/plan/${id}/actions`);
  await changeLinks().first().waitFor();
  assert.equal(await changeLinks().count(), 1);
  await page.reload();
  await changeLinks().first().waitFor();
  assert.equal(await changeLinks().count(), 1, 'one action on the device');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('an item that takes a while to be made: its button says "Adding…" until the item\'s page opens', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/plan/${id}/people`);
  await page.getByRole('button', { name: 'Add a person' }).waitFor();
  const engine = await engineOf(page);
  await engine.evaluate(() => {
    const post = self.postMessage.bind(self);
    self.postMessage = (m, t) => setTimeout(() => post(m, t), 1500);
  });
  await page.getByRole('button', { name: 'Add a person' }).click();
  const adding = page.getByRole('button', { name: 'Adding…' });
  await adding.waitFor({ timeout: 1000 });
  assert.equal(await adding.getAttribute('aria-disabled'), 'true');
  // Pressed again meanwhile: nothing more is added.
  await adding.click({ force: true });
  await page.getByLabel('Their name').waitFor({ timeout: 10_000 });
  await page.goto(`${server.url}#/plan/${id}/people`);
  await page.getByRole('button', { name: 'Add a person' }).waitFor();
  assert.equal(await page.locator('main a[href*="/people/"]').filter({ hasText: 'Change' }).count(), 1);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a rating picked just before she closes the tab is kept', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await atTheArea(page, id);
  await engineOf(page);
  await rating(page, 'critical').check();
  await page.close({ runBeforeUnload: true });
  const again = await newPage(ctx);
  await again.goto(`${server.url}#/plan/${id}${AREA}`);
  await rating(again, 'critical').waitFor();
  assert.ok(await rating(again, 'critical').isChecked());
  assert.deepEqual(again.errors, []);
  await ctx.close();
});

test('with no engine (it stopped, and its module no longer arrives), a rating she picks stays and is kept; her plan says so plainly and opens with it once the module arrives', async () => {
  // No service worker, so that the engine's module can be kept from
  // arriving (a bad signal, a phone out of memory mid-update).
  const ctx = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  let arrives = true;
  await ctx.route(/\/engine(-[0-9a-f]+)?_bg\.wasm$/, (r) => (arrives ? r.continue() : r.abort()));
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await atTheArea(page, id);
  arrives = false;
  const engine = await engineOf(page);
  const closed = new Promise((ok) => engine.once('close', ok));
  await engine.evaluate(() => { setTimeout(() => self.close()); });
  await closed;

  await rating(page, 'low').check();
  await page.getByTestId('problem').filter({ hasText: NO_ENGINE }).waitFor();
  assert.match(await page.getByTestId('problem').innerText(), /Nothing you have written is lost/);
  assert.ok(await rating(page, 'low').isChecked(), 'her rating stays on screen');
  // Opened again with still no engine: said plainly, with a way to try again.
  await page.reload();
  await page.getByRole('heading', { name: 'This plan cannot be opened right now' }).waitFor();
  assert.match(await page.locator('main').innerText(), new RegExp(NO_ENGINE));
  await page.getByTestId('open-again').click();
  await page.getByRole('heading', { name: 'This plan cannot be opened right now' }).waitFor();
  arrives = true;
  await page.getByTestId('open-again').click();
  await rating(page, 'low').waitFor();
  assert.ok(await rating(page, 'low').isChecked(), 'her rating, kept while no engine ran, is made');
  await saved(page);
  await page.reload();
  await rating(page, 'low').waitFor();
  assert.ok(await rating(page, 'low').isChecked());
  const unexpected = page.errors.filter((e) => !/Failed to load resource|engine(-[0-9a-f]+)?_bg\.wasm/.test(e));
  assert.deepEqual(unexpected, []);
  await ctx.close();
});

test('a new plan started while no engine can start says so plainly; "Try again" once the module arrives makes it', async () => {
  const ctx = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  let arrives = true;
  await ctx.route(/\/engine(-[0-9a-f]+)?_bg\.wasm$/, (r) => (arrives ? r.continue() : r.abort()));
  const page = await newPage(ctx);
  const first = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/`);
  arrives = false;
  await page.reload();
  await page.getByRole('button', { name: 'Start a new plan' }).click();
  await page.getByRole('heading', { name: 'This plan cannot be opened right now' }).waitFor();
  assert.match(await page.locator('main').innerText(), new RegExp(NO_ENGINE));
  arrives = true;
  await page.getByTestId('open-again').click();
  await page.getByRole('heading', { name: 'Where do you live?' }).waitFor();
  const second = new URL(page.url()).hash.match(/#\/plan\/([^/]+)/)[1];
  assert.notEqual(second, first);
  await page.goto(`${server.url}#/`);
  await page.reload();
  await page.locator(`a[href*="${second}"]`).first().waitFor();
  const unexpected = page.errors.filter((e) => !/Failed to load resource|engine(-[0-9a-f]+)?_bg\.wasm/.test(e));
  assert.deepEqual(unexpected, []);
  await ctx.close();
});

test("a key worker's rating, Ann's agreement in a meeting and his sign-off are made by the engine, the rating in the version signed", async () => {
  const { phoneCtx, laptopCtx, phone, laptop, id } = await annSharedWithHerKeyWorker(browser, server.url);

  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.reload();
  await laptop.getByTestId('agree-in-meeting').waitFor();
  const engine = await engineOf(laptop);
  await laptop.evaluate(countChunkRequests);
  await engine.evaluate(countChunkRequests);
  await laptop.getByTestId('agree-in-meeting').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'in a meeting' }).waitFor();
  // His rating, then straight to signing: the plan he signs has it.
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);
  await laptop.getByLabel('Substantial impact').check();
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
  await saved(laptop);
  assert.ok(await engine.evaluate(() => self.__asked) > 0, 'the engine stored them');
  assert.equal(await laptop.evaluate(() => self.__asked), 0, 'his page asked storage for nothing');

  await laptop.reload();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
  await laptop.goto(`${server.url}#/plan/${id}/signed`);
  await laptop.getByTestId('signed-by').waitFor();
  // Ann gave no rating: this is his, picked just before he signed.
  assert.match(await laptop.locator('main').innerText(), /Substantial impact/);
  await laptop.goto(`${server.url}#/plan/${id}/history`);
  const history = await laptop.getByTestId('history').innerText();
  const [signed, agreed] = ['Signed off the plan', 'Agreed with the plan, in a meeting'].map((l) => history.indexOf(l));
  assert.ok(signed >= 0 && agreed > signed, history);
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('with no engine on his laptop, her plan says so plainly and nothing is signed; once the module arrives, Ann agrees in a meeting and he signs off', async () => {
  const { phoneCtx, laptopCtx, laptop, id, engineArrives } = await annSharedWithHerKeyWorker(browser, server.url, { noEngineOnLaptop: true });
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByRole('heading', { name: 'This plan cannot be opened right now' }).waitFor();
  assert.match(await laptop.locator('main').innerText(), new RegExp(NO_ENGINE));
  assert.equal(await laptop.getByTestId('sign-off').count(), 0, 'nothing to sign while the plan is not open');
  engineArrives();
  await laptop.getByTestId('open-again').click();
  await laptop.getByTestId('agree-in-meeting').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'in a meeting with you' }).waitFor();
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
  await saved(laptop);
  await laptop.reload();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
  const unexpected = laptop.errors.filter((e) => !/Failed to load resource|engine(-[0-9a-f]+)?_bg\.wasm/.test(e));
  assert.deepEqual(unexpected, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

/// She adds an action "Check benefits" and he gets it; apart, he says it
/// has started and she says it is done, and his copy comes back to her.
/// Returns the action's page (its hash).
async function actionSetTwoWays(phone, laptop, id) {
  // She adds an action; he gets it.
  await phone.goto(`${server.url}#/plan/${id}/area/finances/more`);
  const before = phone.url();
  await phone.getByRole('button', { name: 'Add an action for this area', exact: true }).click();
  await phone.waitForURL((u) => String(u) !== before);
  const action = new URL(phone.url()).hash;
  await phone.getByLabel('What will be done?', { exact: true }).fill('Check benefits');
  await saved(phone);
  await addFile(laptop, `${server.url}#/plan/${id}/import`, await sendUnlocked(phone, server.url, id, { carer: true }));
  // Apart, he says it has started and she says it is done.
  await laptop.goto(`${server.url}${action}`);
  await laptop.getByLabel('Started', { exact: true }).check();
  await saved(laptop);
  const back = await sendUnlocked(laptop, server.url, id, { carer: false });
  await phone.goto(`${server.url}${action}`);
  await phone.getByLabel('Done', { exact: true }).check();
  await saved(phone);
  await addFile(phone, `${server.url}#/plan/${id}/import`, back);
  return action;
}

test("an action's status set one way on her phone and another on his laptop is hers to settle, read and kept by the engine", async () => {
  const { phoneCtx, laptopCtx, phone, laptop, id } = await annSharedWithHerKeyWorker(browser, server.url);
  const action = await actionSetTwoWays(phone, laptop, id);

  await phone.goto(`${server.url}#/plan/${id}`);
  await phone.getByTestId('conflict-banner').filter({ hasText: '1 answer was changed by both of you' }).waitFor();
  await phone.getByTestId('conflict-banner').getByRole('link', { name: 'Choose which to keep' }).click();
  const conflict = phone.getByTestId('choice-conflict');
  await conflict.waitFor();
  // Named in her words: which action, and its choices as offered.
  const offered = await conflict.innerText();
  assert.match(offered, /Action's progress for “Check benefits”/);
  assert.match(offered, /Done[^]*Started|Started[^]*Done/);
  await conflict.getByRole('button', { name: /Keep “Started”: Sam Patel's answer \(key worker\)/ }).click();
  assert.match(await phone.getByTestId('no-conflicts').innerText(), /kept “Started” — Sam Patel's answer \(key worker\)/);
  await saved(phone);
  await phone.reload();
  await phone.getByTestId('no-conflicts').waitFor();
  await phone.goto(`${server.url}${action}`);
  assert.ok(await phone.getByLabel('Started', { exact: true }).isChecked());
  await phone.goto(`${server.url}#/plan/${id}`);
  await phone.getByTestId('progress').waitFor();
  assert.equal(await phone.getByTestId('conflict-banner').count(), 0);
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test("she keeps the status the action already shows: the choice is settled and the page says so", async () => {
  const { phoneCtx, laptopCtx, phone, laptop, id } = await annSharedWithHerKeyWorker(browser, server.url);
  const action = await actionSetTwoWays(phone, laptop, id);
  // Whichever of the two the plan shows now, she keeps that one: the
  // values on screen do not change, and the choice is still settled.
  await phone.goto(`${server.url}${action}`);
  await phone.getByLabel('Done', { exact: true }).waitFor();
  const shown = (await phone.getByLabel('Done', { exact: true }).isChecked()) ? 'Done' : 'Started';
  await phone.goto(`${server.url}#/plan/${id}/conflicts`);
  const conflict = phone.getByTestId('choice-conflict');
  await conflict.waitFor();
  await conflict.getByRole('button', { name: new RegExp(`Keep “${shown}”`) }).click();
  await phone.getByTestId('no-conflicts').waitFor({ timeout: 10_000 });
  assert.match(await phone.getByTestId('no-conflicts').innerText(), new RegExp(`kept “${shown}”`));
  await saved(phone);
  await phone.reload();
  await phone.getByTestId('no-conflicts').waitFor();
  assert.deepEqual(phone.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});
