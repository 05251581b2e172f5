// A returning person on a slow connection: before any WebAssembly has
// arrived, index.html's waiting page already lists their plans (a carer)
// or their caseload (a key worker), read by src/web/first-visit.js from
// the list entries the app keeps in IndexedDB, in the app's own words, with
// links that work: a link followed then is the page the app opens when it
// starts. The WebAssembly is held back by a Playwright route until the test
// lets it go (the service worker is blocked, so nothing comes from its
// cache).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, startPlan, PHONE, LAPTOP } from './harness.mjs';
import { axe } from './journey.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// A context whose WebAssembly requests wait while `held()` is true, and
/// whose pages note whether any WebAssembly was compiled (`__wasm`), each
/// frame whether plan links were on screen (`__links`), and whether "This
/// plan cannot be opened" was ever shown (`__failed`).
async function heldContext(options) {
  const ctx = await browser.newContext({ locale: 'en-GB', serviceWorkers: 'block', ...options });
  let open; let gate = Promise.resolve();
  const control = {
    hold() { gate = new Promise((ok) => { open = ok; }); },
    release() { open?.(); },
  };
  await ctx.route(/\.wasm$/, async (route) => { await gate; await route.continue(); });
  await ctx.addInitScript(() => {
    window.__wasm = 0;
    for (const k of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
      const f = WebAssembly[k];
      WebAssembly[k] = function (...a) { window.__wasm += 1; return f.apply(this, a); };
    }
    window.__links = [];
    window.__failed = false;
    const frame = () => {
      if (document.body) {
        window.__links.push(document.querySelectorAll('main a[href^="#/plan/"]').length);
        if (/cannot be opened/.test(document.body.textContent)) window.__failed = true;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  return { ctx, ...control };
}

/// Put list entries (JSON text, as the app stores them) straight into the
/// app's `plans` store, as on a device with a caseload.
const seed = (page, entries) => page.evaluate(async (list) => {
  const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
  const tx = db.transaction('plans', 'readwrite');
  for (const [key, value] of list) tx.objectStore('plans').put(value, key);
  await new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); });
  db.close();
}, entries);

const painted = (page) => page.locator('#preload-home');
const appStarted = (page) => page.locator('#preload').waitFor({ state: 'detached' });
const links = (scope) => scope.locator('a[href^="#/plan/"]').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));

