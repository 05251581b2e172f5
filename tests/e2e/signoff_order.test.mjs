// Sign-off in the carer's order, on two devices: the
// key worker marks the plan ready and sends it; the carer sees what the
// worker added, clearly marked as the worker's, first disagrees, then
// agrees, on her own phone, and sends it back; only then can the worker
// sign. Each step is in the plan's history with who and when.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, PHONE, LAPTOP } from './harness.mjs';
import { axe } from './journey.mjs';
import { sendUnlocked as send, addFile, startAnnsPlan, signRefusedThenReadyAgain, agreeWithPlan, annSharedWithHerKeyWorker } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const sendUnlocked = (page, id, opts) => send(page, server.url, id, opts);

test('the carer agrees on her own phone before the key worker can sign', async () => {
  // axe-core is injected as a script: these contexts let it past the CSP.
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true, bypassCSP: true });
  const laptopCtx = await browser.newContext({ ...LAPTOP, acceptDownloads: true, bypassCSP: true });
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });

  const id = await startAnnsPlan(phone, server.url);
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
  await signRefusedThenReadyAgain(laptop, server.url, id);
  const again = await sendUnlocked(laptop, id, { carer: false });

  // Now she agrees, on her phone, and sends it back.
  await addFile(phone, `${server.url}#/plan/${id}/import`, again);
  await phone.getByTestId('agree-banner').getByRole('link').click();
  assert.match(await phone.getByTestId('worker-added').innerText(), /Moderate impact/);
  await agreeWithPlan(phone);
  const agreed = await sendUnlocked(phone, id, { carer: true });

  // Only now can the worker sign.
  await addFile(laptop, `${server.url}#/plan/${id}/import`, agreed);
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agreement').filter({ hasText: 'Ann Smith agreed on' }).waitFor();
  assert.doesNotMatch(await laptop.getByTestId('agreement').innerText(), /in a meeting/);
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
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

test('a plan changed after it was signed is signed again only once the carer has agreed again', async () => {
  const { phoneCtx, laptopCtx, phone, laptop, id } = await annSharedWithHerKeyWorker(browser, server.url);

  // Agreed in a meeting and signed.
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agree-in-meeting').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'in a meeting with you' }).waitFor();
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();

  // He changes his view afterwards, and tries to sign at once.
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);
  await laptop.getByLabel('Critical impact').check();
  await saved(laptop);
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agreement').filter({ hasText: 'Ann Smith agreed to the plan you signed on' }).waitFor();
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('problem').filter({ hasText: 'has not agreed' }).waitFor();

  // Ann reads it with him and agrees again: now he can sign.
  await laptop.getByTestId('agree-in-meeting').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'in a meeting with you' }).waitFor();
  await laptop.getByTestId('sign-off').click();
  await saved(laptop);
  await laptop.goto(`${server.url}#/plan/${id}/history`);
  const history = await laptop.getByTestId('history').innerText();
  assert.equal(history.split('Signed off the plan').length - 1, 2, 'both sign-offs are in the history');
  // Newest first: signed, agreed again, his change.
  assert.ok(history.indexOf('Signed off the plan') < history.indexOf('Agreed with the plan'));
  assert.ok(history.indexOf('Agreed with the plan') < history.indexOf("Added key worker's view"));
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});
