// What people still tripped over, each from the person's side:
// hours that count, taps that land (with the layout shift measured between
// a finger's press and release), screens that agree, a Back link on every
// page, the worker's words, the backup's status and passphrase, and a
// damaged file told apart from a wrong passphrase.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serve, launch, newPage, saved, PHONE, LAPTOP } from './harness.mjs';
import { sendUnlocked, addFile, parseCsv, download } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PASS = 'kettle garden Tuesday';

async function newPlan(page) {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Start a new plan' }).click();
  await page.getByRole('heading', { name: 'Where do you live?' }).waitFor();
  await page.getByLabel('Scotland').check();
  return page.url().match(/plan\/([0-9a-f]{32})/)[1];
}

async function go(page, id, path, heading) {
  await page.goto(`${server.url}#/plan/${id}${path}`);
  if (heading) await page.getByRole('heading', { name: heading, exact: true }).waitFor();
  else await page.locator('main h1').first().waitFor();
}

/// A carer's phone with a new plan in Scotland for Margaret Brown (called
/// Peggy when `peggy`), and a key worker's laptop. Close with `done()`.
async function carerAndWorker({ peggy = false } = {}) {
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const laptopCtx = await browser.newContext({ ...LAPTOP, acceptDownloads: true });
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const id = await newPlan(phone);
  await go(phone, id, '/about-you');
  await phone.getByLabel('Your full name').fill('Margaret Brown');
  if (peggy) await phone.getByLabel('What would you like to be called?').fill('Peggy');
  await saved(phone);
  const done = async () => {
    assert.deepEqual(phone.errors, []);
    assert.deepEqual(laptop.errors, []);
    await phoneCtx.close();
    await laptopCtx.close();
  };
  return { phone, laptop, id, done };
}

/// Press `target` as a finger does: down, a moment, up. The box that would
/// show a message (`field`) is put at the top of the screen and the page
/// made tall enough that `target` is on screen too, as on a phone whose
/// form fits. Returns how far `target` moved between press and release
/// (px) and the layout shift in that time (PerformanceObserver
/// 'layout-shift', every entry, recent input or not).
async function pressAndMeasure(page, target, field) {
  if (field) await field.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  else await target.scrollIntoViewIfNeeded();
  let box = await target.boundingBox();
  const size = page.viewportSize();
  if (box.y + box.height > size.height) {
    await page.setViewportSize({ width: size.width, height: Math.ceil(box.y + box.height + 40) });
    if (field) await field.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    box = await target.boundingBox();
  }
  await page.evaluate(() => {
    window.__shifts = [];
    window.__obs?.disconnect();
    window.__obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__shifts.push({ t: e.startTime, v: e.value }); });
    window.__obs.observe({ type: 'layout-shift' });
  });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  const downAt = await page.evaluate(() => performance.now());
  // Long enough for a message shown on leaving a box to appear.
  await page.waitForTimeout(400);
  const upAt = await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now())))));
  const moved = Math.abs((await target.boundingBox()).y - box.y);
  await page.mouse.up();
  const shifts = await page.evaluate(() => window.__shifts);
  await page.setViewportSize(size);
  return { moved, shift: shifts.filter((x) => x.t >= downAt - 1 && x.t <= upAt).reduce((sum, x) => sum + x.v, 0) };
}

/// Nothing moved under the finger: not `target`, and no layout shift.
async function stillUnderFinger(page, target, field, what) {
  const { moved, shift } = await pressAndMeasure(page, target, field);
  assert.equal(moved, 0, `${what}: the button moved ${moved} px under the finger`);
  assert.equal(shift, 0, `${what}: layout shift ${shift}`);
}

/// The GOV.UK error summary: shown, focused, and naming `words`; the
/// field's own message too (`inline`, an element id).
async function summaryShows(page, words, inline) {
  const summary = page.locator('.error-summary');
  await summary.filter({ hasText: words }).waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('.error-summary') != null, null, { timeout: 2000 })
    .catch(() => assert.fail('focus moves to the summary'));
  if (inline) await page.locator(`#${inline}`).filter({ hasText: words }).waitFor();
}

