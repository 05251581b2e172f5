// Keeping in step that never loses a word and lets no one in, end to end
// through the real relay: two tabs of the carer's phone and a key worker
// on two devices each typing in different answers; a stranger holding the
// link (the carer sees the request and refuses it); a device removed; the
// worker's laptop offline (the carer is never told "up to date"); stop,
// edit, start again (the edit arrives with no further typing); the
// carer's engine worker, which holds the sockets, stopping mid-typing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, newPage, saved, dumpStorage, PHONE, LAPTOP, startPlan, startRelay, stopRelay, joinAndAllow, appErrors, isEngine } from './harness.mjs';
import { backUp, restoreBackup } from './exchange.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = process.env.CSP_DIST ?? join(ROOT, 'dist');
const RELAY = JSON.parse(readFileSync(join(DIST, 'relay.json'), 'utf8')).relay;
const PORT = Number((RELAY.match(/^ws:\/\/127\.0\.0\.1:(\d+)/) ?? [])[1]);
const ARRIVES = { timeout: 60_000 };

let server, browser, relay;

before(async () => {
  assert.ok(PORT, 'dist/relay.json must name a loopback relay');
  server = await serve();
  browser = await launch();
  relay = await startRelay(PORT, mkdtempSync(join(tmpdir(), 'csp-relay-trust-')));
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (relay && relay.exitCode === null) await stopRelay(relay);
});

const go = (page, id, path = '') => page.goto(`${server.url}#/plan/${id}${path}`);

/// The carer's own words in an area, typed at a person's pace.
async function carerTypes(page, id, area, words) {
  await go(page, id, `/area/${area}`);
  const box = page.locator(`#wellbeing-${area}-own-words`);
  await box.click();
  await box.press('End');
  await box.pressSequentially(words, { delay: 20 });
  await saved(page);
}

/// The key worker's notes in an area.
async function workerTypes(page, id, area, words) {
  await go(page, id, `/area/${area}`);
  const box = page.getByLabel("Key worker's notes");
  await box.click();
  await box.pressSequentially(words, { delay: 20 });
  await saved(page);
}

/// The page shows `text`, as text or in a box the person can edit.
async function shows(page, text, timeout = ARRIVES.timeout) {
  await page.waitForFunction((t) => document.body.innerText.includes(t)
    || [...document.querySelectorAll('textarea, input')].some((el) => el.value.includes(t)), text, { timeout });
}

async function startKeeping(phone, id, also = []) {
  await go(phone, id);
  await phone.getByTestId('keep-link').click();
  await phone.getByRole('heading', { name: 'Which sections should your key worker see?' }).waitFor();
  for (const area of ['finances', 'health-wellbeing', 'relationships', 'life-balance']) {
    await phone.locator(`#share-area-${area}`).check();
  }
  for (const section of also) await phone.locator(`#share-${section}`).check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByTestId('confirm-keep').click();
  await phone.getByRole('heading', { name: 'Your link is ready' }).waitFor();
  return phone.getByTestId('keep-link').inputValue();
}

/// A carer's phone and Sam's laptop keeping a new plan in step, and her
/// first words in Finances (if any) arrived on his laptop.
async function inStep(words, phoneOptions = {}) {
  const phoneCtx = await browser.newContext({ ...PHONE, ...phoneOptions });
  const phone = await newPage(phoneCtx);
  const id = await startPlan(phone, server.url, { where: 'Scotland' });
  const link = await startKeeping(phone, id);
  const laptopCtx = await browser.newContext(LAPTOP);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  await joinAndAllow({ worker: laptop, carer: phone, link, id, url: server.url });
  if (words) {
    await carerTypes(phone, id, 'finances', words);
    await go(laptop, id, '/area/finances');
    await shows(laptop, words);
  }
  return { phoneCtx, phone, laptopCtx, laptop, id, link };
}

