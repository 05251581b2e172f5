// Passing a plan between two devices as an unlocked share file, as people
// do it: shared by the tests that send a plan back and forth.
import { readFile } from 'node:fs/promises';

/// Send the open plan's sections unlocked from the app at `base` (all chosen
/// already for a worker; a carer ticks every section for her key worker)
/// and return the file's text.
export async function sendUnlocked(page, base, id, { carer }) {
  await page.goto(`${base}#/plan/${id}/share`);
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

/// Add a file's text at `url` (the import page), then mark what changed as seen.
export async function addFile(page, url, text) {
  await page.goto(url);
  await page.locator('#import-file').setInputFiles({ name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.getByTestId('import-continue').click();
  await page.getByTestId('import-add').click();
  await page.getByRole('heading', { name: 'What changed since you last looked' }).waitFor();
  await page.getByTestId('mark-seen').click();
  await page.getByTestId('progress').waitFor();
}

/// On a carer's device: a new plan in Scotland for Ann Smith, with her
/// words about her finances (rated `rating` if given). Returns its id.
export async function startAnnsPlan(phone, base, rating) {
  await phone.goto(base);
  await phone.getByRole('button', { name: 'Start a new plan' }).click();
  await phone.getByLabel('Scotland').check();
  const id = phone.url().match(/plan\/([0-9a-f]{32})/)[1];
  await phone.goto(`${base}#/plan/${id}/about-you`);
  await phone.getByLabel('Your full name').fill('Ann Smith');
  await phone.goto(`${base}#/plan/${id}/area/finances`);
  await phone.locator('#wellbeing-finances-own-words').fill('The heating bills worry me.');
  if (rating) await phone.getByLabel(rating).check();
  return id;
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
