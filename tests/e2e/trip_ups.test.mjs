// What a carer and a key worker tripped over when they tried the app, each
// written from the person's side: what they type, at human speed, and what
// they see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, PHONE, startPlan } from './harness.mjs';
import { sendUnlocked, addCopy } from './exchange.mjs';
import { axe } from './journey.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/// Type as a person does: capitals with a real Shift press around the key.
async function typeLikeAPerson(page, text) {
  for (const ch of text) {
    if (/[A-Z]/.test(ch)) {
      await page.keyboard.down('Shift');
      await page.keyboard.press(`Key${ch}`);
      await page.keyboard.up('Shift');
    } else {
      await page.keyboard.type(ch);
    }
    await page.waitForTimeout(15);
  }
}

test('hours a week keep the words typed; the message waits until the person presses Continue', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { at: '/caring-role' });
  const hours = page.getByLabel('About how many hours a week do you spend caring?');
  await hours.click();
  await page.keyboard.type('a');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#caring-role-hours-error').count(), 0, 'no message from the first letter');
  await page.keyboard.type('bout 80', { delay: 40 });
  await page.keyboard.press('Tab');
  await saved(page);
  assert.equal(await page.locator('#caring-role-hours-error').count(), 0, '"about 80" is a fine answer');

  await hours.fill('');
  await hours.click();
  await page.keyboard.type('24/7', { delay: 40 });
  await page.keyboard.press('Tab');
  // Not on leaving the field, which moved Continue under a finger: on Continue.
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#caring-role-hours-error').count(), 0);
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.locator('#caring-role-hours-error').filter({ hasText: 'Your words are kept' }).waitFor();
  await saved(page);
  assert.equal(await hours.inputValue(), '24/7');
  await page.reload();
  assert.equal(await page.getByLabel('About how many hours a week do you spend caring?').inputValue(), '24/7');
  await page.goto(`${server.url}#/plan/${id}/summary`);
  const summary = await page.locator('main').innerText();
  assert.match(summary, /Hours a week\s+24\/7 \(hours not given as a number\)/);
  assert.doesNotMatch(summary, /24 hours/, 'nothing shown differs from what they typed');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('typing capitals never leaves the page; Shift three times in a row still does', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { at: '/about-you' });
  await page.getByLabel('Address', { exact: true }).click();
  await typeLikeAPerson(page, 'Flat 2, 12 Glebe St, Motherwell ML1 1AB');
  await saved(page);
  assert.match(page.url(), new RegExp(`plan/${id}/about-you`));
  assert.equal(await page.getByLabel('Address', { exact: true }).inputValue(), 'Flat 2, 12 Glebe St, Motherwell ML1 1AB');

  // The shortcut itself: three Shift presses with nothing in between.
  for (let i = 0; i < 3; i++) { await page.keyboard.press('Shift'); await page.waitForTimeout(100); }
  await page.waitForURL(/neutral\.html/);
  await ctx.close();
});

test('"Remove" asks first; "No" keeps the person, "Yes" removes them', async () => {
  const ctx = await browser.newContext({ ...PHONE, bypassCSP: true }); // axe-core is injected
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { at: '/people' });
  await page.getByRole('button', { name: 'Add a person' }).click();
  await page.getByLabel('Their name').fill('Bob');
  await saved(page);
  await page.getByRole('link', { name: 'Save and go back to the list' }).click();
  await page.getByRole('link', { name: 'Remove Bob' }).click();
  await page.getByRole('heading', { name: 'Are you sure you want to remove Bob from your plan?' }).waitFor();
  const found = [];
  await axe(page, 'remove a person', found);
  assert.deepEqual(found, []);
  await page.getByRole('link', { name: 'No, keep Bob' }).click();
  await page.getByTestId('people-list').filter({ hasText: 'Bob' }).waitFor();
  await page.getByRole('link', { name: 'Remove Bob' }).click();
  await page.getByRole('button', { name: 'Yes, remove Bob' }).click();
  await page.getByRole('heading', { name: 'Who do you care for?' }).waitFor();
  assert.equal(await page.getByTestId('people-list').count(), 0);
  await page.goto(`${server.url}#/plan/${id}/history`);
  assert.match(await page.getByTestId('history').innerText(), /Removed a person you care for/);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the key worker finds a carer by full or preferred name, reads about them in the worker\'s words, and signs with the full name', async () => {
  const { LAPTOP } = await import('./harness.mjs');
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const laptopCtx = await browser.newContext(LAPTOP);
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const id = await startPlan(phone, server.url, { at: '/about-you' });
  await phone.getByLabel('Your full name').fill('Margaret Brown');
  await phone.getByLabel('What would you like to be called?').fill('Peggy');
  await saved(phone);
  const file = await sendUnlocked(phone, server.url, id, { carer: true, sections: ['About you'] });

  await laptop.goto(server.url);
  await laptop.getByTestId('add-copy').click();
  // One name for one action: the button and the page it opens.
  await laptop.getByRole('heading', { name: 'Add a plan you were sent' }).waitFor();
  await addCopy(laptop, file);
  await laptop.getByTestId('mark-seen').click();
  const progress = await laptop.getByTestId('progress').innerText();
  assert.match(progress, /^Peggy has finished \d+ of \d+ sections\.$/);
  const main = await laptop.locator('main').innerText();
  assert.match(main, /Where Peggy lives:/);
  assert.doesNotMatch(main, /Where you live|You have finished|Download my data|Check your answers/);
  await laptop.goto(`${server.url}#/plan/${id}/about-you`);
  await laptop.getByRole('link', { name: 'Back to the plan' }).waitFor();

  // The caseload shows both names and finds either, or the family name.
  await laptop.goto(server.url);
  const row = laptop.getByTestId('caseload').getByRole('row').filter({ hasText: 'Margaret Brown (Peggy)' });
  await row.waitFor();
  for (const q of ['Brown', 'Margaret', 'Peggy']) {
    await laptop.getByRole('searchbox').fill(q);
    await row.waitFor();
  }
  await laptop.getByRole('searchbox').fill('Smith');
  await row.waitFor({ state: 'detached' });

  // The signed record names her in full.
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  assert.equal(await laptop.getByLabel("Carer's name").inputValue(), 'Margaret Brown');
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});

