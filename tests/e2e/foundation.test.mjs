// The foundation, end to end in Chromium at phone size: a plan is kept on
// the device, two tabs merge, damaged bytes are never overwritten, and
// storage failures are said plainly without losing what was typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, dumpStorage, PHONE, startPlan, phoneWithoutStorage, inPageAndEngine } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/// From the next page load on, count the page's own requests of the plans'
/// chunks (the engine worker's are its own): the page reads no plan.
async function countPageChunkReads(page) {
  await page.addInitScript(() => {
    self.__chunkReads = 0;
    for (const name of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count']) {
      const f = IDBObjectStore.prototype[name];
      IDBObjectStore.prototype[name] = function (...args) {
        if (this.name === 'chunks') self.__chunkReads += 1;
        return f.apply(this, args);
      };
    }
  });
}

test('a plan typed in About you is still there after a reload', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.getByLabel('Phone number').fill('01698 123456');
  await page.getByLabel('When is it safe to contact you?').fill('Weekday mornings.\nNo messages please.');
  await saved(page);
  await page.reload();
  assert.equal(await page.getByLabel('Your full name').inputValue(), 'Ann Smith');
  assert.equal(await page.getByLabel('Phone number').inputValue(), '01698 123456');
  assert.equal(await page.getByLabel('When is it safe to contact you?').inputValue(), 'Weekday mornings.\nNo messages please.');
  // The home page lists it by name without opening it.
  await page.getByRole('link', { name: 'Back to your plan' }).click();
  await page.getByRole('link', { name: 'All plans on this device' }).click();
  await page.getByTestId('plan-list').getByRole('link', { name: 'Ann Smith' }).waitFor();
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the same plan in two pages: each page shows both edits, also after reload', async () => {
  const ctx = await browser.newContext(PHONE);
  const one = await newPage(ctx);
  await startPlan(one, server.url, { name: '' });
  const two = await newPage(ctx);
  await two.goto(one.url());
  await two.getByLabel('Your full name').waitFor();

  await one.getByLabel('Your full name').fill('Written in tab one');
  await two.getByLabel('Email address').fill('tab.two@example.org');
  await saved(one); await saved(two);

  for (const page of [one, two]) {
    await page.waitForFunction(() => document.querySelector('#carer-name')?.value === 'Written in tab one');
    await page.waitForFunction(() => document.querySelector('#carer-email')?.value === 'tab.two@example.org');
  }
  for (const page of [one, two]) {
    await page.reload();
    await page.getByLabel('Your full name').waitFor();
    assert.equal(await page.getByLabel('Your full name').inputValue(), 'Written in tab one');
    assert.equal(await page.getByLabel('Email address').inputValue(), 'tab.two@example.org');
  }
  assert.deepEqual([...one.errors, ...two.errors], []);
  await ctx.close();
});

test('damaged stored bytes: a plain message, the bytes untouched, other plans still open', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const damagedId = await startPlan(page, server.url, { name: 'Plan to damage' });
  const goodId = await startPlan(page, server.url, { name: 'Healthy plan' });

  // Truncate every stored chunk of the first plan, through page script.
  const written = await page.evaluate(async (id) => {
    const db = await new Promise((ok) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); });
    const tx = db.transaction('chunks', 'readwrite');
    const store = tx.objectStore('chunks');
    const range = IDBKeyRange.bound(id + '/', id + '0', false, true);
    const entries = await new Promise((ok) => { const out = []; const c = store.openCursor(range); c.onsuccess = () => { const cur = c.result; if (!cur) return ok(out); out.push([cur.key, cur.value]); cur.continue(); }; });
    const damaged = {};
    for (const [k, v] of entries) { const cut = v.slice(0, Math.floor(v.length / 2)); damaged[k] = Array.from(cut); store.put(cut, k); }
    await new Promise((ok) => { tx.oncomplete = ok; });
    db.close();
    return damaged;
  }, damagedId);
  assert.ok(Object.keys(written).length > 0);

  await countPageChunkReads(page);
  await page.goto(`${server.url}#/plan/${damagedId}/about-you`);
  await page.reload();
  const notice = page.getByTestId('damaged-plan');
  await notice.waitFor();
  // Found damaged by the engine, which says why: the page read nothing.
  assert.equal(await page.evaluate(() => self.__chunkReads), 0, 'the page itself read no chunk');
  assert.match(await notice.textContent(), /cannot be opened/);
  assert.match(await notice.textContent(), /Nothing has been changed or deleted/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the saved data' }).click();
  assert.match((await download).suggestedFilename(), /saved-data\.automerge$/);

  const stored = await dumpStorage(page);
  for (const [k, bytes] of Object.entries(written)) {
    const now = stored.chunks.find(([key]) => key === k);
    assert.ok(now, `chunk ${k} still stored`);
    assert.deepEqual(now[1], bytes, `chunk ${k} byte-for-byte unchanged`);
  }

  await page.goto(`${server.url}#/plan/${goodId}/about-you`);
  await page.getByLabel('Your full name').waitFor();
  assert.equal(await page.getByLabel('Your full name').inputValue(), 'Healthy plan');
  await ctx.close();
});