test('two carer tabs and a worker on two devices lose no word; a stranger gets nothing; a removed device gets nothing new; offline is never "up to date"', async () => {
  const phoneCtx = await browser.newContext(PHONE);
  const tab1 = await newPage(phoneCtx);
  const id = await startPlan(tab1, server.url, { where: 'Scotland' });
  await go(tab1, id, '/about-you');
  await tab1.getByLabel('Your full name').fill('Peggy Brown');
  await saved(tab1);
  const link = await startKeeping(tab1, id);

  const laptopCtx = await browser.newContext(LAPTOP);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const code1 = await joinAndAllow({ worker: laptop, carer: tab1, link, id, url: server.url });
  const workerPhoneCtx = await browser.newContext(PHONE);
  const workerPhone = await newPage(workerPhoneCtx, { role: 'key-worker', name: 'Sam Patel' });
  const code2 = await joinAndAllow({ worker: workerPhone, carer: tab1, link, id, url: server.url });
  assert.match(code1, /^\d{3} \d{3}$/);
  assert.notEqual(code1, code2, 'each device shows its own code');

  // The carer's second tab on the same phone.
  const tab2 = await newPage(phoneCtx);
  await go(tab2, id);
  await tab2.getByTestId('keep-status').waitFor(ARRIVES);

  // Each types in a different answer, at once.
  await Promise.all([
    carerTypes(tab1, id, 'finances', 'Tab one: money is tight.'),
    carerTypes(tab2, id, 'health-wellbeing', 'Tab two: back pain.'),
    workerTypes(laptop, id, 'relationships', 'Laptop: sister visits.'),
    workerTypes(workerPhone, id, 'life-balance', 'Worker phone: respite in June.'),
  ]);
  const words = [
    ['finances', 'Tab one: money is tight.'],
    ['health-wellbeing', 'Tab two: back pain.'],
    ['relationships', 'Laptop: sister visits.'],
    ['life-balance', 'Worker phone: respite in June.'],
  ];
  for (const page of [tab1, tab2, laptop, workerPhone]) {
    for (const [area, text] of words) {
      await go(page, id, `/area/${area}`);
      await shows(page, text);
    }
  }

  // Her history says which device each change was made on, by the names
  // she allowed them under.
  await go(tab1, id, '/history');
  const history = tab1.getByTestId('history');
  await history.filter({ hasText: "Sam Patel (key worker) on Sam Patel's computer:" }).waitFor(ARRIVES);
  await history.filter({ hasText: "Sam Patel (key worker) on Sam Patel's phone:" }).waitFor(ARRIVES);
  assert.match(await history.innerText(), / on this device: /);

  // The carer's list of devices names both of the worker's devices.
  await go(tab1, id, '/keep');
  await tab1.getByTestId('keep-device').nth(2).waitFor(ARRIVES);
  assert.equal(await tab1.getByTestId('keep-device').count(), 3);

  // --- A stranger with the link: it can only ask; the carer refuses.
  const strangerCtx = await browser.newContext(LAPTOP);
  const stranger = await newPage(strangerCtx, { role: 'key-worker', name: 'Sam Patel' });
  await stranger.goto(link.replace(/^https?:\/\/[^/]+\//, server.url));
  await stranger.getByTestId('join-keep').click();
  await stranger.getByRole('heading', { name: 'Waiting for the carer to allow this device' }).waitFor(ARRIVES);
  const strangerCode = (await stranger.getByTestId('join-code').innerText()).trim();
  await go(tab1, id);
  await tab1.getByTestId('keep-asking').waitFor(ARRIVES);
  await go(tab1, id, '/keep');
  const request = tab1.getByTestId('keep-request').filter({ hasText: strangerCode });
  await request.waitFor(ARRIVES);
  await request.getByTestId('refuse-device').click();
  await stranger.getByTestId('join-refused').waitFor(ARRIVES);
  const strangerStore = await dumpStorage(stranger);
  assert.equal(strangerStore.plans.length, 0, 'the stranger got the plan');
  assert.ok(!JSON.stringify(strangerStore).includes('money is tight'), 'the stranger holds an answer');
  await go(tab1, id, '/sign-off').catch(() => {});
  assert.equal(await tab1.getByText('signed by', { exact: false }).count(), 0, 'a forged sign-off');

  // --- The worker's devices are shut: the carer is not told "up to date".
  await go(tab1, id);
  await tab1.getByTestId('keep-status-text').filter({ hasText: 'Up to date with Sam Patel' }).waitFor(ARRIVES);
  for (const p of [laptop, workerPhone]) await p.goto('about:blank');
  await carerTypes(tab1, id, 'finances', ' Typed while Sam was offline.');
  await go(tab1, id);
  await tab1.getByTestId('keep-status-text').filter({ hasText: 'has not got your change' }).waitFor(ARRIVES);
  assert.equal(await tab1.getByTestId('keep-status-text').filter({ hasText: 'Up to date' }).count(), 0);
  await go(workerPhone, id);
  await go(laptop, id, '/area/finances');
  await shows(laptop, 'Typed while Sam was offline.', 40_000);
  await go(tab1, id);
  await tab1.getByTestId('keep-status-text').filter({ hasText: 'Up to date with Sam Patel' }).waitFor({ timeout: 40_000 });

  // --- Remove the worker's phone: nothing new reaches it.
  await go(tab1, id, '/keep');
  const phoneRow = tab1.getByTestId('keep-device').filter({ hasText: "Sam Patel's phone" });
  await phoneRow.getByTestId('remove-device').click();
  await tab1.getByTestId('confirm-remove').click();
  await go(workerPhone, id);
  await workerPhone.getByTestId('keep-status-text').filter({ hasText: 'removed this device' }).waitFor(ARRIVES);
  await carerTypes(tab1, id, 'health-wellbeing', ' After the phone was removed.');
  await go(laptop, id, '/area/health-wellbeing');
  await shows(laptop, 'After the phone was removed.');
  await go(workerPhone, id, '/area/health-wellbeing');
  await workerPhone.waitForTimeout(2000);
  assert.ok(!(await workerPhone.locator('body').innerText()).includes('After the phone was removed.'), 'a removed device got a new change');

  for (const p of [tab1, tab2, laptop, workerPhone, stranger]) assert.deepEqual(p.errors, [], p.url());
  for (const c of [phoneCtx, laptopCtx, workerPhoneCtx, strangerCtx]) await c.close();
});

test('a key worker opening the link on a laptop that has never used the app says who he is first, and asks as himself', async () => {
  const phoneCtx = await browser.newContext(PHONE);
  const phone = await newPage(phoneCtx);
  const id = await startPlan(phone, server.url, { where: 'Scotland' });
  const link = await startKeeping(phone, id);
  const laptopCtx = await browser.newContext(LAPTOP);
  const laptop = await newPage(laptopCtx, { role: null });
  await laptop.goto(link.replace(/^https?:\/\/[^/]+\//, server.url));
  // Not asked as anyone yet: who uses this device comes first.
  await laptop.getByRole('heading', { name: 'Who uses this device?' }).waitFor();
  assert.equal(await laptop.getByTestId('join-keep').count(), 0, 'no asking before he says who he is');
  await laptop.getByLabel('I am a key worker').check();
  await laptop.getByLabel('Your name').fill('Sam Patel');
  await laptop.getByRole('button', { name: 'Save and continue' }).click();
  // Back on the link, as himself.
  await laptop.getByRole('heading', { name: 'Keep this plan in step?' }).waitFor();
  await laptop.getByTestId('join-keep').click();
  await laptop.getByRole('heading', { name: 'Waiting for the carer to allow this device' }).waitFor(ARRIVES);
  const code = (await laptop.getByTestId('join-code').innerText()).trim();
  // She is writing in an area: the request is shown there, and leads to it.
  await go(phone, id, '/area/finances');
  await phone.getByTestId('asking-notice').filter({ hasText: 'A device asks to keep your plan in step.' }).waitFor(ARRIVES);
  await phone.getByTestId('asking-notice').getByRole('link', { name: 'Answer the request' }).click();
  const request = phone.getByTestId('keep-request').filter({ hasText: code });
  await request.waitFor(ARRIVES);
  assert.match(await request.innerText(), /Sam Patel's computer asks to keep your plan in step/);
  assert.match(await request.innerText(), /It says it is your key worker's device\./);
  for (const p of [phone, laptop]) assert.deepEqual(p.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('stop, edit, start again: the edit arrives with no further typing', async () => {
  const { phoneCtx, phone, laptopCtx, laptop, id, link } = await inStep(null);

  await go(phone, id, '/keep');
  await phone.getByTestId('keep-stop').click();
  await phone.getByTestId('confirm-stop').click();
  await go(laptop, id);
  await laptop.getByTestId('keep-status-text').filter({ hasText: 'stopped keeping this plan in step' }).waitFor(ARRIVES);
  await carerTypes(phone, id, 'finances', 'Written while stopped.');
  const again = await startKeeping(phone, id);
  assert.notEqual(again, link, 'a new start makes a new link');
  // She waits on "Your link is ready" while he opens it: his request shows
  // there, and so does his device once she allows it.
  await laptop.goto(again.replace(/^https?:\/\/[^/]+\//, server.url));
  await laptop.getByTestId('join-keep').click();
  await laptop.getByRole('heading', { name: 'Waiting for the carer to allow this device' }).waitFor(ARRIVES);
  const code = (await laptop.getByTestId('join-code').innerText()).trim();
  await phone.getByTestId('keep-request').filter({ hasText: code }).getByTestId('allow-device').click(ARRIVES);
  await phone.getByTestId('keep-joined').filter({ hasText: "Sam Patel's computer now keeps your plan in step." }).waitFor(ARRIVES);
  await phone.getByRole('heading', { name: 'Your link is ready' }).waitFor();
  await laptop.getByRole('heading', { name: 'The plan is on this device' }).waitFor(ARRIVES);
  await laptop.getByTestId('open-joined').click();
  await go(laptop, id, '/area/finances');
  await shows(laptop, 'Written while stopped.');
  for (const p of [phone, laptop]) assert.deepEqual(p.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('the carer\'s engine stops while her plan is kept in step: a new one connects again and every word arrives, both ways', async () => {
  const { phoneCtx, phone, laptopCtx, laptop, id } = await inStep('Before it stopped.');

  // The phone's engine (which holds the sockets) stops, as a crash would;
  // she goes on typing at once.
  const engine = phone.workers().find(isEngine);
  assert.ok(engine, 'the phone has an engine worker');
  const closed = new Promise((ok) => engine.once('close', ok));
  await engine.evaluate(() => { setTimeout(() => { throw new Error('the engine stopped (test)'); }); });
  await closed;
  const box = phone.locator('#wellbeing-finances-own-words');
  await box.click();
  await box.press('End');
  await box.pressSequentially(' Typed as it stopped.', { delay: 20 });
  await saved(phone);
  assert.ok(phone.workers().some((w) => w !== engine && isEngine(w)), 'a new engine took over');
  await shows(laptop, 'Before it stopped. Typed as it stopped.');

  // And what he writes reaches her through the new engine.
  await workerTypes(laptop, id, 'finances', 'Call about the heating grant.');
  await go(phone, id, '/area/finances');
  await shows(phone, 'Call about the heating grant.');
  assert.deepEqual(phone.errors.filter((e) => !/the engine stopped \(test\)/.test(e)), []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('no engine can start again after hers stopped: her phone says keeping in step is not running, never "up to date", and a reload sends what she typed', async () => {
  // No service worker, so that the engine's module can be kept from
  // arriving again (as on a phone out of memory or mid-update).
  const { phoneCtx, phone, laptopCtx, laptop, id } = await inStep('Before it stopped.', { serviceWorkers: 'block' });
  await go(phone, id);
  await phone.getByTestId('keep-status-text').filter({ hasText: 'Up to date with Sam Patel' }).waitFor(ARRIVES);
  await phoneCtx.route(/\/engine(-[0-9a-f]+)?_bg\.wasm$/, (r) => r.abort());
  const engine = phone.workers().find(isEngine);
  const closed = new Promise((ok) => engine.once('close', ok));
  await engine.evaluate(() => { setTimeout(() => { throw new Error('the engine stopped (test)'); }); });
  await closed;
  await phone.getByTestId('keep-connection').filter({ hasText: 'Keeping in step is not running on this device' }).waitFor(ARRIVES);
  const status = await phone.getByTestId('keep-status-text').innerText();
  assert.doesNotMatch(status, /checked/, `told "${status}" with nothing running`);
  assert.match(status, /when last connected/);
  // She goes on: her words are kept on the phone.
  await carerTypes(phone, id, 'finances', ' Typed with nothing running.');
  // Reloaded, with the engine back: what she typed reaches Sam.
  await phoneCtx.unroute(/\/engine(-[0-9a-f]+)?_bg\.wasm$/);
  await phone.reload();
  await go(phone, id);
  await phone.getByTestId('keep-status-text').filter({ hasText: 'Up to date with Sam Patel' }).waitFor(ARRIVES);
  await go(laptop, id, '/area/finances');
  await shows(laptop, 'Before it stopped. Typed with nothing running.');
  const unexpected = phone.errors.filter((e) => !/the engine stopped \(test\)|Failed to load resource|engine(-[0-9a-f]+)?_bg\.wasm/.test(e));
  assert.deepEqual(unexpected, []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('she stops keeping one section in step: she is told before she confirms, his list says it is not kept in step, her new words there stay with her; stopped, she is never told "kept in step"', async () => {
  const { phoneCtx, phone, laptopCtx, laptop, id } = await inStep('Money is tight.');
  // His first copy: new, not "changed", and every section she shares is
  // listed, those she has not written in yet too.
  await go(laptop, id);
  await laptop.getByTestId('changes-banner').filter({ hasText: 'It is new on this device' }).waitFor(ARRIVES);
  await go(laptop, id, '/changes');
  const held = await laptop.getByTestId('changes').innerText();
  for (const area of ['Finances', 'Health and wellbeing', 'Relationships', 'Life balance']) assert.match(held, new RegExp(area), held);
  await go(phone, id, '/keep');
  await phone.getByTestId('keep-change').click();
  await phone.locator('#share-area-finances').uncheck();
  await phone.getByRole('button', { name: 'Continue' }).click();
  assert.match(await phone.getByTestId('keep-dropped').innerText(), /no longer keeping .+ in step/);
  await phone.getByTestId('confirm-keep').click();
  await phone.getByTestId('keep-stop').waitFor();

  // His task list: Finances is not kept in step; he keeps what came.
  await go(laptop, id);
  const finances = laptop.locator('li[data-section$="finances"]');
  await finances.filter({ hasText: 'Not kept in step' }).waitFor(ARRIVES);
  assert.equal(await laptop.locator('li[data-section$="health-wellbeing"]').filter({ hasText: 'Not kept in step' }).count(), 0);
  await go(laptop, id, '/area/finances');
  await shows(laptop, 'Money is tight.');
  // There he is told that what he writes stays on his laptop; not on Health.
  assert.match(await laptop.getByTestId('not-kept-notice').innerText(), /does not keep this section in step with you\. What you write here stays on this device/);
  await go(laptop, id, '/area/health-wellbeing');
  await laptop.getByLabel("Key worker's notes").waitFor();
  assert.equal(await laptop.getByTestId('not-kept-notice').count(), 0);

  // Her new words in Finances stay on her phone; Health still goes.
  await carerTypes(phone, id, 'finances', ' Only for me.');
  await carerTypes(phone, id, 'health-wellbeing', 'My back is bad.');
  await go(laptop, id, '/area/health-wellbeing');
  await shows(laptop, 'My back is bad.');
  await go(laptop, id, '/area/finances');
  assert.ok(!(await laptop.locator('body').innerText()).includes('Only for me.'), 'a dropped section was sent');
  assert.ok(!(await laptop.locator('textarea').evaluateAll((els) => els.map((e) => e.value).join(' '))).includes('Only for me.'), 'a dropped section was sent');

  // She stops: her task list does not say "Kept in step".
  await go(phone, id, '/keep');
  await phone.getByTestId('keep-stop').click();
  await phone.getByTestId('confirm-stop').click();
  await phone.getByTestId('notice').filter({ hasText: 'You have stopped keeping your plan in step' }).waitFor();
  await phone.getByTestId('keep-status-text').filter({ hasText: 'You stopped keeping in step' }).waitFor();
  const panel = await phone.getByTestId('keep-status').innerText();
  assert.match(panel, /You stopped keeping in step/);
  assert.doesNotMatch(panel, /Kept in step\./, `her panel says "${panel}"`);
  await go(laptop, id);
  await laptop.getByTestId('keep-status-text').filter({ hasText: 'stopped keeping this plan in step' }).waitFor(ARRIVES);
  assert.doesNotMatch(await laptop.getByTestId('keep-status').innerText(), /Kept in step\./);
  await laptop.goto(`${server.url}#/`);
  await laptop.getByTestId('caseload-keep').filter({ hasText: 'Not kept in step · stopped by the carer' }).waitFor(ARRIVES);
  for (const p of [phone, laptop]) assert.deepEqual(p.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('his laptop goes offline: his screen says so at once and steadily, never "up to date — checked"; back online, her words arrive', async () => {
  const { phoneCtx, phone, laptopCtx, laptop, id } = await inStep('Money is tight.');
  await go(laptop, id);
  await laptop.getByTestId('keep-status-text').filter({ hasText: 'Up to date with' }).waitFor(ARRIVES);
  await laptopCtx.setOffline(true);
  const offline = laptop.getByTestId('keep-connection').filter({ hasText: 'This device is offline' });
  await offline.waitFor({ timeout: 5_000 });
  // Steady: not "Connecting…" and "offline" by turns, and never "checked".
  await carerTypes(phone, id, 'finances', ' Typed while he was offline.');
  for (let i = 0; i < 12; i += 1) {
    const connection = await laptop.getByTestId('keep-connection').allInnerTexts();
    assert.deepEqual(connection.map((t) => t.startsWith('This device is offline')), [true], `his line: ${connection}`);
    const status = await laptop.getByTestId('keep-status-text').innerText();
    assert.doesNotMatch(status, /checked/, `his status: ${status}`);
    await laptop.waitForTimeout(500);
  }
  await laptopCtx.setOffline(false);
  await go(laptop, id, '/area/finances');
  await shows(laptop, 'Money is tight. Typed while he was offline.');
  await go(laptop, id);
  await laptop.getByTestId('keep-status-text').filter({ hasText: 'Up to date with' }).waitFor(ARRIVES);
  assert.equal(await laptop.getByTestId('keep-connection').count(), 0);
  for (const p of [phone, laptop]) assert.deepEqual(p.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('carer and key worker typing in the same answer at the same moment: both phrases whole on both screens', async () => {
  const phoneCtx = await browser.newContext(PHONE);
  const phone = await newPage(phoneCtx);
  const id = await startPlan(phone, server.url, { where: 'Scotland' });
  const link = await startKeeping(phone, id, ['caring-role']);
  const laptopCtx = await browser.newContext(LAPTOP);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  await joinAndAllow({ worker: laptop, carer: phone, link, id, url: server.url });

  const box = (page) => page.locator('#caring-role-what-you-do');
  await go(phone, id, '/caring-role');
  await box(phone).fill('I do the shopping and cooking.');
  await saved(phone);
  await go(laptop, id, '/caring-role');
  await shows(laptop, 'I do the shopping and cooking.');

  // Both put the caret at the end of the same answer and type at once.
  const carer = ' Peggy: and the washing on Mondays.';
  const worker = ' Sam: she also helps him at night.';
  const typeAtEnd = async (page, words) => {
    await box(page).click();
    await box(page).press('End');
    await box(page).pressSequentially(words, { delay: 60 });
    await saved(page);
  };
  await Promise.all([typeAtEnd(phone, carer), typeAtEnd(laptop, worker)]);

  for (const page of [phone, laptop]) {
    await page.waitForFunction(([a, b]) => {
      const v = document.querySelector('#caring-role-what-you-do')?.value ?? '';
      return v.includes(a.trim()) && v.includes(b.trim());
    }, [carer, worker], ARRIVES);
  }
  const [onPhone, onLaptop] = [await box(phone).inputValue(), await box(laptop).inputValue()];
  assert.equal(onPhone, onLaptop, 'both screens end the same');
  assert.ok(onPhone.startsWith('I do the shopping and cooking.'), onPhone);
  assert.ok(onPhone.includes(carer.trim()), `the carer's phrase whole: ${onPhone}`);
  assert.ok(onPhone.includes(worker.trim()), `the worker's phrase whole: ${onPhone}`);
  // The history says once that each of them changed the answer, not once
  // for every time the other's keys came between theirs.
  await go(phone, id, '/history');
  await phone.getByTestId('history').waitFor(ARRIVES);
  const lines = await phone.getByTestId('history').locator('li').filter({ hasText: /caring role/i }).allInnerTexts();
  assert.ok(lines.length <= 2, `one line each, not:\n${lines.join('\n')}`);
  for (const p of [phone, laptop]) assert.deepEqual(p.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('a carer restores her backup on a new phone and her plan stays in step', async () => {
  const PASS = 'kettle garden Tuesday';
  const { phoneCtx: oldCtx, phone: old, laptopCtx, laptop, id, link } = await inStep('Before the backup.', { acceptDownloads: true });

  const file = await backUp(old, server.url, PASS);
  await oldCtx.close();

  const newCtx = await browser.newContext(PHONE);
  const next = await newPage(newCtx, { role: null });
  await next.goto(server.url);
  await next.getByTestId('first-restore').click();
  await restoreBackup(next, file.name, file.text, PASS);
  await next.getByTestId('restore-done').filter({ hasText: '1 plan added' }).waitFor(ARRIVES);

  // Her words on the new phone reach Sam, and his reach her.
  await carerTypes(next, id, 'finances', ' Typed on the new phone.');
  await go(laptop, id, '/area/finances');
  await shows(laptop, 'Typed on the new phone.');
  await workerTypes(laptop, id, 'finances', 'Seen after the restore.');
  await go(next, id, '/area/finances');
  await shows(next, 'Seen after the restore.');
  await go(next, id);
  await next.getByTestId('keep-status-text').filter({ hasText: 'Up to date with Sam Patel' }).waitFor(ARRIVES);
  for (const p of [next, laptop]) assert.deepEqual(p.errors, []);
  await newCtx.close();
  await laptopCtx.close();
});

test('a key worker back after time away sees his caseload catch up, plan by plan, and every word arrives', async () => {
  const ann = await newPage(await browser.newContext(PHONE));
  const bea = await newPage(await browser.newContext(PHONE));
  const laptopCtx = await browser.newContext(LAPTOP);
  // Everything the caseload's catch-up line said, however briefly.
  await laptopCtx.addInitScript(() => {
    window.__catchUp = [];
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid=catching-up]')?.innerText.trim();
      if (text && window.__catchUp.at(-1) !== text) window.__catchUp.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const ids = [];
  for (const [phone, name] of [[ann, 'Ann Smith'], [bea, 'Bea Jones']]) {
    const id = await startPlan(phone, server.url, { name });
    await carerTypes(phone, id, 'finances', `${name}: money is tight.`);
    const link = await startKeeping(phone, id);
    await joinAndAllow({ worker: laptop, carer: phone, link, id, url: server.url });
    ids.push(id);
  }
  // Sam's laptop is shut; both carers write meanwhile.
  await laptop.goto('about:blank');
  await carerTypes(ann, ids[0], 'finances', ' Ann wrote this while Sam was away.');
  await carerTypes(bea, ids[1], 'finances', ' Bea wrote this while Sam was away.');

  // Back: the caseload says how far it has caught up, then the line goes.
  await laptop.goto(server.url);
  await laptop.getByRole('heading', { name: 'Your caseload' }).waitFor();
  await laptop.waitForFunction(() => window.__catchUp.length > 0, null, ARRIVES);
  const said = await laptop.evaluate(() => window.__catchUp);
  assert.match(said[0], /^Catching up with the council's service: [01] of 2 plans kept in step checked/);
  // The line's live region stays, empty, once every plan is checked.
  await laptop.waitForFunction(() => document.querySelector('[data-testid=catching-up]')?.innerText.trim() === '', null, ARRIVES);
  await go(laptop, ids[0], '/area/finances');
  await shows(laptop, 'Ann wrote this while Sam was away.');
  await go(laptop, ids[1], '/area/finances');
  await shows(laptop, 'Bea wrote this while Sam was away.');
  assert.deepEqual(appErrors(laptop, RELAY), []);
});
