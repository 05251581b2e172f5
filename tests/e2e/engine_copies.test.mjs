// Adding a copy someone sent is the engine worker's work
// (src/web/engine/copies.rs): it opens, checks, merges and stores the copy
// beside the page, and the page takes in what was stored as it takes in
// another tab's save. A first visit downloads no engine until something
// needs it. Carer's phone and key worker's laptop in separate browser
// contexts; the worker's laptop with two tabs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, newPage, PHONE, LAPTOP, saved, isEngine, engineOf, workerLaptop } from './harness.mjs';
import { sendUnlocked, chooseFile, startAnnsPlan } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const isEngineModule = (url) => /\/engine(_bg\.wasm|\.js)$/.test(new URL(url).pathname);

/// On the carer's phone: Ann's plan, shared whole with her key worker,
/// unlocked. Returns the phone, its context, the plan's id and the file.
async function annShares() {
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const phone = await newPage(phoneCtx);
  const id = await startAnnsPlan(phone, server.url);
  await saved(phone);
  const text = await sendUnlocked(phone, server.url, id, { carer: true });
  return { phoneCtx, phone, id, text };
}

/// This engine's first answer is never sent: it stops instead, as a crash
/// right after storing (and before answering) would. (Each message is
/// postcard bytes: the protocol's version, then the message's variant, 1
/// for an answer.)
async function stopsInsteadOfAnswering(engine) {
  await engine.evaluate(async () => {
    while (!self.onmessage) await new Promise((ok) => setTimeout(ok, 20));
    const post = self.postMessage.bind(self);
    let stopped = false;
    self.postMessage = (message, transfer) => {
      const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
      if (!stopped && bytes[1] === 1) {
        stopped = true;
        setTimeout(() => { throw new Error('the engine stopped (test)'); });
        return undefined;
      }
      return post(message, transfer);
    };
  });
}

/// On the page for adding a copy: add `text` (unlocked) and wait for what changed.
async function add(page, text) {
  await page.getByTestId('add-copy').click();
  await chooseFile(page, text);
  await page.getByTestId('import-header').filter({ hasText: 'From Ann Smith (carer)' }).waitFor();
  await page.getByTestId('import-add').click();
  await page.getByRole('heading', { name: 'What changed since you last looked' }).waitFor();
}

test("a first visit's page downloads no engine (the service worker keeps it in the background); the copy is added by the engine, and the worker's open plan in another tab takes it in with his own words kept", async () => {
  const { phoneCtx, phone, id, text: first } = await annShares();

  // The key worker opens the app for the first time.
  const ctx = await browser.newContext(LAPTOP);
  const fetched = [];
  ctx.on('request', (r) => { if (isEngineModule(r.url())) fetched.push({ url: r.url(), byServiceWorker: !!r.serviceWorker() }); });
  const tab1 = await newPage(ctx, { role: null });
  await tab1.goto(server.url);
  await tab1.waitForFunction(() => !document.getElementById('preload'));
  await tab1.waitForLoadState('networkidle');
  assert.deepEqual(fetched.filter((f) => !f.byServiceWorker), [], "a first visit's page downloads no engine");
  await tab1.getByLabel('I am a key worker').check();
  await tab1.getByLabel('Your name').fill('Sam Patel');
  await tab1.getByRole('button', { name: 'Save and continue' }).click();
  await tab1.getByRole('heading', { name: 'Your caseload' }).waitFor();
  const tab2 = await newPage(ctx, { role: null });
  await tab2.goto(server.url);
  await tab2.getByRole('heading', { name: 'Your caseload' }).waitFor();

  // Adding the copy starts the engine, which adds it; the other tab lists it.
  await add(tab1, first);
  assert.ok(fetched.some((f) => !f.byServiceWorker && f.url.endsWith('_bg.wasm')), 'the engine was fetched (from the service worker\'s keeping) when it was needed');
  assert.ok(tab1.workers().some(isEngine), 'the engine worker runs beside the page');
  await tab2.getByRole('link', { name: /Ann Smith/ }).first().waitFor();

  // In the other tab he opens her finances and writes his notes.
  await tab2.goto(`${server.url}#/plan/${id}/area/finances`);
  await tab2.getByTestId('carer-view').filter({ hasText: 'The heating bills worry me.' }).waitFor();
  await tab2.getByLabel("Key worker's notes").fill('Refer to the energy advice line.');

  // She adds to her words and sends again; he adds that copy in the first tab.
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  await phone.locator('#wellbeing-finances-own-words').fill('The heating bills worry me. The boiler broke in November.');
  await saved(phone);
  const second = await sendUnlocked(phone, server.url, id, { carer: true });
  await tab1.goto(server.url);
  await tab1.getByRole('heading', { name: 'Your caseload' }).waitFor();
  await add(tab1, second);

  // The open plan takes in her new words; his are still in the box.
  await tab2.getByTestId('carer-view').filter({ hasText: 'The boiler broke in November.' }).waitFor();
  assert.equal(await tab2.getByLabel("Key worker's notes").inputValue(), 'Refer to the energy advice line.');
  await saved(tab2);
  await tab2.reload();
  await tab2.getByTestId('carer-view').filter({ hasText: 'The boiler broke in November.' }).waitFor();
  assert.equal(await tab2.getByLabel("Key worker's notes").inputValue(), 'Refer to the energy advice line.');
  for (const p of [phone, tab1, tab2]) assert.deepEqual(p.errors, []);
  await phoneCtx.close();
  await ctx.close();
});

