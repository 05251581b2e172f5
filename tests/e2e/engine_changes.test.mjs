// A choice picked (a rating, a section marked finished) is made by the
// engine worker beside the page (`Request::Change`, src/web/app/changing.rs):
// shown at once, stored by the engine, taken into the page's copy from its
// answer. Tried as people would: on screen and kept after a reload, in her
// other tab, kept when she closes the tab straight after picking, and made
// on the page when no engine can run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, PHONE, startPlan, engineOf } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const AREA = '/area/health-wellbeing';
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

test('with no engine (its module never arrives), a rating she picks is made on the page and kept', async () => {
  const ctx = await browser.newContext(PHONE);
  await ctx.route(/\/engine(-[0-9a-f]+)?_bg\.wasm$/, (r) => r.abort());
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await atTheArea(page, id);
  await rating(page, 'low').check();
  await saved(page);
  await page.reload();
  await rating(page, 'low').waitFor();
  assert.ok(await rating(page, 'low').isChecked());
  const unexpected = page.errors.filter((e) => !/Failed to load resource|engine(-[0-9a-f]+)?_bg\.wasm/.test(e));
  assert.deepEqual(unexpected, []);
  await ctx.close();
});