test('a link to a plan not on this device says so plainly, the page reading nothing to find out', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await countPageChunkReads(page);
  const elsewhere = `${id.slice(0, -4)}${id.endsWith('0000') ? 'ffff' : '0000'}`;
  await page.goto(`${server.url}#/plan/${elsewhere}`);
  await page.reload();
  await page.getByRole('heading', { name: 'This plan is not on this device' }).waitFor();
  assert.equal(await page.evaluate(() => self.__chunkReads), 0, 'the page itself read no chunk');
  // Her own plan still opens.
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  await page.getByLabel('Your full name').waitFor();
  assert.equal(await page.getByLabel('Your full name').inputValue(), 'Ann Smith');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('storage full: a plain message, the words stay on screen, and the save is retried', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  await startPlan(page, server.url, { name: 'Before the disk filled' });
  // The disk is full for the whole origin: the page and its engine.
  await inPageAndEngine(page, () => {
    self.__realPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await page.getByLabel('Your full name').fill('Typed while full');
  const problem = page.getByTestId('save-problem');
  await problem.waitFor();
  assert.match(await problem.textContent(), /not being kept on this device/);
  assert.match(await problem.textContent(), /storage is full/);
  assert.equal(await page.getByLabel('Your full name').inputValue(), 'Typed while full');
  await page.getByRole('button', { name: 'Download a copy' }).waitFor();

  // Space comes back: the retry saves it without the person doing anything.
  await inPageAndEngine(page, () => { IDBObjectStore.prototype.put = self.__realPut; });
  await saved(page);
  await page.reload();
  assert.equal(await page.getByLabel('Your full name').inputValue(), 'Typed while full');
  await ctx.close();
});

test('IndexedDB unavailable: the app says so and the plan can still be filled in', async () => {
  const { ctx, page, banner } = await phoneWithoutStorage(browser, server.url, 'IndexedDB is disabled in this mode.', 'InvalidStateError');
  assert.match(await banner.textContent(), /cannot be kept on this device/);
  // Nothing is chosen for the person: they choose where they live.
  await startPlan(page, server.url, { where: 'Scotland', section: 'About you', here: true });
  await page.getByLabel('Your full name').fill('Still typing');
  assert.equal(await page.getByLabel('Your full name').inputValue(), 'Still typing');
  await page.getByTestId('save-problem').waitFor();
  await ctx.close();
});

test('a 50,000-character paste gets a kind message and the saved answer is kept', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  await startPlan(page, server.url, { name: 'Ann' });
  await page.getByLabel('Address', { exact: true }).fill('1 High Street');
  await saved(page);
  await page.getByLabel('Address', { exact: true }).fill('x'.repeat(50_000));
  const message = page.locator('#carer-address-error');
  await message.waitFor();
  assert.match(await message.textContent(), /too long to keep.*50000 characters/);
  assert.equal(await page.getByLabel('Address', { exact: true }).getAttribute('aria-invalid'), 'true');
  await page.reload();
  assert.equal(await page.getByLabel('Address', { exact: true }).inputValue(), '1 High Street');
  await ctx.close();
});

test('closing the tab straight after typing keeps the words', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann' });
  await page.getByLabel('Phone number').fill('07700 900000');
  await page.close({ runBeforeUnload: true }); // no wait for the save timer
  const again = await newPage(ctx);
  await again.goto(`${server.url}#/plan/${id}/about-you`);
  await again.getByLabel('Phone number').waitFor();
  assert.equal(await again.getByLabel('Phone number').inputValue(), '07700 900000');
  await ctx.close();
});

test('reloading straight after typing keeps the words (saved on page hide)', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  await startPlan(page, server.url, { name: 'Ann' });
  await page.getByLabel('Email address').fill('ann@example.org');
  await page.reload(); // well inside the save delay
  await page.getByLabel('Email address').waitFor();
  assert.equal(await page.getByLabel('Email address').inputValue(), 'ann@example.org');
  await ctx.close();
});

test('a crashed tab loses at most the last half second of typing', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: '' });
  const box = page.getByLabel('When is it safe to contact you?');
  await box.pressSequentially('Mornings before nine.', { delay: 20 });
  await page.waitForTimeout(500);
  await box.pressSequentially(' Maybe lost', { delay: 5 });
  const cdp = await ctx.newCDPSession(page);
  const crashed = page.waitForEvent('crash', { timeout: 10_000 });
  cdp.send('Page.crash').catch(() => {}); // never answers: the renderer dies mid-flight
  await crashed;
  const again = await newPage(ctx);
  await again.goto(`${server.url}#/plan/${id}/about-you`);
  const kept = await again.getByLabel('When is it safe to contact you?').inputValue();
  assert.ok(kept.startsWith('Mornings before nine.'), `kept: ${JSON.stringify(kept)}`);
  await ctx.close();
});