test('"Where do you live?" starts with nothing chosen; Continue asks; "I\'m not sure" helps', async () => {
  const ctx = await browser.newContext({ ...PHONE, bypassCSP: true }); // axe-core is injected
  const page = await newPage(ctx);
  await startPlan(page, server.url);
  for (const radio of await page.getByRole('radio').all()) assert.equal(await radio.isChecked(), false);
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.getByTestId('problem').filter({ hasText: 'Choose where you live' }).waitFor();
  await page.getByRole('heading', { name: 'Where do you live?' }).waitFor();
  await page.getByLabel("I'm not sure").check();
  await page.getByTestId('where-help').filter({ hasText: 'council tax bill' }).waitFor();
  const found = [];
  await axe(page, 'where do you live, not sure', found);
  assert.deepEqual(found, []);
  await page.getByLabel('England').check();
  await saved(page);
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.getByTestId('progress').waitFor();
  assert.match(await page.locator('main').innerText(), /Where you live: England/);
  // Once chosen, the choice is shown when the person comes back.
  await page.getByRole('link', { name: /Change/ }).first().click();
  assert.equal(await page.getByLabel('England').isChecked(), true);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('with the same answer open in two tabs, a change from the other tab leaves the caret where it was', async () => {
  const ctx = await browser.newContext(PHONE);
  const a = await newPage(ctx);
  const id = await startPlan(a, server.url, { at: '/future' });
  const hopes = (p) => p.getByLabel('What are your hopes for the future?');
  await hopes(a).fill('Hello world');
  await saved(a);
  const b = await newPage(ctx);
  await b.goto(`${server.url}#/plan/${id}/future`);
  await hopes(b).waitFor();
  assert.equal(await hopes(b).inputValue(), 'Hello world');

  // In tab A the caret sits after "Hello".
  await hopes(a).click();
  await a.keyboard.press('Control+Home');
  for (let i = 0; i < 5; i++) await a.keyboard.press('ArrowRight');
  // Tab B adds words at the end.
  await hopes(b).click();
  await b.keyboard.press('Control+End');
  await b.keyboard.type(' today', { delay: 20 });
  await saved(b);
  await a.waitForFunction(() => document.querySelector('textarea').value === 'Hello world today');
  // The next letter in A lands where the person was typing.
  await a.keyboard.type(',', { delay: 20 });
  assert.equal(await hopes(a).inputValue(), 'Hello, world today');
  await ctx.close();
});

test('the history groups a sitting\'s edits of a section into one line and leaves bookkeeping out', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { at: '/about-you' });
  await page.getByLabel('Your full name').fill('Ann Smith');
  await page.getByLabel('Phone number').fill('01698 123456');
  await page.getByLabel('Email address').fill('ann@example.org');
  await page.goto(`${server.url}#/plan/${id}/about-you/more`);
  await page.getByLabel('Yes, I have finished it').check();
  await page.getByLabel('Your own health').fill('I sleep badly.');
  await saved(page);
  await page.goto(`${server.url}#/plan/${id}/history`);
  const history = await page.getByTestId('history').innerText();
  assert.equal(history.match(/Updated About you/g)?.length, 1, history);
  assert.doesNotMatch(history, /section progress/);
  await ctx.close();
});

test('on a slow phone, a box she taps as its page appears keeps her typing: the page does not take her to its heading', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  await page.goto(`${server.url}#/plan/${id}`);
  await page.getByRole('link', { name: 'Plans for the future', exact: true }).waitFor();
  // The phone draws its next frame late (busy, or a cheap one).
  await page.evaluate(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => setTimeout(() => raf(cb), 200);
  });
  const box = page.getByLabel('What are your hopes for the future?');
  await page.getByRole('link', { name: 'Plans for the future', exact: true }).click();
  await box.click();
  await typeLikeAPerson(page, 'A week away');
  assert.equal(await box.inputValue(), 'A week away');
  // Well after the late frame, she is still in the box.
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'future-planning-hopes', 'still in the box');
  await saved(page);
  await page.reload();
  await box.waitFor();
  assert.equal(await box.inputValue(), 'A week away');
  // Not tapping anything, she is taken to the new page's heading as before.
  await page.getByRole('link', { name: 'Save and go to your plan' }).click();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 5_000 });
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
