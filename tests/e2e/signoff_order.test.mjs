// Sign-off in the carer's order (issue #11, point 8), on two devices: the
// key worker marks the plan ready and sends it; the carer sees what the
// worker added, clearly marked as the worker's, first disagrees, then
// agrees, on her own phone, and sends it back; only then can the worker
// sign. Each step is in the plan's history with who and when.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, newPage, saved, PHONE, LAPTOP } from './harness.mjs';
import { axe } from './journey.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/// Send the open plan's sections unlocked (all chosen already for a worker)
/// and return the file's text.
async function sendUnlocked(page, id, { carer }) {
  await page.goto(`${server.url}#/plan/${id}/share`);
  if (carer) {
    await page.getByRole('heading', { name: 'What would you like to share?' }).waitFor();
    for (const box of await page.locator('input[name="share-sections"]').all()) await box.check();
    await page.getByLabel('My key worker').check();
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.getByLabel('Send it without a passphrase').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByTestId('confirm-share').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-share').click()]);
  return readFile(await download.path(), 'utf8');
}

async function addFile(page, url, text) {
  await page.goto(url);
  await page.locator('#import-file').setInputFiles({ name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.getByTestId('import-continue').click();
  await page.getByTestId('import-add').click();
  await page.getByRole('heading', { name: 'What changed since you last looked' }).waitFor();
  await page.getByTestId('mark-seen').click();
  await page.getByTestId('progress').waitFor();
}

test('the carer agrees on her own phone before the key worker can sign', async () => {
  // axe-core is injected as a script: these contexts let it past the CSP.
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true, bypassCSP: true });
  const laptopCtx = await browser.newContext({ ...LAPTOP, acceptDownloads: true, bypassCSP: true });
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });

  await phone.goto(server.url);
  await phone.getByRole('button', { name: 'Start a new plan' }).click();
  await phone.getByLabel('Scotland').check();
  const id = phone.url().match(/plan\/([0-9a-f]{32})/)[1];
  await phone.goto(`${server.url}#/plan/${id}/about-you`);
  await phone.getByLabel('Your full name').fill('Ann Smith');
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  await phone.locator('#wellbeing-finances-own-words').fill('The heating bills worry me.');
  await saved(phone);
  const first = await sendUnlocked(phone, id, { carer: true });

  // The worker adds a view, cannot sign yet, marks it ready and sends it.
  await addFile(laptop, `${server.url}#/import`, first);
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);
  await laptop.getByLabel('Substantial impact').check();
  await laptop.getByLabel("Key worker's notes").fill('Refer to the energy advice service.');
  await saved(laptop);
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('problem').filter({ hasText: 'has not agreed' }).waitFor();
  await laptop.getByTestId('mark-ready').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'Marked ready on' }).waitFor();
  const ready = await sendUnlocked(laptop, id, { carer: false });

  // The carer sees what the worker added, marked as the worker's, and first
  // says what she does not agree with.
  await addFile(phone, `${server.url}#/plan/${id}/import`, ready);
  await phone.getByTestId('agree-banner').getByRole('link').click();
  const found = [];
  await axe(phone, 'agree page', found);
  const added = await phone.getByTestId('worker-added').innerText();
  assert.match(added, /Finances: Key worker's rating\s+Substantial impact/);
  assert.match(added, /Finances: Key worker's notes\s+Refer to the energy advice service\./);
  await phone.getByTestId('send-agreement').click();
  await phone.getByTestId('problem').filter({ hasText: 'Choose whether you agree' }).waitFor();
  await phone.getByLabel('No, there is something I do not agree with').check();
  await phone.getByTestId('send-agreement').click();
  await phone.getByTestId('problem').filter({ hasText: 'Say what you do not agree with' }).waitFor();
  await phone.getByLabel('What do you not agree with?').fill('It is moderate, not substantial.');
  await phone.getByTestId('send-agreement').click();
  await phone.getByTestId('agree-done').waitFor();
  const disagreed = await sendUnlocked(phone, id, { carer: true });

  // The worker reads it, cannot sign, and asks again.
  await addFile(laptop, `${server.url}#/plan/${id}/import`, disagreed);
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agreement').filter({ hasText: 'It is moderate, not substantial.' }).waitFor();
  await axe(laptop, 'sign-off page, carer disagrees', found);
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('problem').filter({ hasText: 'has not agreed' }).waitFor();
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);
  await laptop.getByLabel('Moderate impact').check();
  await saved(laptop);
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('mark-ready').click();
  const again = await sendUnlocked(laptop, id, { carer: false });

  // Now she agrees, on her phone, and sends it back.
  await addFile(phone, `${server.url}#/plan/${id}/import`, again);
  await phone.getByTestId('agree-banner').getByRole('link').click();
  assert.match(await phone.getByTestId('worker-added').innerText(), /Moderate impact/);
  await phone.getByLabel('Yes, I agree with my plan').check();
  await phone.getByTestId('send-agreement').click();
  await phone.getByTestId('agree-done').waitFor();
  const agreed = await sendUnlocked(phone, id, { carer: true });

  // Only now can the worker sign.
  await addFile(laptop, `${server.url}#/plan/${id}/import`, agreed);
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agreement').filter({ hasText: 'Ann Smith agreed on' }).waitFor();
  assert.doesNotMatch(await laptop.getByTestId('agreement').innerText(), /in a meeting/);
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: 'Signed off' }).waitFor();
  assert.deepEqual(found, [], 'axe-core finds nothing on the new screens');

  await laptop.goto(`${server.url}#/plan/${id}/history`);
  const history = await laptop.getByTestId('history').innerText();
  const order = ['Marked the plan ready for the carer to agree', 'Said what they do not agree with', 'Agreed with the plan', 'Signed off the plan'];
  for (const line of order) assert.ok(history.includes(line), `history has "${line}"`);
  // Newest first: signed, then agreed (by Ann, on her phone), then said no.
  assert.ok(history.indexOf('Signed off the plan') < history.indexOf('Agreed with the plan'));
  assert.ok(history.indexOf('Agreed with the plan') < history.indexOf('Said what they do not agree with'));
  assert.match(history, /Ann Smith \(carer\): Agreed with the plan/);
  assert.match(history, /Sam Patel \(key worker\): Marked the plan ready for the carer to agree/);
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});
