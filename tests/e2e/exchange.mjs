// Passing a plan between two devices as a share file, as people do it:
// sending it, choosing it on "Add a copy you were sent" and adding it.
// Shared by the tests that send a plan back and forth.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startPlan, saved, newPage, PHONE, LAPTOP } from './harness.mjs';

/// Go through "Check what you are sending" and download the file; returns its text.
export async function confirmAndDownload(page) {
  await page.getByTestId('confirm-share').click();
  await page.getByRole('heading', { name: 'Your share file is ready' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-share').click()]);
  assert.match(download.suggestedFilename(), /^carer-support-plan-.*\.txt$/);
  return readFile(await download.path(), 'utf8');
}

/// Send the open plan's sections unlocked from the app at `base` (all chosen
/// already for a worker; a carer ticks `sections` by name, or every section,
/// for her key worker) and return the file's text.
export async function sendUnlocked(page, base, id, { carer, sections }) {
  await page.goto(`${base}#/plan/${id}/share`);
  if (carer) {
    await page.getByRole('heading', { name: 'What would you like to share?' }).waitFor();
    if (sections) for (const name of sections) await page.getByLabel(name, { exact: true }).check();
    else for (const box of await page.locator('input[name="share-sections"]').all()) await box.check();
    await page.getByLabel('My key worker').check();
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.getByLabel('Send it without a passphrase').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  return confirmAndDownload(page);
}

/// On the page for adding a copy: choose a file holding `text` (a string or
/// a Buffer) and press Continue.
export async function chooseFile(page, text, name = 'plan.txt') {
  await page.locator('#import-file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.isBuffer(text) ? text : Buffer.from(text) });
  await page.getByTestId('import-continue').click();
}

/// On the page for adding a copy: add the file's `text`, unlocked with
/// `passphrase` if it is locked, through to "What changed since you last looked".
export async function addCopy(page, text, passphrase) {
  await chooseFile(page, text);
  await page.getByTestId('import-header').waitFor();
  if (passphrase) await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByTestId('import-add').click();
  await page.getByRole('heading', { name: 'What changed since you last looked' }).waitFor();
}

/// On the carer's phone: share the plan's `section` (its task-list name)
/// with her key worker, locked with `passphrase`, up to "Check what you are
/// sending".
export async function toLockedCheck(phone, base, id, section, passphrase) {
  await phone.goto(`${base}#/plan/${id}/share`);
  await phone.getByRole('heading', { name: 'What would you like to share?' }).waitFor();
  await phone.getByLabel(section, { exact: true }).check();
  await phone.getByLabel('My key worker').check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByRole('heading', { name: 'Lock the file with a passphrase' }).waitFor();
  await phone.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByRole('heading', { name: 'Check what you are sending' }).waitFor();
}

/// On the page for adding a locked copy, its header read: a wrong
/// passphrase is refused as one, then `passphrase` adds it.
export async function addWithWrongThenRightPassphrase(page, passphrase) {
  await page.getByLabel('Passphrase', { exact: true }).fill('wrong passphrase here');
  await page.getByTestId('import-add').click();
  await page.getByTestId('problem').filter({ hasText: 'That passphrase does not open this file' }).waitFor();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByTestId('import-add').click();
  await page.getByRole('heading', { name: 'What changed since you last looked' }).waitFor();
}

/// Add a file's text at `url` (the import page), then mark what changed as seen.
export async function addFile(page, url, text) {
  await page.goto(url);
  await addCopy(page, text);
  await page.getByTestId('mark-seen').click();
  await page.getByTestId('progress').waitFor();
}

/// On a carer's device: a new plan in Scotland for Ann Smith, with her
/// words about her finances (rated `rating` if given). Returns its id.
export async function startAnnsPlan(phone, base, rating) {
  const id = await startPlan(phone, base, { where: 'Scotland', name: 'Ann Smith' });
  await phone.goto(`${base}#/plan/${id}/area/finances`);
  await phone.locator('#wellbeing-finances-own-words').fill('The heating bills worry me.');
  if (rating) await phone.getByLabel(rating).check();
  return id;
}

/// Ann's phone and her key worker Sam Patel's laptop, each its own device
/// (browser context, downloads allowed), with Ann's plan (`startAnnsPlan`)
/// sent to him as a file and added there. `noEngineOnLaptop`: once the file
/// is added (only an engine adds a copy), his laptop's page is opened again
/// and its engine module does not arrive until `engineArrives()` is called.
export async function annSharedWithHerKeyWorker(browser, base, { noEngineOnLaptop = false } = {}) {
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const laptopCtx = await browser.newContext({ ...LAPTOP, acceptDownloads: true, ...(noEngineOnLaptop ? { serviceWorkers: 'block' } : {}) });
  let engineArrives = true;
  if (noEngineOnLaptop) await laptopCtx.route(/\/engine(-[0-9a-f]+)?_bg\.wasm$/, (r) => (engineArrives ? r.continue() : r.abort()));
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const id = await startAnnsPlan(phone, base);
  await saved(phone);
  await addFile(laptop, `${base}#/import`, await sendUnlocked(phone, base, id, { carer: true }));
  if (noEngineOnLaptop) {
    engineArrives = false;
    await laptop.reload();
  }
  return { phoneCtx, laptopCtx, phone, laptop, id, engineArrives: () => { engineArrives = true; } };
}

/// On the carer's agree page: "Yes, I agree with my plan", sent.
export async function agreeWithPlan(phone) {
  await phone.getByLabel('Yes, I agree with my plan').check();
  await phone.getByTestId('send-agreement').click();
  await phone.getByTestId('agree-done').waitFor();
}

/// On the worker's laptop, the carer has not agreed: signing is refused, so
/// the worker changes the finances rating to Moderate and marks the plan
/// ready for her to agree again.
export async function signRefusedThenReadyAgain(laptop, base, id) {
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('problem').filter({ hasText: 'has not agreed' }).waitFor();
  await laptop.goto(`${base}#/plan/${id}/area/finances`);
  await laptop.getByLabel('Moderate impact').check();
  await saved(laptop);
  await laptop.goto(`${base}#/plan/${id}/sign-off`);
  await laptop.getByTestId('mark-ready').click();
}

/// RFC 4180, as a spreadsheet reads it.
export function parseCsv(text) {
  const rows = []; let row = []; let cell = ''; let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/// The file a click downloads: its name and text.
export async function download(page, click) {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') };
}

/// "Back up everything on this device", from settings, with `pass` typed
/// twice: the file downloaded ({ name, text }).
export async function backUp(page, base, pass) {
  await page.goto(`${base}#/settings`);
  await page.getByTestId('go-backup').click();
  await page.locator('#backup-passphrase').fill(pass);
  await page.locator('#backup-passphrase-again').fill(pass);
  return download(page, () => page.getByTestId('backup-start').click());
}

/// Restore from a backup file on the page already open there; waits until
/// the button is ready again (done, or refused).
export async function restoreBackup(page, name, text, pass) {
  await page.locator('#restore-file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.locator('#restore-passphrase').fill(pass);
  await page.getByTestId('restore-start').click();
  await page.getByTestId('restore-start').filter({ hasText: /^Restore$/ }).waitFor();
}
