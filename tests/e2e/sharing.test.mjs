// Sharing end to end, in two separate browser contexts: the carer's phone
// (390×844) and the key worker's laptop (1280×800). The carer shares five of
// seven areas with a passphrase; the worker adds the file, rates, adds an
// action, signs off and sends it back; meanwhile the carer edits a shared
// area; the carer adds the worker's file. Both edits are there, the
// same-answer conflict is shown, and the unshared areas never reach the
// worker's storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, dumpStorage, PHONE, LAPTOP, startPlan } from './harness.mjs';
import { confirmAndDownload, chooseFile, addCopy, addWithWrongThenRightPassphrase } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PASS = 'kettle garden Tuesday';
const MARKER = 'QX-UNSHARED-7731';
const AREAS = ['health-wellbeing', 'relationships', 'living-environment', 'employment-training', 'finances', 'life-balance', 'future-planning'];
const UNSHARED = ['relationships', 'finances'];

async function goPage(page, id, path, heading) {
  await page.goto(`${server.url}#/plan/${id}${path}`);
  if (heading) await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

test('carer shares five of seven areas; worker rates, acts, signs and sends back; both edits survive', async () => {
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const laptopCtx = await browser.newContext({ ...LAPTOP, acceptDownloads: true });
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Jones' });

  // --- The carer fills in the plan.
  const id = await startPlan(phone, server.url, { name: 'Ann Smith' });
  for (const area of AREAS) {
    await goPage(phone, id, `/area/${area}`);
    const words = UNSHARED.includes(area) ? `${MARKER} private words about ${area}` : `My words about ${area}.`;
    await phone.locator(`#wellbeing-${area}-own-words`).fill(words);
  }
  await goPage(phone, id, '/caring-role');
  await phone.getByLabel('How long have you been caring?').fill('three years');
  await phone.getByLabel('About how many hours a week do you spend caring?').fill('70');
  await phone.getByRole('group', { name: 'Do you care for them at night?' }).getByLabel('Sometimes').check();
  await goPage(phone, id, '/caring-role/days');
  await phone.getByRole('group', { name: 'Are you able to go on caring?' }).getByLabel('Yes, with more help').check();
  await phone.getByRole('group', { name: 'Is the person you care for terminally ill?' }).getByLabel('No').check();
  await saved(phone);

  // --- Share: five areas, About you and the caring role, with the key worker.
  await goPage(phone, id, '/share', 'What would you like to share?');
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByTestId('problem').filter({ hasText: 'Choose at least one section' }).waitFor();
  for (const label of ['About you', 'Your caring role', 'Health and wellbeing', 'Living environment', 'Employment and training', 'Life balance', 'Future planning']) {
    await phone.getByLabel(label, { exact: true }).check();
  }
  await phone.getByLabel('My key worker').check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByRole('heading', { name: 'Lock the file with a passphrase' }).waitFor();
  await phone.getByLabel('Passphrase', { exact: true }).fill('short');
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByTestId('problem').filter({ hasText: 'at least 8 characters' }).waitFor();
  await phone.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByRole('heading', { name: 'Check what you are sending' }).waitFor();
  const keeping = await phone.getByTestId('check-keeping').innerText();
  assert.match(keeping, /Relationships/);
  assert.match(keeping, /Finances/);
  assert.doesNotMatch(await phone.getByTestId('check-sending').innerText(), /Finances|Relationships/);
  const carerFile = await confirmAndDownload(phone);
  assert.match(carerFile, /-----BEGIN CARER SUPPORT PLAN-----/);
  assert.match(carerFile, /Encryption: argon2id-aes-256-gcm/);
  assert.doesNotMatch(carerFile, /area-finances|area-relationships/);

  // --- Meanwhile the carer edits a shared area and the caring role.
  await goPage(phone, id, '/area/health-wellbeing');
  await phone.locator('#wellbeing-health-wellbeing-own-words').fill('My words about health-wellbeing. My back is worse since Tuesday.');
  await goPage(phone, id, '/caring-role');
  await phone.getByLabel('How long have you been caring?').fill('about four years');
  await saved(phone);

  // --- The key worker adds the file: a new plan in the caseload.
  await laptop.goto(server.url);
  await laptop.getByRole('heading', { name: 'Your caseload' }).waitFor();
  await laptop.getByTestId('caseload-empty').waitFor();
  await laptop.getByTestId('add-copy').click();
  await chooseFile(laptop, carerFile);
  await laptop.getByTestId('import-header').filter({ hasText: 'From Ann Smith (carer)' }).waitFor({ timeout: 5000 }).catch(async (e) => { console.log('MAIN:', await laptop.locator('main').innerText(), laptop.errors); throw e; });
  await addWithWrongThenRightPassphrase(laptop, PASS);
  await laptop.getByTestId('changes').filter({ hasText: 'Health and wellbeing' }).waitFor();
  // A brand-new copy is new, not "changed by the carer" section by section.
  await laptop.getByTestId('first-copy').filter({ hasText: 'first copy of this plan on this device, from Ann Smith (carer)' }).waitFor();
  assert.doesNotMatch(await laptop.locator('main').innerText(), /changed by/i);
  await laptop.getByTestId('mark-seen').click();
  await laptop.getByRole('heading', { name: "Ann Smith's support plan" }).waitFor();
  for (const name of ['Relationships', 'Finances']) {
    await laptop.locator('.task--absent').filter({ hasText: name }).filter({ hasText: 'Not shared with you' }).waitFor();
  }

  // Rate, note, add an action.
  await goPage(laptop, id, '/area/health-wellbeing', 'Health and wellbeing');
  await laptop.getByTestId('carer-view').filter({ hasText: 'My words about health-wellbeing.' }).waitFor();
  await laptop.getByLabel('Substantial impact').check();
  await laptop.getByLabel("Key worker's notes").fill('Back pain affecting lifting.');
  await laptop.getByRole('link', { name: 'Continue' }).click();
  await laptop.getByRole('button', { name: 'Add an action for this area' }).click();
  await laptop.getByLabel('What will be done?').fill('Refer Ann for a moving and handling assessment');
  await goPage(laptop, id, '/caring-role');
  await laptop.getByLabel('How long have you been caring?').fill('since 2021');
  await goPage(laptop, id, '/notes', 'Notes');
  await laptop.getByLabel('Your private notes').fill(`${MARKER}-worker-private`);
  await laptop.getByLabel('Notes for the carer').fill('Call me on Thursdays.');
  await saved(laptop);

  // Sign off: agreement needed.
  await goPage(laptop, id, '/sign-off', 'Sign off the plan');
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('problem').filter({ hasText: 'The carer has not agreed to this plan yet' }).waitFor();
  // Ann is with the worker: she agrees on the worker's laptop, recorded as
  // such (the round trip to her own phone is in signoff_order.test.mjs).
  await laptop.getByText('Is Ann Smith with you now?').click();
  await laptop.getByTestId('agree-in-meeting').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'agreed on' }).filter({ hasText: 'in a meeting with you' }).waitFor();
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
  await laptop.getByTestId('notice').filter({ hasText: 'Next review' }).waitFor();

  // Send it back.
  await goPage(laptop, id, '/share', 'Lock the file with a passphrase');
  await laptop.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await laptop.getByRole('button', { name: 'Continue' }).click();
  await laptop.getByRole('heading', { name: 'Check what you are sending' }).waitFor();
  const workerFile = await confirmAndDownload(laptop);
  assert.match(workerFile, /From: Sam Jones \(key worker\)/);
  await saved(laptop);

  // The caseload lists the plan with its review date and highest impact.
  await laptop.goto(server.url);
  const row = laptop.getByTestId('caseload').getByRole('row').filter({ hasText: 'Ann Smith' });
  await row.waitFor();
  assert.doesNotMatch(await row.innerText(), /Not set/);

  // The unshared areas never reached the worker's device.
  const stored = await dumpStorage(laptop);
  const bytes = Buffer.concat(stored.chunks.map(([, v]) => Buffer.from(v)));
  assert.ok(bytes.length > 0);
  assert.equal(bytes.includes(Buffer.from('area-finances')), false);
  assert.equal(bytes.includes(Buffer.from('area-relationships')), false);
  assert.equal(bytes.includes(Buffer.from(MARKER + ' private')), false);
  const local = await laptop.evaluate(() => JSON.stringify(localStorage));
  assert.doesNotMatch(local, new RegExp(`${MARKER} private`));

  // --- The carer adds the worker's file.
  await goPage(phone, id, '/import', 'Add a copy you were sent');
  await addCopy(phone, workerFile, PASS);
  await phone.getByTestId('changes').filter({ hasText: 'Sam Jones (key worker)' }).waitFor();
  // Which answers changed, from what to what.
  const health = phone.getByTestId('changes').locator('li').filter({ hasText: 'Health and wellbeing' });
  const healthText = await health.innerText();
  assert.match(healthText, /Key worker's rating\s+Added: “Substantial impact”/);
  assert.match(healthText, /Key worker's notes\s+Added: “Back pain affecting lifting\.”/);
  await phone.getByTestId('conflicts-link').click();
  // A one-line answer is text now: both rewrites are offered side by side.
  const conflict = phone.getByTestId('text-conflict').filter({ hasText: /How long (have you been|you have been) caring/ });
  await conflict.waitFor();
  const text = await conflict.innerText();
  assert.match(text, /about four years/);
  assert.match(text, /since 2021/);
  assert.match(text, /Your version/);
  assert.doesNotMatch(text, /\(The carer\)/);
  await conflict.getByRole('button', { name: 'Keep their version' }).click();
  // After the choice, what was kept is said back.
  const settled = await phone.getByTestId('no-conflicts').innerText();
  assert.match(settled, /kept their version/);

  // Both edits are there.
  await goPage(phone, id, '/area/health-wellbeing');
  assert.equal(await phone.locator('#wellbeing-health-wellbeing-own-words').inputValue(), 'My words about health-wellbeing. My back is worse since Tuesday.');
  const view = await phone.getByTestId('worker-view').innerText();
  assert.match(view, /Substantial impact/);
  assert.match(view, /Back pain affecting lifting/);
  await goPage(phone, id, '/caring-role');
  assert.equal(await phone.getByLabel('How long have you been caring?').inputValue(), 'since 2021');
  await goPage(phone, id, '/actions');
  await phone.locator('.summary-key', { hasText: 'Refer Ann for a moving and handling assessment' }).waitFor();
  await goPage(phone, id, '/area/finances');
  assert.match(await phone.locator('#wellbeing-finances-own-words').inputValue(), new RegExp(MARKER));
  await goPage(phone, id, '');
  await phone.getByTestId('notes-for-carer').filter({ hasText: 'Call me on Thursdays.' }).waitFor();
  // The carer's later words were not in the signed version: a new draft.
  await phone.getByTestId('sign-status').filter({ hasText: 'Changed since it was signed off' }).waitFor();
  // The signed version is kept as it was signed: the worker's rating, the
  // carer's words as they were then, not the later edit.
  await phone.getByRole('link', { name: 'view the signed version' }).click();
  await phone.getByTestId('signed-by').filter({ hasText: 'signed by Sam Jones' }).waitFor();
  const signed = await phone.locator('main').innerText();
  assert.match(signed, /Substantial impact/);
  assert.match(signed, /My words about health-wellbeing\./);
  assert.doesNotMatch(signed, /My back is worse/);
  assert.doesNotMatch(signed, new RegExp(MARKER), 'unshared areas were never signed');
  // Every answer that was in the plan when it was signed, in the words of
  // "Check your answers": choices, numbers and actions too.
  assert.match(signed, /Hours a week\s+70 hours/);
  assert.match(signed, /Care at night\s+Sometimes/);
  assert.match(signed, /Able to go on caring\s+Yes, with more help/);
  assert.match(signed, /Terminally ill\s+No/);
  assert.match(signed, /Refer Ann for a moving and handling assessment — nobody named, Not started/);
  // The worker's private notes never came back.
  const phoneStored = await dumpStorage(phone);
  const phoneBytes = Buffer.concat(phoneStored.chunks.map(([, v]) => Buffer.from(v)));
  assert.equal(phoneBytes.includes(Buffer.from('worker-private')), false);
  await saved(phone);

  // The history tells the story.
  await goPage(phone, id, '/history', 'History of this plan');
  const history = await phone.getByTestId('history').innerText();
  assert.match(history, /Shared 7 sections with your key worker/);
  assert.match(history, /Signed off the plan/);
  assert.match(history, /Agreed with the plan, in a meeting with the key worker/);
  assert.match(history, /Added a copy from Sam Jones \(key worker\)/);

  // Adding the same file again changes nothing.
  await goPage(phone, id, '/import', 'Add a copy you were sent');
  await chooseFile(phone, workerFile);
  await phone.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await phone.getByTestId('import-add').click();
  await phone.getByTestId('import-done').filter({ hasText: 'nothing new' }).waitFor();

  assert.deepEqual(phone.errors.map((e) => e.slice(0, 2000)), [], 'phone');
  assert.deepEqual(laptop.errors.map((e) => e.slice(0, 2000)), [], 'laptop');
  await phoneCtx.close();
  await laptopCtx.close();
});
