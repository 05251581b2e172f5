// What a carer and a key worker tripped over when they tried the app
// (issue #11), each written from the person's side: what they type, at
// human speed, and what they see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, PHONE } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function newPlanAt(page, path) {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Start a new plan' }).click();
  await page.getByRole('heading', { name: 'Where do you live?' }).waitFor();
  const id = page.url().match(/plan\/([0-9a-f]{32})/)[1];
  await page.goto(`${server.url}#/plan/${id}${path}`);
  return id;
}

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

test('hours a week keep the words typed; the message waits until the person leaves the field', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await newPlanAt(page, '/caring-role');
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
  await page.locator('#caring-role-hours-error').filter({ hasText: 'Your words are kept' }).waitFor();
  await saved(page);
  assert.equal(await hours.inputValue(), '24/7');
  await page.reload();
  assert.equal(await page.getByLabel('About how many hours a week do you spend caring?').inputValue(), '24/7');
  await page.goto(`${server.url}#/plan/${id}/summary`);
  const summary = await page.locator('main').innerText();
  assert.match(summary, /Hours a week\s+24\/7/);
  assert.doesNotMatch(summary, /24 hours/, 'nothing shown differs from what they typed');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('typing capitals never leaves the page; Shift three times in a row still does', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  const id = await newPlanAt(page, '/about-you');
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
