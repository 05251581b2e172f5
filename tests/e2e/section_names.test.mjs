// Tried as a new user would: every screen names each section the same way,
// and every section a carer can share is on their task list. The carer (a
// phone) fills in two sections and shares everything; the key worker (a
// laptop) adds the file. The share screen, the task list, the history and
// the worker's plan page are read as a person reads them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, PHONE, LAPTOP, startPlan } from './harness.mjs';
import { confirmAndDownload, addCopy } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/// The section names on a plan's task list, as shown (its other links,
/// such as "Share my plan", are not sections).
async function taskNames(page) {
  await page.getByTestId('progress').waitFor();
  return page.locator('main [data-section] .task-link, main [data-section] .task-name').allInnerTexts();
}

test('the share screen, task list, history and worker plan page name every section the same way', async () => {
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const laptopCtx = await browser.newContext(LAPTOP);
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });

  const id = await startPlan(phone, server.url, { where: 'England' });
  const onTasks = await taskNames(phone);

  await phone.getByRole('link', { name: 'Plans for the future', exact: true }).click();
  await phone.getByLabel('What are your hopes for the future?').pressSequentially('A week away', { delay: 20 });
  await saved(phone);
  await phone.getByRole('link', { name: 'Save and go to your plan' }).click();
  await phone.getByTestId('progress').waitFor();

  // The share screen offers exactly the task list's sections, in its words.
  await phone.getByTestId('share-link').click();
  await phone.getByRole('heading', { name: 'What would you like to share?' }).waitFor();
  const offered = await phone.locator('input[name="share-sections"] + label').allInnerTexts();
  assert.ok(offered.length > 5, `sections offered: ${offered}`);
  for (const name of offered) {
    assert.ok(onTasks.includes(name), `"${name}" is offered for sharing but is not on the task list (${onTasks.join(', ')})`);
  }
  assert.equal(new Set(offered).size, offered.length, 'no section is offered twice');
  assert.ok(!offered.includes('Needs and other actions'));

  // History speaks of the section by its title.
  await phone.goto(phone.url().replace(/\/share$/, '/history'));
  const history = await phone.getByTestId('history').innerText();
  assert.match(history, /Updated Plans for the future/);
  assert.doesNotMatch(history, /Updated Future planning/);

  // Share everything, unlocked, with the key worker.
  await phone.goBack().catch(() => {});
  await phone.goto(`${server.url}#/plan/${id}/share`);
  await phone.getByRole('heading', { name: 'What would you like to share?' }).waitFor();
  for (const name of offered) await phone.getByLabel(name, { exact: true }).check();
  await phone.getByLabel('My key worker').check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByLabel('Send it without a passphrase').check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByRole('heading', { name: 'Check what you are sending' }).waitFor();
  const sending = await phone.getByTestId('check-sending').innerText();
  for (const name of offered) assert.match(sending, new RegExp(name.replace(/[()]/g, '\\$&')));
  const file = await confirmAndDownload(phone);

  // The worker's plan page lists the same sections by the same names.
  await laptop.goto(server.url);
  await laptop.getByTestId('add-copy').click();
  await addCopy(laptop, file);
  const changed = await laptop.getByTestId('changes').innerText();
  assert.match(changed, /Plans for the future/);
  await laptop.getByTestId('mark-seen').click();
  // ... in the worker's words where the carer's say "you" (a key worker
  // reads "About the carer", not "About you").
  const inWorkersWords = {
    'About you': 'About the carer',
    'The people you care for': 'The people the carer cares for',
    'Your caring role': "The carer's caring role",
  };
  const workerTasks = await taskNames(laptop);
  assert.deepEqual([...workerTasks].sort(), onTasks.map((n) => inWorkersWords[n] ?? n).sort());
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});