test('the engine stops while adding a copy: a new one adds it, once, and nothing else changes', async () => {
  const { phoneCtx, text } = await annShares();

  const { ctx, page: laptop } = await workerLaptop(browser, server.url);
  const engine = await engineOf(laptop);
  // Once it listens, the first thing asked of this engine stops it, as a
  // crash would.
  await engine.evaluate(async () => {
    while (!self.onmessage) await new Promise((ok) => setTimeout(ok, 20));
    self.onmessage = () => { throw new Error('the engine stopped (test)'); };
  });
  await add(laptop, text);
  assert.ok(laptop.workers().some((w) => isEngine(w) && w !== engine), 'a new engine added it');
  await laptop.getByTestId('first-copy').waitFor();
  await laptop.goto(server.url);
  await laptop.getByRole('heading', { name: 'Your caseload' }).waitFor();
  assert.equal(await laptop.getByRole('link', { name: /Ann Smith/ }).count(), 1, 'the plan is listed once');
  assert.deepEqual(laptop.errors.filter((e) => !/the engine stopped \(test\)/.test(e)), []);
  await phoneCtx.close();
  await ctx.close();
});

test('the engine stops after storing a copy and before it answers: the page says what was added, not "nothing new"', async () => {
  const { phoneCtx, text } = await annShares();

  const { ctx, page: laptop } = await workerLaptop(browser, server.url);
  const engine = await engineOf(laptop);
  await stopsInsteadOfAnswering(engine);
  await laptop.getByTestId('add-copy').click();
  await chooseFile(laptop, text);
  await laptop.getByTestId('import-header').filter({ hasText: 'From Ann Smith (carer)' }).waitFor();
  await laptop.getByTestId('import-add').click();
  await laptop.getByTestId('first-copy').waitFor();
  assert.ok(laptop.workers().some((w) => isEngine(w) && w !== engine), 'a new engine was asked again');
  await laptop.goto(server.url);
  await laptop.getByRole('heading', { name: 'Your caseload' }).waitFor();
  assert.equal(await laptop.getByRole('link', { name: /Ann Smith/ }).count(), 1, 'the plan is listed once');
  assert.deepEqual(laptop.errors.filter((e) => !/the engine stopped \(test\)/.test(e)), []);
  await phoneCtx.close();
  await ctx.close();
});

test('the engine stops after recording a share and before it answers: the file is made, and the share is recorded once', async () => {
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const phone = await newPage(phoneCtx);
  const id = await startAnnsPlan(phone, server.url);
  await saved(phone);
  const engine = await engineOf(phone);
  await stopsInsteadOfAnswering(engine);
  const text = await sendUnlocked(phone, server.url, id, { carer: true });
  assert.ok(text.length > 0, 'the file was made');
  assert.ok(phone.workers().some((w) => isEngine(w) && w !== engine), 'a new engine was asked again');
  // The plan's records of what was shared with whom (history folds a
  // sitting's same lines into one, so read them in "Download my data").
  const shares = async (page) => {
    await page.goto(`${server.url}#/plan/${id}/data`);
    await page.getByRole('heading', { name: /^Download (my|this plan's) data$/ }).waitFor();
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
    return JSON.parse(await readFile(await json.path(), 'utf8')).shares;
  };
  await phone.reload();
  const recorded = await shares(phone);
  assert.equal(recorded.length, 1, `one share, recorded once: ${JSON.stringify(recorded)}`);
  assert.deepEqual(recorded[0].with_whom, ['key-worker']);

  // What the key worker adds holds the one record too.
  const { ctx, page: laptop } = await workerLaptop(browser, server.url, { acceptDownloads: true });
  await add(laptop, text);
  assert.equal((await shares(laptop)).length, 1, 'the key worker has one share');
  assert.deepEqual(phone.errors.filter((e) => !/the engine stopped \(test\)/.test(e)), []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await ctx.close();
});
