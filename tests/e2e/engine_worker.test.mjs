// The engine worker beside the page (src/web/engine/): a passphrase's key is
// made there, never on the page, for sharing and adding a copy; when the
// engine stops, a new one takes over; when none can start (its module never
// arrives), the person is told plainly, nothing is recorded or lost, and
// asking again tries a new engine. Carer's phone and key worker's laptop, separate browser contexts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, PHONE, LAPTOP, startPlan, workerLaptop, isEngine, saved } from './harness.mjs';
import { confirmAndDownload, chooseFile, addWithWrongThenRightPassphrase, toLockedCheck } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PASS = 'kettle garden Tuesday';

/// The engine worker of `page`, once it runs.
async function engineOf(page) {
  for (;;) {
    const found = page.workers().find(isEngine);
    if (found) return found;
    await page.waitForEvent('worker');
  }
}

/// On the carer's phone: a plan with a few words, shared with her key worker
/// locked with the passphrase. Returns the file's text.
async function lockedShare(phone) {
  const id = await startPlan(phone, server.url, { name: 'Ann Smith' });
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  await phone.locator('#wellbeing-finances-own-words').fill('The heating bills worry me.');
  await toLockedCheck(phone, server.url, id, 'Finances', PASS);
  const text = await confirmAndDownload(phone);
  assert.match(text, /Encryption: argon2id-aes-256-gcm/);
  return text;
}

/// On the worker's laptop: add the file, first with a wrong passphrase.
async function addLocked(laptop, text) {
  await laptop.getByTestId('add-copy').click();
  await chooseFile(laptop, text);
  await laptop.getByTestId('import-header').filter({ hasText: 'From Ann Smith (carer)' }).waitFor();
  await addWithWrongThenRightPassphrase(laptop, PASS);
  await laptop.getByTestId('changes').filter({ hasText: 'Finances' }).waitFor();
}

test('keys are made by the engine worker; when it stops a new one takes over and nothing is lost', async () => {
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const phone = await newPage(phoneCtx);
  const text = await lockedShare(phone);
  // The phone's page has its engine beside it.
  assert.ok(phone.workers().some(isEngine), 'the phone has an engine worker');

  const { ctx, page: laptop } = await workerLaptop(browser, server.url);
  const first = await engineOf(laptop);
  // The engine stops (an error it did not catch, as a crash would be).
  const closed = new Promise((ok) => first.once('close', ok));
  await first.evaluate(() => { setTimeout(() => { throw new Error('the engine stopped (test)'); }); });
  await closed;
  assert.ok(!laptop.workers().includes(first), 'the stopped engine is gone');
  await addLocked(laptop, text);
  const second = laptop.workers().find(isEngine);
  assert.ok(second && second !== first, 'a new engine answered');
  assert.deepEqual(laptop.errors.filter((e) => !/the engine stopped \(test\)/.test(e)), []);
  assert.deepEqual(phone.errors, []);
  await phoneCtx.close();
  await ctx.close();
});

test('with no engine (its module never arrives), sending and adding a locked copy say so plainly and keep what was chosen; asked again once it arrives, both are done', async () => {
  const NO_ENGINE = 'part of the app did not start on this device';
  // The engine's module does not arrive (a bad signal) while `arrives` is
  // false; no service worker keeps a copy of it.
  let arrives = true;
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true, serviceWorkers: 'block' });
  const laptopCtx = await browser.newContext({ ...LAPTOP, acceptDownloads: true, serviceWorkers: 'block' });
  for (const c of [phoneCtx, laptopCtx]) await c.route(/\/engine(-[0-9a-f]+)?_bg\.wasm$/, (r) => (arrives ? r.continue() : r.abort()));
  const phone = await newPage(phoneCtx);
  const id = await startPlan(phone, server.url, { name: 'Ann Smith' });
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  await phone.locator('#wellbeing-finances-own-words').fill('The heating bills worry me.');
  await saved(phone);
  // Her engine stops, and no new one can start.
  arrives = false;
  const engine = phone.workers().find(isEngine);
  const closed = new Promise((ok) => engine.once('close', ok));
  await engine.evaluate(() => { setTimeout(() => self.close()); });
  await closed;
  await toLockedCheck(phone, server.url, id, 'Finances', PASS);
  await phone.getByTestId('confirm-share').click();
  await phone.getByTestId('problem').filter({ hasText: NO_ENGINE }).waitFor();
  // Still on the check, with what she chose: nothing was recorded.
  await phone.getByRole('heading', { name: 'Check what you are sending' }).waitFor();
  assert.match(await phone.locator('main').innerText(), /Finances/);
  arrives = true;
  const text = await confirmAndDownload(phone);
  assert.match(text, /Encryption: argon2id-aes-256-gcm/);

  arrives = false;
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  await laptop.goto(server.url);
  await laptop.getByRole('heading', { name: 'Your caseload' }).waitFor();
  await laptop.getByTestId('add-copy').click();
  await chooseFile(laptop, text);
  // The engine reads the file's header (protocol 20): with none, he is told
  // so plainly, and the file he chose stays chosen.
  await laptop.getByTestId('problem').filter({ hasText: NO_ENGINE }).waitFor();
  assert.equal(await laptop.locator('#import-file').evaluate((i) => i.files.length), 1, 'the file he chose is kept');
  arrives = true;
  await laptop.getByTestId('import-continue').click();
  await laptop.getByTestId('import-header').filter({ hasText: 'From Ann Smith (carer)' }).waitFor();
  // His engine stops before he adds it, and no new one can start.
  arrives = false;
  const his = laptop.workers().find(isEngine);
  const hisClosed = new Promise((ok) => his.once('close', ok));
  await his.evaluate(() => { setTimeout(() => self.close()); });
  await hisClosed;
  await laptop.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await laptop.getByTestId('import-add').click();
  await laptop.getByTestId('problem').filter({ hasText: NO_ENGINE }).waitFor();
  // Nothing was added: his caseload is as it was.
  assert.equal(await laptop.getByTestId('import-header').count(), 1, 'still on the file he chose');
  arrives = true;
  await addWithWrongThenRightPassphrase(laptop, PASS);
  await laptop.getByTestId('changes').filter({ hasText: 'Finances' }).waitFor();
  // Only the refused downloads are logged; the app itself raised nothing.
  const unexpected = (p) => p.errors.filter((e) => !/Failed to load resource|engine(-[0-9a-f]+)?_bg\.wasm/.test(e));
  assert.deepEqual(unexpected(phone), []);
  assert.deepEqual(unexpected(laptop), []);
  await phoneCtx.close();
  await laptopCtx.close();
});