test('a returning carer\'s plans are listed before the module arrives; a plan tapped then is the page the app opens', async () => {
  const server = await serve();
  const { ctx, hold, release } = await heldContext({ ...PHONE, bypassCSP: true });
  try {
    const page = await newPage(ctx, { role: 'carer' });
    const mary = await startPlan(page, server.url, { name: 'Mary Jones' });
    const ann = await startPlan(page, server.url, { name: 'Ann Lee' });

    hold();
    await page.goto(server.url, { waitUntil: 'commit' });
    await painted(page).waitFor();
    assert.equal(await page.evaluate(() => window.__wasm), 0, 'no WebAssembly has run');
    assert.equal(await page.locator('#preload').count(), 1);
    // The app's home, in its words: the newest plan first, each a link to it.
    await page.getByRole('heading', { level: 1, name: 'Your carer support plans' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, 'one page heading');
    assert.equal(await page.getByRole('list').count(), 1, 'one list');
    assert.deepEqual(await links(page.locator('main')), [['Ann Lee', `#/plan/${ann}`], ['Mary Jones', `#/plan/${mary}`]]);
    const cards = await page.locator('.plan-meta').allInnerTexts();
    for (const c of cards) assert.match(c, /^Draft\s+Last changed \d{1,2} [A-Z][a-z]+ 20\d\d$/);
    await page.getByRole('link', { name: 'Add a copy you were sent' }).waitFor();
    assert.ok(await page.getByRole('progressbar', { name: 'Getting the app ready' }).isVisible());
    const found = [];
    await axe(page, 'a carer\'s plans before the app', found);
    assert.deepEqual(found, []);

    // Tapped before the app: the address changes as the app's links do
    // (no new history entry) …
    const entries = await page.evaluate(() => history.length);
    await page.getByRole('link', { name: 'Mary Jones' }).tap();
    await page.waitForURL(new RegExp(`#/plan/${mary}$`));
    assert.equal(await page.evaluate(() => history.length), entries);
    assert.equal(await page.evaluate(() => window.__wasm), 0);
    // … and the app, when it arrives, opens that plan.
    release();
    await page.getByRole('heading', { level: 1, name: 'Mary Jones\'s support plan' }).waitFor();
    assert.equal(await page.locator('#preload').count(), 0);
    assert.equal(await page.evaluate(() => window.__failed), false, 'never "cannot be opened"');
    assert.deepEqual(page.errors, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('"Start a new plan" pressed on the list before the module arrives starts one when the app does', async () => {
  const server = await serve();
  const { ctx, hold, release } = await heldContext({ ...PHONE });
  try {
    const page = await newPage(ctx, { role: 'carer' });
    await startPlan(page, server.url, { name: 'Mary Jones' });
    hold();
    await page.goto(server.url, { waitUntil: 'commit' });
    await painted(page).waitFor();
    await page.getByRole('button', { name: 'Start a new plan' }).tap();
    await page.getByRole('status').filter({ hasText: 'Your new plan will be started as soon as the app is ready.' }).waitFor();
    release();
    await page.getByRole('heading', { name: 'Where do you live?' }).waitFor();
    await page.goto(server.url);
    await page.getByTestId('plan-list').waitFor();
    assert.equal(await page.locator('.plan-card').count(), 2);
    assert.deepEqual(page.errors, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/// A date `days` from today (the browser's and this machine's local date).
const fromToday = (days) => {
  const d = new Date(); d.setDate(d.getDate() + days);
  const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return iso;
};
const hex = (i) => i.toString(16).padStart(32, '0');

/// A caseload of 45 plans: review dates spread before and after today,
/// some never set, and a few entries that are damaged.
function caseload() {
  const first = ['Margaret', 'Yusuf', 'Aisha', 'Tom', 'Peggy', 'Kwame', 'Li', 'Sian', 'Dev'];
  const last = ['Brown', 'Mensah', 'Khan', 'Evans', 'Okafor'];
  const entries = [];
  for (let i = 0; i < 45; i++) {
    const s = {
      plan_id: hex(i + 1), name: first[i % 9], full_name: `${first[i % 9]} ${last[i % 5]}`, preferred_name: i % 4 === 0 ? first[(i + 1) % 9] : '',
      updated_at: 1795000000000 + i * 3600000, status: i % 3 ? 'draft' : 'signed-off',
      last_shared: i % 2 ? 1795000000000 - i * 86400000 : null,
      review_due: i % 6 === 5 ? null : fromToday((i * 7) % 90 - 20),
      highest_impact: i % 5 ? ['Finances', 'Critical'] : null, highest_rank: i % 5 ? 3 : null,
    };
    entries.push([s.plan_id, JSON.stringify(s)]);
  }
  // Damaged: not JSON, not an id, not text at all, a field of the wrong kind.
  entries.push([hex(900), '{"plan_id": "' + hex(900)]);
  entries.push([hex(901), JSON.stringify({ plan_id: '<b>x</b>', name: 'Bad', updated_at: 1, status: 'draft' })]);
  entries.push([hex(902), 42]);
  entries.push([hex(903), JSON.stringify({ plan_id: hex(903), name: 7, updated_at: 1, status: 'draft' })]);
  // A name that is markup is shown as text.
  entries.push([hex(904), JSON.stringify({ plan_id: hex(904), name: '<img src=x onerror=alert(1)>', updated_at: 2, status: 'draft', review_due: fromToday(-400) })]);
  return entries;
}

/// The caseload's words a person reads: heading, count, header and rows.
const caseloadText = (page) => page.locator('main').evaluate((m) => [
  [...m.querySelectorAll('h1')].find((h) => h.checkVisibility()).textContent,
  m.querySelector('[data-testid=caseload-count]').textContent,
  [...m.querySelectorAll('[data-testid=caseload] tr')].map((tr) => tr.textContent),
  m.querySelector('nav.pagination')?.innerText.includes('Page 1 of 3'),
]);

test('a returning key worker\'s caseload is listed before the module arrives, as the app lists it, and the app takes over without a gap', async () => {
  const server = await serve();
  const { ctx, hold, release } = await heldContext({ ...LAPTOP, bypassCSP: true });
  try {
    const page = await newPage(ctx, { role: 'key-worker', name: 'Sam Patel' });
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Your caseload' }).waitFor();
    await seed(page, caseload());
    // What the app itself shows for this caseload.
    await page.reload();
    await page.getByTestId('caseload-count').filter({ hasText: 'of 46 plans' }).waitFor();
    // The app's page, once the waiting page has handed over to it.
    await page.getByRole('heading', { name: 'Your caseload', level: 1 }).waitFor();
    const app = await caseloadText(page);

    hold();
    await page.reload({ waitUntil: 'commit' });
    await painted(page).waitFor();
    assert.equal(await page.evaluate(() => window.__wasm), 0, 'no WebAssembly has run');
    assert.deepEqual(await caseloadText(page), app, 'the same words, rows and order as the app');
    assert.equal(app[1], 'Showing 1 to 20 of 46 plans');
    assert.ok(app[3], 'the pages are counted');
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, 'one page heading');
    assert.equal(await page.getByRole('table').count(), 1, 'one table');
    // Markup stored as a name is text, and ran nothing.
    await page.getByRole('link', { name: '<img src=x onerror=alert(1)>' }).waitFor();
    assert.equal(await page.locator('main img').count(), 0);
    // The tools work once the app has started; shown, but not yet usable.
    assert.ok(await page.getByLabel('Search by carer\'s name').isDisabled());
    // As wide as the app's caseload.
    assert.ok(await page.locator('#preload .width.width--wide').first().isVisible());
    const found = [];
    await axe(page, 'a caseload before the app', found);
    assert.deepEqual(found, []);

    // The keyboard on a row's link when the app takes over: the focus
    // stays on the same link, and the list is never blank in between.
    const third = page.locator('[data-testid=caseload] tbody a').nth(2);
    const href = await third.getAttribute('href');
    await third.focus();
    const shownBefore = await page.evaluate(() => window.__links.length);
    release();
    await appStarted(page);
    await page.getByLabel('Search by carer\'s name').waitFor({ state: 'visible' });
    assert.ok(await page.getByLabel('Search by carer\'s name').isEnabled());
    assert.deepEqual(await caseloadText(page), app);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), href);
    const frames = await page.evaluate((n) => window.__links.slice(n), shownBefore);
    assert.ok(frames.every((n) => n === 20), `20 plans on screen in every frame: ${frames.join(' ')}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`${href}$`));
    assert.deepEqual(page.errors, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('a fresh device, a device with no list yet and a newer database are left with the waiting page, and the app starts', async () => {
  const server = await serve();
  try {
    // A device never used: the first question; nothing is made in storage.
    {
      const { ctx, hold, release } = await heldContext(PHONE);
      const page = await newPage(ctx, { role: null });
      hold();
      await page.goto(server.url, { waitUntil: 'commit' });
      await page.getByRole('heading', { level: 1, name: 'Who uses this device?' }).waitFor();
      await page.waitForLoadState('domcontentloaded');
      assert.equal(await painted(page).count(), 0);
      assert.deepEqual(await page.evaluate(() => indexedDB.databases()), []);
      release();
      await appStarted(page);
      await page.getByRole('heading', { level: 1, name: 'Who uses this device?' }).waitFor();
      assert.deepEqual(page.errors, []);
      await ctx.close();
    }
    // Who uses it is saved, but the app's storage is gone (cleared): the
    // script does not make the database; the app does, as always.
    {
      const { ctx, hold, release } = await heldContext(PHONE);
      const page = await newPage(ctx, { role: 'carer' });
      hold();
      await page.goto(server.url, { waitUntil: 'commit' });
      await page.getByRole('heading', { level: 1, name: 'Carer support plan' }).waitFor();
      await page.waitForLoadState('domcontentloaded');
      await page.waitForTimeout(300);
      assert.equal(await painted(page).count(), 0);
      const dbs = await page.evaluate(() => indexedDB.databases());
      assert.ok(dbs.every((d) => !d.version), `no database made: ${JSON.stringify(dbs)}`);
      release();
      await page.getByRole('button', { name: 'Start a new plan' }).waitFor();
      await startPlan(page, server.url, { here: true });
      assert.deepEqual(page.errors, []);
      await ctx.close();
    }
    // A database of a newer version than this app's: not read here.
    {
      const { ctx, hold } = await heldContext(PHONE);
      const page = await newPage(ctx, { role: 'key-worker', name: 'Sam Patel' });
      hold();
      await page.goto(server.url, { waitUntil: 'commit' });
      await page.waitForLoadState('domcontentloaded');
      await page.evaluate(() => new Promise((ok) => {
        const r = indexedDB.open('carer-support-plan', 7);
        r.onupgradeneeded = () => { r.result.createObjectStore('plans').put(JSON.stringify({ plan_id: 'a'.repeat(32), name: 'Future', updated_at: 1, status: 'draft' }), 'a'.repeat(32)); };
        r.onsuccess = () => { r.result.close(); ok(); };
      }));
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.getByRole('heading', { level: 1, name: 'Carer support plan' }).waitFor();
      await page.waitForTimeout(300);
      assert.equal(await painted(page).count(), 0);
      assert.equal(await page.getByText('Future').count(), 0);
      await ctx.close();
    }
  } finally {
    await server.close();
  }
});