test('hours "24/7, about 120" count as 120 in the summary, the worker\'s screens and the returns; words with no number say so', async () => {
  const { phone, laptop, id, done } = await carerAndWorker();
  await go(phone, id, '/caring-role', 'What you do');
  const hours = phone.getByLabel('About how many hours a week do you spend caring?');
  await hours.click();
  await phone.keyboard.type('24/7, about 120', { delay: 20 });
  await phone.keyboard.press('Tab');
  await saved(phone);
  await phone.waitForTimeout(200);
  assert.equal(await phone.locator('#caring-role-hours-error').count(), 0, 'no advice asking for a number she gave');
  await phone.getByRole('link', { name: 'Continue' }).click();
  await phone.getByRole('heading', { name: 'Your days' }).waitFor();
  await go(phone, id, '/summary');
  const summary = await phone.locator('main').innerText();
  assert.match(summary, /24\/7, about 120/, 'her words as she wrote them');
  assert.match(summary, /120 hours/, 'the number counted');

  const file = await sendUnlocked(phone, server.url, id, { carer: true });
  await addFile(laptop, `${server.url}#/import`, file);
  await go(laptop, id, '/summary');
  const worker = await laptop.locator('main').innerText();
  assert.match(worker, /24\/7, about 120/);
  assert.match(worker, /120 hours/);
  await laptop.goto(server.url);
  let csv = parseCsv((await download(laptop, () => laptop.getByTestId('download-returns').click())).text);
  let col = csv[0].indexOf('hours_caring_per_week');
  assert.ok(col >= 0, 'the number itself is a column');
  assert.equal(csv[1][col], '120');
  assert.equal(csv[1][csv[0].indexOf('hours_caring_per_week_band')], '50+');

  // Words with no number: kept, and said so to the worker and in the CSV.
  await go(phone, id, '/caring-role', 'What you do');
  await hours.fill('24/7');
  await saved(phone);
  const again = await sendUnlocked(phone, server.url, id, { carer: true });
  await addFile(laptop, `${server.url}#/plan/${id}/import`, again);
  await go(laptop, id, '/summary');
  assert.match(await laptop.locator('main').innerText(), /24\/7 \(hours not given as a number\)/);
  await laptop.goto(server.url);
  csv = parseCsv((await download(laptop, () => laptop.getByTestId('download-returns').click())).text);
  col = csv[0].indexOf('hours_caring_per_week');
  assert.equal(csv[1][col], 'not-given');
  assert.equal(csv[1][csv[0].indexOf('hours_caring_per_week_band')], 'not-given');
  await done();
});

test('a message waits for Continue: nothing moves between press and release, the tap lands, the summary says what to fix', async () => {
  // The laptop first: its whole form is on screen, so a message that
  // appears on blur moves Continue under the pointer at once.
  for (const device of [LAPTOP, PHONE]) {
    const ctx = await browser.newContext(device);
    const page = await newPage(ctx);
    const id = await newPlan(page);

    // Hours over a week.
    await go(page, id, '/caring-role', 'What you do');
    await page.getByLabel('About how many hours a week do you spend caring?').fill('200');
    await saved(page);
    const hoursBox = page.getByLabel('About how many hours a week do you spend caring?');
    await stillUnderFinger(page, page.getByRole('link', { name: 'Continue' }), hoursBox, 'hours 200');
    await summaryShows(page, 'There are 168 hours in a week', 'caring-role-hours-error');
    // Words and no number: advice on Continue, then Continue goes on.
    await page.getByLabel('About how many hours a week do you spend caring?').fill('24/7');
    await saved(page);
    await stillUnderFinger(page, page.getByRole('link', { name: 'Continue' }), hoursBox, 'hours 24/7');
    await summaryShows(page, 'Your words are kept', 'caring-role-hours-error');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your days' }).waitFor();

    // An email address without a full stop after the @.
    await go(page, id, '/about-you', 'Your details');
    await page.getByLabel('Email address').fill('ann@example');
    await saved(page);
    await stillUnderFinger(page, page.getByRole('link', { name: 'Continue' }), page.getByLabel('Email address'), 'email');
    await summaryShows(page, 'needs a full stop', 'carer-email-error');
    await page.getByLabel('Email address').fill('ann@example.com');
    await saved(page);
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'You and your health' }).waitFor();

    // An emergency contact's phone number.
    await go(page, id, '/emergency');
    await page.getByRole('button', { name: /Add a contact/ }).click();
    const phone = page.locator('input[id$="-phone"]').first();
    await phone.fill('call me');
    await saved(page);
    await stillUnderFinger(page, page.locator('main a.button').first(), phone, 'contact phone');
    await summaryShows(page, 'A phone number can only have');

    // Where do you live, nothing chosen.
    const fresh = await newPage(ctx);
    await fresh.goto(server.url);
    await fresh.getByRole('button', { name: 'Start a new plan' }).click();
    await fresh.getByRole('heading', { name: 'Where do you live?' }).waitFor();
    await stillUnderFinger(fresh, fresh.getByRole('link', { name: 'Continue' }), null, 'where');
    await fresh.getByTestId('problem').filter({ hasText: 'Choose where you live' }).waitFor();

    // Backing up with the two passphrases different.
    await page.goto(`${server.url}#/backup`);
    await page.locator('#backup-passphrase').fill(PASS);
    await page.locator('#backup-passphrase-again').fill('kettle garden Wednesday');
    await stillUnderFinger(page, page.getByTestId('backup-start'), page.locator('#backup-passphrase'), 'backup');
    await summaryShows(page, 'The two passphrases are different');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(fresh.errors, []);
    await ctx.close();
  }
});

