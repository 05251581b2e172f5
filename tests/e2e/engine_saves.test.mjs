// What a person types is written to IndexedDB by the engine worker once it
// is running (`Store`, src/web/engine/storage.rs): the page makes the
// change and posts the save, the engine writes it in one transaction and
// tells the other tabs. When the engine is not running (a first visit
// before anything needed it), busy with long work, or stops, the page
// writes the save itself: nothing typed is lost either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serve, launch, newPage, PHONE, saved, startPlan, engineOf, isEngine } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SAFE = 'When is it safe to contact you?';

/// Count the plan chunks written from this page's or worker's own scope:
/// all of them, and the snapshots (the whole plan, `{id}/s…`).
const countPuts = () => {
  self.__puts = 0;
  self.__snapshots = 0;
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (value, key) {
    if (this.name === 'chunks') {
      self.__puts += 1;
      if (/\/s\d/.test(String(key))) self.__snapshots += 1;
    }
    return put.call(this, value, key);
  };
};

/// Ann's plan, started and named on her phone, then opened again at About
/// you as she comes back to it.
async function annReturns(ctx) {
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  await page.reload();
  await page.getByLabel(SAFE).waitFor();
  return { page, id };
}

test('a returning carer types: the engine writes each save, her page none, and her second tab shows her words', async () => {
  const ctx = await browser.newContext(PHONE);
  const { page, id } = await annReturns(ctx);
  const engine = await engineOf(page);
  const two = await newPage(ctx);
  await two.goto(`${server.url}#/plan/${id}/about-you`);
  await two.getByLabel(SAFE).waitFor();
  await page.evaluate(countPuts);
  await engine.evaluate(countPuts);

  const words = 'Weekday mornings, after ten';
  await page.getByLabel(SAFE).pressSequentially(words, { delay: 80 });
  await saved(page);
  assert.equal(await page.evaluate(() => self.__puts), 0, 'the page wrote no save itself');
  assert.ok(await engine.evaluate(() => self.__puts) > 0, 'the engine wrote the saves');
  await two.waitForFunction(([label, w]) => {
    const el = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === label);
    return el && document.getElementById(el.htmlFor)?.value === w;
  }, [SAFE, words]);

  await page.reload();
  assert.equal(await page.getByLabel(SAFE).inputValue(), words);
  assert.deepEqual([...page.errors, ...two.errors], []);
  await ctx.close();
});

test('the engine stops while she types: a new one takes over, and every letter is kept', async () => {
  const ctx = await browser.newContext(PHONE);
  const { page } = await annReturns(ctx);
  const engine = await engineOf(page);
  // The third save asked of this engine stops it, as a crash would.
  await engine.evaluate(() => {
    const answer = self.onmessage;
    let asked = 0;
    self.onmessage = (e) => {
      asked += 1;
      if (asked === 3) throw new Error('the engine stopped (test)');
      return answer.call(self, e);
    };
  });
  const words = 'Any time before noon, or after four on Fridays';
  await page.getByLabel(SAFE).pressSequentially(words, { delay: 80 });
  await saved(page);
  assert.ok(page.workers().some((w) => isEngine(w) && w !== engine), 'a new engine was started');
  assert.equal(await page.getByLabel(SAFE).inputValue(), words);
  await page.reload();
  assert.equal(await page.getByLabel(SAFE).inputValue(), words, 'every letter is on the device');
  assert.deepEqual(page.errors.filter((e) => !/the engine stopped \(test\)/.test(e)), []);
  await ctx.close();
});

