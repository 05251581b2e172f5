// The first visit on a slow connection: until the WebAssembly module has
// arrived, index.html's own page says what the app is, how much it
// downloads, and how far it has got, and "Exit this page" already works.
// On a device that has not been asked yet, the app's first question ("Who
// uses this device?") is already there in the HTML and can be answered; the
// app takes over what was chosen and typed, and saves it if "Save and
// continue" was pressed before it arrived.
// The e2e server holds back most of the module until the test lets it go.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, PHONE } from './harness.mjs';
import { axe } from './journey.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const bar = (page) => page.getByRole('progressbar', { name: 'Getting the app ready' });

test('before the module arrives, the page says what is happening and the app then takes its place', async () => {
  const server = await serve({ holdWasm: true });
  try {
    // axe-core is injected as a script of the page's own (the next test
    // keeps the CSP and checks it holds).
    const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB', bypassCSP: true });
    const page = await newPage(ctx);
    await page.goto(server.url, { waitUntil: 'commit' });

    await page.getByRole('heading', { level: 1, name: 'Carer support plan' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /share the parts you choose with your key worker/);
    assert.match(text, /The first visit downloads about [\d,]+\sKB, once\. After that the app works without the internet/);
    const kb = Number(text.match(/about ([\d,]+)\sKB/)[1].replace(/,/g, ''));
    assert.ok(kb >= 100 && kb < 5000, `a real size: ${kb} KB`);

    // The bar is fed by the bytes that have come: a quarter is let through.
    await bar(page).waitFor();
    await page.waitForFunction(() => {
      const b = document.getElementById('preload-progress');
      return b.value > 0 && b.value < b.max;
    });
    const [value, max] = await bar(page).evaluate((b) => [b.value, b.max]);
    assert.ok(value / max > 0.2 && value / max < 0.3, `about a quarter: ${value} of ${max}`);
    assert.match(await page.locator('#preload-amount').innerText(), /^2\d% ready$/);

    const found = [];
    await axe(page, 'waiting page', found);
    assert.deepEqual(found, []);

    // Let the rest through: the app takes over; the waiting page is gone.
    server.release();
    await page.getByRole('button', { name: 'Start a new plan' }).waitFor();
    assert.equal(await bar(page).count(), 0);
    assert.equal(await page.locator('main').count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Exit this page' }).count(), 1);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('"Exit this page" works while the module is still downloading', async () => {
  const server = await serve({ holdWasm: true });
  try {
    const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB' });
    await ctx.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await newPage(ctx);
    await page.goto(server.url, { waitUntil: 'commit' });
    await bar(page).waitFor();
    await page.waitForFunction(() => document.getElementById('preload-progress').value > 0);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'the waiting page keeps the CSP');
    const entries = await page.evaluate(() => history.length);
    await page.getByRole('link', { name: 'Exit this page' }).click();
    await page.waitForURL(/neutral\.html$/);
    await page.getByRole('heading', { name: 'Search' }).waitFor();
    assert.equal(await page.title(), 'Search');
    // Like the app's own button, it leaves nothing to go Back to.
    assert.equal(await page.evaluate(() => history.length), entries);
    await ctx.close();
  } finally {
    await server.close();
  }
});

// The first question, as index.html draws it and as the app does.
const question = (page) => page.getByRole('heading', { level: 1, name: 'Who uses this device?' });
const keyWorker = (page) => page.getByLabel('I am a key worker', { exact: true });
const carer = (page) => page.getByLabel('I am a carer', { exact: true });
const nameBox = (page) => page.getByLabel('Your name', { exact: true });
const saveButton = (page) => page.getByRole('button', { name: 'Save and continue' });
const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);

/// A phone that has never used the app, on its first page while only a
/// quarter of the module has come: index.html's own page, the app not yet
/// started.
async function firstVisitBeforeTheApp(server, options = {}) {
  const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB', ...options });
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await newPage(ctx, { role: null });
  await page.goto(server.url, { waitUntil: 'commit' });
  await question(page).waitFor();
  await page.waitForFunction(() => {
    const b = document.getElementById('preload-progress');
    return b && b.value > 0 && b.value < b.max;
  });
  // The app has not started: its page would have replaced this one.
  assert.equal(await page.locator('#preload').count(), 1);
  return { ctx, page };
}

const appStarted = (page) => page.locator('#preload').waitFor({ state: 'detached' });

test('on a first visit the first question can be answered before the module arrives, and the app keeps the answers', async () => {
  const server = await serve({ holdWasm: true });
  try {
    // bypassCSP only so that axe-core can be injected.
    const { ctx, page } = await firstVisitBeforeTheApp(server, { bypassCSP: true });
    await page.getByText('We ask once, so the app shows the right pages. You can change it later in settings.').waitFor();
    await page.getByRole('group', { name: 'Who uses this device?' }).waitFor();
    await page.getByText('I support carers and keep their plans on this device.').waitFor();
    await page.getByText('Shown to the other person on plans you share, and on sign-off. Carers can leave this blank.').waitFor();
    // The waiting page's progress is still shown, below the question.
    assert.ok(await bar(page).isVisible());
    const formBottom = await saveButton(page).evaluate((b) => b.getBoundingClientRect().bottom);
    const barTop = await bar(page).evaluate((b) => b.getBoundingClientRect().top);
    assert.ok(barTop > formBottom, 'the progress bar is below the question');
    // Big enough to tap: every control at least 44 by 44 pixels.
    for (const control of [carer(page), keyWorker(page), nameBox(page), saveButton(page)]) {
      const box = await control.boundingBox();
      assert.ok(box.width >= 44 && box.height >= 44, `44 px target: ${JSON.stringify(box)}`);
    }
    const found = [];
    await axe(page, 'first question before the app', found);
    assert.deepEqual(found, []);

    await keyWorker(page).tap();
    assert.ok(await keyWorker(page).isChecked());
    await nameBox(page).tap();
    await nameBox(page).pressSequentially('Sam Patel', { delay: 60 });
    assert.equal(await nameBox(page).inputValue(), 'Sam Patel');

    server.release();
    await appStarted(page);
    // The app's own screen, with the same choice and name, and the caret
    // still at the end of the name.
    await question(page).waitFor();
    assert.ok(await keyWorker(page).isChecked());
    assert.ok(!(await carer(page).isChecked()));
    assert.equal(await nameBox(page).inputValue(), 'Sam Patel');
    assert.deepEqual(await page.evaluate(() => [document.activeElement?.id, document.activeElement?.selectionStart]), ['my-name', 9]);
    await page.keyboard.type(' Jr');
    assert.equal(await nameBox(page).inputValue(), 'Sam Patel Jr');
    await saveButton(page).click();
    await page.getByRole('heading', { name: 'Your caseload' }).waitFor();
    assert.equal(await stored(page, 'csp.role'), '"key-worker"');
    assert.equal(await stored(page, 'csp.my-name'), '"Sam Patel Jr"');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('typing on while the app takes over: every key lands, in order, in the app\'s name box', async () => {
  const server = await serve({ holdWasm: true });
  try {
    const { ctx, page } = await firstVisitBeforeTheApp(server);
    await carer(page).tap();
    await nameBox(page).tap();
    await page.keyboard.type('Mary ', { delay: 40 });
    // The rest is typed (with the keyboard, wherever the focus is) while the
    // module arrives and the app replaces the page.
    const typing = page.keyboard.type('Elizabeth Jones-Okafor', { delay: 40 });
    server.release();
    await appStarted(page);
    await typing;
    assert.equal(await nameBox(page).inputValue(), 'Mary Elizabeth Jones-Okafor');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'my-name');
    assert.ok(await carer(page).isChecked());
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('"Save and continue" pressed before the module arrives is saved when the app starts, with nothing typed again', async () => {
  const server = await serve({ holdWasm: true });
  try {
    const { ctx, page } = await firstVisitBeforeTheApp(server);
    await carer(page).tap();
    await nameBox(page).tap();
    await nameBox(page).pressSequentially('Mary Jones', { delay: 60 });
    await saveButton(page).tap();
    // Said plainly while the app is still on its way; nothing is sent.
    await page.getByRole('status').filter({ hasText: 'Thank you. This will be saved as soon as the app is ready.' }).waitFor();
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await stored(page, 'csp.role'), null);

    server.release();
    await page.getByRole('button', { name: 'Start a new plan' }).waitFor();
    assert.equal(await stored(page, 'csp.role'), '"carer"');
    assert.equal(await stored(page, 'csp.my-name'), '"Mary Jones"');
    assert.equal(await question(page).count(), 0);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'the first question keeps the CSP');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('a key worker who pressed "Save and continue" with no name before the module arrived is asked for it by the app, choice kept', async () => {
  const server = await serve({ holdWasm: true });
  try {
    const { ctx, page } = await firstVisitBeforeTheApp(server);
    await keyWorker(page).tap();
    await saveButton(page).tap();
    server.release();
    await appStarted(page);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    assert.match(await summary.innerText(), /Enter your name\. Carers see it on the plans you share and sign\./);
    assert.ok(await keyWorker(page).isChecked());
    assert.equal(await stored(page, 'csp.role'), null);
    // Focus is on the summary, so it is read out and the next Tab is the form.
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
    await nameBox(page).fill('Sam Patel');
    await saveButton(page).click();
    await page.getByRole('heading', { name: 'Your caseload' }).waitFor();
    assert.equal(await stored(page, 'csp.role'), '"key-worker"');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('a name of more than 100 characters typed before the module arrived gets the app\'s message', async () => {
  const server = await serve({ holdWasm: true });
  try {
    const { ctx, page } = await firstVisitBeforeTheApp(server);
    await carer(page).tap();
    await nameBox(page).fill('A'.repeat(101));
    await nameBox(page).press('Enter');
    server.release();
    await appStarted(page);
    await page.getByRole('alert').filter({ hasText: 'Your name can be at most 100 characters.' }).waitFor();
    assert.ok(await carer(page).isChecked());
    assert.equal(await nameBox(page).inputValue(), 'A'.repeat(101));
    assert.equal(await stored(page, 'csp.role'), null);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('a returning person never sees the first question, only the waiting page', async () => {
  const server = await serve({ holdWasm: true });
  try {
    const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB' });
    // Before every frame is drawn (and when the document is parsed), note
    // whether the question is visible anywhere.
    await ctx.addInitScript(() => {
      window.__asked = [];
      const look = (when) => {
        for (const e of document.querySelectorAll('h1, legend, label')) {
          if (/Who uses this device\?|I am a key worker/.test(e.textContent) && e.checkVisibility()) window.__asked.push(`${when}: ${e.textContent}`);
        }
      };
      const frame = () => { look('frame'); requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
      document.addEventListener('DOMContentLoaded', () => look('parsed'));
    });
    const page = await newPage(ctx, { role: 'carer' });
    await page.goto(server.url, { waitUntil: 'domcontentloaded' });
    assert.ok(!(await question(page).isVisible()));
    await page.getByRole('heading', { level: 1, name: 'Carer support plan' }).waitFor();
    await page.waitForFunction(() => document.getElementById('preload-progress').value > 0);
    server.release();
    await page.getByRole('button', { name: 'Start a new plan' }).waitFor();
    assert.deepEqual(await page.evaluate(() => window.__asked), []);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('without JavaScript the first question is shown but sends nothing anywhere', async () => {
  const server = await serve({ holdWasm: true });
  try {
    const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB', javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(server.url, { waitUntil: 'domcontentloaded' });
    // (Playwright's text search skips <noscript>, so the paragraph is found by its text.)
    await page.locator('p', { hasText: 'This app needs JavaScript to run.' }).waitFor();
    await keyWorker(page).check();
    await nameBox(page).fill('Sam Patel');
    await saveButton(page).click();
    await page.waitForTimeout(300);
    assert.equal(page.url(), server.url);
    assert.ok(await question(page).isVisible());
    await ctx.close();
  } finally {
    await server.close();
  }
});