test('the sign-off page never says she agreed and she has not agreed at once', async () => {
  const { phone, laptop, id, done } = await carerAndWorker({ peggy: true });
  await addFile(laptop, `${server.url}#/import`, await sendUnlocked(phone, server.url, id, { carer: true }));
  await go(laptop, id, '/sign-off', 'Sign off the plan');
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('problem').filter({ hasText: 'has not agreed' }).waitFor();
  await laptop.getByTestId('agree-in-meeting').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'Peggy agreed on' }).waitFor();
  await laptop.waitForTimeout(200);
  assert.doesNotMatch(await laptop.locator('main').innerText(), /has not agreed/);
  await laptop.getByTestId('sign-off').click();
  await laptop.getByRole('heading', { name: "Peggy's support plan" }).waitFor();
  await done();
});

const CARER_PAGES = ['/where', '', '/about-you', '/about-you/more', '/people', '/caring-role', '/caring-role/days',
  '/area/health-wellbeing', '/area/health-wellbeing/more', '/actions', '/emergency', '/future', '/council',
  '/summary', '/summary/about-you', '/share', '/import', '/history', '/changes', '/conflicts', '/agree', '/signed',
  '/data', '/delete'];
const WORKER_PAGES = ['', '/about-you', '/caring-role', '/area/health-wellbeing', '/summary', '/share', '/import',
  '/history', '/notes', '/sign-off', '/signed', '/data', '/review'];

async function backLinks(page) {
  return page.locator('main').locator('a.back-link, button.back-link, a:text-matches("^Back"), button:text-matches("^Back")').count();
}

test('every page but the start has a Back link, the first page of sharing as a file included', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await newPlan(page);
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.getByTestId('progress').waitFor();
  const missing = [];
  for (const p of CARER_PAGES) {
    await go(page, id, p);
    await page.waitForTimeout(50);
    if (await backLinks(page) === 0) missing.push(p);
  }
  for (const p of ['#/settings', '#/import', '#/backup', '#/restore']) {
    await page.goto(`${server.url}${p}`);
    await page.locator('main h1').first().waitFor();
    if (await backLinks(page) === 0) missing.push(p);
  }
  assert.deepEqual(missing, []);
  await ctx.close();
});

test('the key worker\'s screens use the worker\'s words, links alone on a line are 44 px, focus goes to what happened', async () => {
  const { phone, laptop, id, done } = await carerAndWorker();
  await addFile(laptop, `${server.url}#/import`, await sendUnlocked(phone, server.url, id, { carer: true }));
  const words = [];
  const small = [];
  for (const p of WORKER_PAGES) {
    await go(laptop, id, p);
    await laptop.waitForTimeout(50);
    const text = await laptop.locator('main').innerText();
    for (const m of text.matchAll(/[^.\n]*\b(your plan|you care for|your caring role|your answers)\b[^.\n]*/gi)) words.push(`${p}: ${m[0].trim()}`);
    small.push(...(await laptop.evaluate(() => [...document.querySelectorAll('main p, main li')]
      .filter((el) => el.children.length === 1 && el.children[0].tagName === 'A' && el.textContent.trim() === el.children[0].textContent.trim())
      .map((el) => el.children[0]).filter((a) => a.getBoundingClientRect().height < 44)
      .map((a) => `${location.hash}: ${a.textContent.trim()} (${Math.round(a.getBoundingClientRect().height)} px)`))));
  }
  assert.deepEqual(words, [], 'the worker reads about the carer, not "your"');
  assert.deepEqual(small, []);

  // After saving a rating, focus stays where the worker is (it does not
  // jump to the top of the page).
  await go(laptop, id, '/area/health-wellbeing');
  const first = laptop.getByRole('group', { name: 'Your rating of the impact' }).getByRole('radio').first();
  await first.check();
  await saved(laptop);
  await laptop.waitForTimeout(300);
  assert.equal(await laptop.evaluate(() => document.activeElement?.getAttribute('name')), await first.getAttribute('name'));
  await done();
});