test('the engine stops after storing a key, before it answers: a new one takes over, and every letter is there once', async () => {
  const ctx = await browser.newContext(PHONE);
  const { page } = await annReturns(ctx);
  const engine = await engineOf(page);
  // Its fifth answer is never sent: the worker closes instead, as a crash
  // or a memory limit would, with that key already stored.
  await engine.evaluate(() => {
    const post = self.postMessage.bind(self);
    let answers = 0;
    self.postMessage = (m, t) => {
      answers += 1;
      if (answers === 5) { self.close(); return; }
      post(m, t);
    };
  });
  const words = 'Weekday mornings, and Sundays after church';
  await page.getByLabel(SAFE).pressSequentially(words, { delay: 60 });
  await saved(page);
  assert.ok(page.workers().some((w) => isEngine(w) && w !== engine), 'a new engine was started');
  assert.equal(await page.getByLabel(SAFE).inputValue(), words);
  await page.reload();
  assert.equal(await page.getByLabel(SAFE).inputValue(), words, 'every letter on the device, none twice');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a long answer: the engine compacts her saved changes, her page never saves the whole plan', async () => {
  const ctx = await browser.newContext(PHONE);
  const { page } = await annReturns(ctx);
  const engine = await engineOf(page);
  await page.evaluate(countPuts);
  await engine.evaluate(countPuts);
  // Enough keys for the saved changes to outgrow the plan's snapshot.
  const words = 'I look after my mum most days and some nights. '.repeat(3);
  const box = page.getByLabel(SAFE);
  await box.pressSequentially(words, { delay: 25 });
  await saved(page);
  // The engine compacts after the save that outgrew the snapshot (waited
  // for at most 20 s, then the assertions say what happened instead).
  await engine.evaluate(async () => {
    for (let i = 0; i < 400 && self.__snapshots === 0; i++) await new Promise((ok) => setTimeout(ok, 50));
  });
  assert.equal(await page.evaluate(() => self.__snapshots), 0, 'the page saved no snapshot');
  assert.ok(await engine.evaluate(() => self.__snapshots) > 0, 'the engine compacted the saves');
  assert.equal(await page.evaluate(() => self.__puts), 0, 'the page wrote nothing itself');
  await page.reload();
  assert.equal(await page.getByLabel(SAFE).inputValue(), words);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

/// Every change of the words of the save line (a live region: a screen
/// reader reads out each change) from now on, and the words it showed.
const watchSaveLine = () => {
  self.__said = [];
  const region = document.querySelector('.save-status[role=status]');
  let last = region.textContent;
  new MutationObserver(() => {
    if (region.textContent !== last) self.__said.push((last = region.textContent));
  }).observe(region, { subtree: true, childList: true, characterData: true });
};

test('typing does not make the save line chatter: a screen reader hears nothing new while each key is saved at once', async () => {
  const ctx = await browser.newContext(PHONE);
  const { page } = await annReturns(ctx);
  await engineOf(page);
  await page.evaluate(watchSaveLine);
  const words = 'Weekday mornings after ten';
  await page.getByLabel(SAFE).pressSequentially(words, { delay: 80 });
  await saved(page);
  const said = await page.evaluate(() => self.__said);
  // Each key is saved in a few milliseconds: flipping to "Saving…" and
  // back for every one of them (twice a key) is noise read aloud. The line
  // may say "Saving…" only for a save that really takes a while (a busy
  // machine may have one or two of those).
  assert.ok(said.length <= 4, `the save line changed ${said.length} times for ${words.length} keys: ${JSON.stringify(said.slice(0, 6))}`);
  assert.equal(await page.getByTestId('save-status').innerText(), 'Saved on this device');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a save that takes a while says "Saving…" until it is on the device', async () => {
  const ctx = await browser.newContext(PHONE);
  const { page, id } = await annReturns(ctx);
  const engine = await engineOf(page);
  // The engine takes three seconds over each request, as a phone whose
  // storage is slow might.
  await engine.evaluate(() => {
    const answer = self.onmessage;
    self.onmessage = (e) => { setTimeout(() => answer.call(self, e), 3000); };
  });
  await page.evaluate(watchSaveLine);
  await page.getByLabel(SAFE).pressSequentially('Evenings', { delay: 80 });
  await page.getByTestId('save-status').filter({ hasText: 'Saving…' }).waitFor({ timeout: 5_000 });
  await saved(page);
  const said = await page.evaluate(() => self.__said);
  assert.deepEqual(said.slice(-2), ['Saving…', 'Saved on this device']);
  await page.goto(`${server.url}#/plan/${id}`);
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  await page.reload();
  assert.equal(await page.getByLabel(SAFE).inputValue(), 'Evenings');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('words she types while the engine has not stored them yet, the tab closed at once, are kept', async () => {
  const ctx = await browser.newContext(PHONE);
  const { page, id } = await annReturns(ctx);
  const engine = await engineOf(page);
  // The engine hears nothing more (as one stuck on slow storage): her keys
  // stay in its hands, stored nowhere, when she closes the tab.
  await engine.evaluate(async () => {
    while (!self.onmessage) await new Promise((ok) => setTimeout(ok, 20));
    self.onmessage = () => {};
  });
  const words = 'Evenings after six';
  await page.getByLabel(SAFE).pressSequentially(words, { delay: 60 });
  assert.equal(await page.getByLabel(SAFE).inputValue(), words);
  await page.close({ runBeforeUnload: true });
  const again = await newPage(ctx);
  await again.goto(`${server.url}#/plan/${id}/about-you`);
  await again.getByLabel(SAFE).waitFor();
  await again.waitForFunction(([label, want]) => {
    const box = [...document.querySelectorAll('input, textarea')].find((b) => b.labels?.[0]?.textContent.includes(label));
    return box?.value === want;
  }, [SAFE, words], { timeout: 10_000 });
  await saved(again);
  await again.reload();
  assert.equal(await again.getByLabel(SAFE).inputValue(), words, 'kept on the device');
  assert.deepEqual(again.errors, []);
  await ctx.close();
});

test('words and a rating an earlier release kept on her phone as the tab closed are in her plan when she opens it', async () => {
  // The journal a release before this one wrote (JSON) when her tab closed
  // with her words and her rating in its engine's hands.
  const earlier = readFileSync(new URL('../fixtures/journal-json/typed-and-rated.json', import.meta.url), 'utf8');
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(server.url);
  await page.evaluate(([key, json]) => localStorage.setItem(key, json), [`csp.typed.${id}`, earlier]);
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  await page.reload();
  await page.waitForFunction(([label, want]) => {
    const box = [...document.querySelectorAll('input, textarea')].find((b) => b.labels?.[0]?.textContent.includes(label));
    return box?.value === want;
  }, [SAFE, 'Evenings after six'], { timeout: 10_000 });
  await saved(page);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), `csp.typed.${id}`), null, 'made, and the journal cleared');
  await page.goto(`${server.url}#/plan/${id}/area/health-wellbeing`);
  await page.reload();
  const low = page.locator('input[name="rating-health-wellbeing"][value="low"]');
  await low.waitFor();
  assert.ok(await low.isChecked(), 'her rating is kept');
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  await page.reload();
  await page.getByLabel(SAFE).waitFor();
  assert.equal(await page.getByLabel(SAFE).inputValue(), 'Evenings after six', 'stored on the device');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