test('a backup asks for the passphrase twice, says it was made at once, and focus goes to the banner', async () => {
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const page = await newPage(ctx);
  const id = await newPlan(page);
  await go(page, id, '/about-you');
  await page.getByLabel('Your full name').fill('Ann Smith');
  await saved(page);
  await page.goto(`${server.url}#/backup`);
  await page.getByTestId('last-backup').filter({ hasText: 'no backup' }).waitFor();
  await page.locator('#backup-passphrase').fill(PASS);
  await page.getByTestId('backup-start').click();
  await page.locator('.error-summary').filter({ hasText: 'Type the passphrase again' }).waitFor();
  await page.locator('#backup-passphrase-again').fill(PASS);
  const file = await download(page, () => page.getByTestId('backup-start').click());
  assert.match(file.text, /BEGIN CARER SUPPORT PLAN BACKUP/);
  await page.getByTestId('backup-done').waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid="backup-done"]') != null, null, { timeout: 2000 })
    .catch(() => assert.fail('focus on the banner'));
  assert.doesNotMatch(await page.getByTestId('last-backup').innerText(), /no backup/i);
  assert.match(await page.getByTestId('last-backup').innerText(), /last backup was made/);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a damaged Salt, Check or KDF line says the file was changed or damaged, not that the passphrase is wrong', async () => {
  const { phone, laptop, id, done } = await carerAndWorker();
  await go(phone, id, '/share', 'What would you like to share?');
  await phone.getByLabel('About you', { exact: true }).check();
  await phone.getByLabel('My key worker').check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByTestId('confirm-share').click();
  const share = (await download(phone, () => phone.getByTestId('download-share').click())).text;
  const flip = (line) => { const [k, v] = line.split(': '); return `${k}: ${v[0] === 'A' ? 'B' : 'A'}${v.slice(1)}`; };
  const damage = (text, key) => text.split('\n').map((l) => (l.startsWith(`${key}: `) ? (key === 'KDF' ? l.replace('t=2', 't=3') : flip(l)) : l)).join('\n');
  for (const key of ['Salt', 'Check', 'KDF']) {
    await laptop.goto(`${server.url}#/import`);
    await laptop.reload();
    await laptop.getByLabel('Or paste the text of the file').fill(damage(share, key));
    await laptop.getByTestId('import-continue').click();
    const problem = laptop.getByTestId('problem');
    await Promise.race([problem.waitFor(), laptop.getByTestId('import-add').waitFor()]);
    if (await problem.count() === 0) {
      await laptop.getByLabel('Passphrase', { exact: true }).fill(PASS);
      await laptop.getByTestId('import-add').click();
      await problem.waitFor();
    }
    const said = await problem.innerText();
    assert.match(said, /changed or damaged/, `${key}: ${said}`);
    assert.doesNotMatch(said, /passphrase does not open/, key);
  }

  await phone.goto(`${server.url}#/backup`);
  await phone.locator('#backup-passphrase').fill(PASS);
  await phone.locator('#backup-passphrase-again').fill(PASS);
  const backup = (await download(phone, () => phone.getByTestId('backup-start').click())).text;
  for (const key of ['Salt', 'Check', 'KDF']) {
    await laptop.goto(`${server.url}#/restore`);
    await laptop.reload();
    await laptop.locator('#restore-file').setInputFiles({ name: 'backup.txt', mimeType: 'text/plain', buffer: Buffer.from(damage(backup, key)) });
    await laptop.locator('#restore-passphrase').fill(PASS);
    await laptop.getByTestId('restore-start').click();
    const said = await laptop.locator('.error-summary').innerText();
    assert.match(said, /changed or damaged/, `backup ${key}: ${said}`);
    assert.doesNotMatch(said, /passphrase does not open/, key);
  }
  await done();
});

test('a 100 MB file offered as a backup is refused before it is read', async () => {
  const ctx = await browser.newContext(LAPTOP);
  const page = await newPage(ctx, { role: 'key-worker', name: 'Sam Patel' });
  await page.goto(`${server.url}#/restore`);
  await page.getByRole('heading', { name: 'Restore from a backup' }).waitFor();
  // Every read of a file's bytes, and how many bytes it was asked for.
  await page.evaluate(() => {
    window.__reads = [];
    for (const name of ['text', 'arrayBuffer']) {
      const orig = Blob.prototype[name];
      Blob.prototype[name] = function () { window.__reads.push(this.size); return orig.call(this); };
    }
  });
  // A file the page never needs to read whole: no backup's first lines.
  const big = join(mkdtempSync(join(tmpdir(), 'csp-big-')), 'backup.txt');
  writeFileSync(big, Buffer.alloc(100 * 1024 * 1024, 'A'));
  await page.locator('#restore-file').setInputFiles(big);
  await page.locator('#restore-passphrase').fill(PASS);
  await page.getByTestId('restore-start').click();
  await page.locator('.error-summary').filter({ hasText: 'This is not a backup' }).waitFor();
  const reads = await page.evaluate(() => window.__reads);
  assert.ok(reads.length > 0, 'the file was looked at');
  assert.deepEqual(reads.filter((n) => n > 1024 * 1024), [], 'only its first bytes were read');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
