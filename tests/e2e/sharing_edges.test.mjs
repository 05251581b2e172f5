// Sharing's edges in Chromium: the first-run question, every kind of bad
// file (each with its own message, stored plans byte-for-byte unchanged),
// markup in a shared name shown as text, the three ways to send, "Download
// my data" opened by Automerge's JavaScript implementation, and axe-core on
// the new screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import * as Automerge from '@automerge/automerge';
import { serve, launch, newPage, saved, dumpStorage, PHONE, LAPTOP, startPlan } from './harness.mjs';
import { chooseFile } from './exchange.mjs';
import { axe } from './journey.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PASS = 'kettle garden Tuesday';

/// Share About you and Health from the plan on `page`; returns the file text.
async function shareFile(page, id, passphrase, violations) {
  await page.goto(`${server.url}#/plan/${id}`);
  await page.getByTestId('share-link').click();
  await page.getByRole('heading', { name: 'What would you like to share?' }).waitFor();
  await axe(page, 'share: choose', violations);
  await page.getByLabel('About you', { exact: true }).check();
  await page.getByLabel('Health and wellbeing', { exact: true }).check();
  await page.getByLabel('My key worker').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Lock the file with a passphrase' }).waitFor();
  await axe(page, 'share: lock', violations);
  if (passphrase) {
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  } else {
    await page.getByLabel('Send it without a passphrase').check();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Check what you are sending' }).waitFor();
  await axe(page, 'share: check', violations);
  await page.getByTestId('confirm-share').click();
  await page.getByRole('heading', { name: 'Your share file is ready' }).waitFor();
  await axe(page, 'share: send', violations);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-share').click()]);
  return readFile(await download.path(), 'utf8');
}

test('the app asks once who uses the device, and settings can change it', async () => {
  // axe-core is injected as a script by the test, which the app's CSP rightly blocks.
  const ctx = await browser.newContext({ ...LAPTOP, bypassCSP: true });
  const page = await newPage(ctx, { role: null });
  const violations = [];
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Who uses this device?' }).waitFor();
  // The question is in index.html too (first_visit.test.mjs checks that
  // one): axe runs on the app's own screen, once it has taken over.
  await page.getByTestId('first-restore').waitFor();
  await axe(page, 'who uses this device', violations);
  await page.getByLabel('I am a key worker').check();
  await page.getByTestId('save-role').click();
  await page.getByRole('alert').filter({ hasText: 'Enter your name' }).waitFor();
  await page.getByLabel('Your name').fill('Sam Jones');
  await page.getByTestId('save-role').click();
  await page.getByRole('heading', { name: 'Your caseload' }).waitFor();
  await axe(page, 'caseload (empty)', violations);
  await page.reload();
  await page.getByRole('heading', { name: 'Your caseload' }).waitFor();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Sam Jones');
  // Keeping the data: persistence, space used, the last copy kept elsewhere.
  await page.getByTestId('usage').filter({ hasText: /MB/ }).waitFor();
  await page.getByTestId('persistent').filter({ hasNotText: 'Checking' }).waitFor();
  await page.getByTestId('last-copy').filter({ hasText: 'not downloaded or shared a copy' }).waitFor();
  await page.getByTestId('copy-reminder').waitFor();
  await axe(page, 'settings', violations);
  await page.getByLabel('I am a carer').check();
  await page.getByTestId('save-role').click();
  await page.getByRole('heading', { name: 'Your carer support plans' }).waitFor();
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

/// A share file made outside the app, from the format in the README.
function plainShareFile(planId, body) {
  const head = [
    'Format: 1', `Plan: ${planId}`, 'From: Someone (carer)', 'Sent: 2026-11-23T10:00:00Z',
    'Sections: plan', 'Encryption: none',
  ].join('\n');
  const sum = createHash('sha256').update(head).update('\n').update(body).digest('hex');
  const b64 = Buffer.from(body).toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CARER SUPPORT PLAN-----\n${head}\nChecksum: ${sum}\n\n${b64}\n-----END CARER SUPPORT PLAN-----\n`;
}

function bundle(part, bytes) {
  const name = Buffer.from(part);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([Buffer.from('CSPB'), Buffer.from([name.length]), name, len, Buffer.from(bytes)]);
}

test('every bad file gets its own plain message and stored plans stay byte-for-byte the same', async () => {
  const ctx = await browser.newContext({ ...PHONE, bypassCSP: true });
  const page = await newPage(ctx);
  const violations = [];
  const id = await startPlan(page, server.url, { name: 'Ann Smith' });
  const good = await shareFile(page, id, PASS, null);
  const plain = await shareFile(page, id, null, null);
  // A second plan, on another phone, shared without a passphrase.
  const otherCtx = await browser.newContext(PHONE);
  const other = await newPage(otherCtx);
  const otherId = await startPlan(other, server.url, { name: 'Bob Brown' });
  const otherFile = await shareFile(other, otherId, null, null);
  await saved(page);
  const before = await dumpStorage(page);

  const wrongShape = Automerge.change(Automerge.init(), (d) => { d.shopping = 'milk'; });
  const cases = [
    ['not a share file', 'Dear Sam, see you on Tuesday.', null, 'This is not a shared plan'],
    ['truncated', good.slice(0, Math.floor(good.length / 2)), PASS, 'incomplete'],
    ['tampered', plain.replace(/^([A-Za-z0-9+/]{64})$/m, (l) => (l[0] === 'A' ? 'B' : 'A') + l.slice(1)), null, 'changed or damaged since it was made'],
    ['wrong passphrase', good, 'not the passphrase', 'That passphrase does not open this file'],
    ['newer format', good.replace('Format: 2', 'Format: 7'), PASS, 'newer version of the app'],
    ['wrong shape', plainShareFile(id, bundle('plan', Automerge.save(wrongShape))), null, 'not a carer support plan'],
    ['different plan', otherFile, null, 'copy of a different plan'],
  ];
  const openImport = async () => {
    await page.goto(`${server.url}#/plan/${id}`);
    await page.getByTestId('import-link').click();
    await page.getByRole('heading', { name: 'Add a copy you were sent' }).waitFor();
  };
  for (const [label, text, passphrase, message] of cases) {
    await openImport();
    await chooseFile(page, text);
    const header = page.getByTestId('import-header');
    const problem = page.getByTestId('problem');
    await Promise.race([header.waitFor(), problem.waitFor()]);
    if (await header.isVisible()) {
      if (passphrase) await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
      await page.getByTestId('import-add').click();
    }
    await problem.filter({ hasText: message }).waitFor({ timeout: 10_000 }).catch(async (e) => {
      throw new Error(`${label}: expected "${message}", page says: ${await page.locator('main').innerText()}`);
    });
    if (label === 'wrong passphrase') await axe(page, 'import with an error', violations);
  }
  // Over 20 MB: refused before it is read.
  await openImport();
  await chooseFile(page, Buffer.alloc(21 * 1024 * 1024, 65), 'big.txt');
  await page.getByTestId('problem').filter({ hasText: 'too big to be a shared plan' }).waitFor();
  // Pasted nonsense too.
  await page.getByLabel('Or paste the text of the file').fill('-----BEGIN CARER SUPPORT PLAN-----\nFormat: 1\n');
  await page.locator('#import-file').setInputFiles([]);
  await page.getByTestId('import-continue').click();
  await page.getByTestId('problem').filter({ hasText: 'incomplete' }).waitFor();

  const after = await dumpStorage(page);
  assert.deepEqual(after.chunks, before.chunks, 'every stored chunk is byte-for-byte the same');
  assert.deepEqual(after.plans, before.plans);
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await ctx.close();
  await otherCtx.close();
});

test('markup in a shared name is shown as text; sending by share sheet and clipboard; my data opens in Automerge JS', async () => {
  // bypassCSP lets axe-core in; it also means only the app's own rendering
  // (not the CSP) stands between the markup and the page.
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true, bypassCSP: true });
  await phoneCtx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const phone = await newPage(phoneCtx);
  // Headless Chromium on Linux has no share sheet: record what the app hands it.
  await phone.addInitScript(() => {
    window.__shared = [];
    navigator.canShare = (data) => Array.isArray(data?.files) && data.files.every((f) => f.type === 'text/plain' && f.name.endsWith('.txt'));
    navigator.share = async (data) => { window.__shared.push({ name: data.files[0].name, type: data.files[0].type, text: await data.files[0].text() }); };
  });
  const violations = [];
  const hostile = '<img src=x onerror="window.__pwned=1">Ann</script><b>';
  const id = await startPlan(phone, server.url, { name: hostile });
  await phone.goto(`${server.url}#/plan/${id}/area/health-wellbeing`);
  await phone.locator('#wellbeing-health-wellbeing-own-words').fill('<script>window.__pwned=2</script> tired');
  await saved(phone);
  const file = await shareFile(phone, id, null, violations);

  await phone.getByTestId('share-sheet').click();
  await phone.getByTestId('sent').filter({ hasText: 'Shared' }).waitFor();
  const shared = await phone.evaluate(() => window.__shared);
  assert.equal(shared.length, 1);
  assert.equal(shared[0].type, 'text/plain');
  assert.equal(shared[0].text, file);
  await phone.getByTestId('copy-share').click();
  await phone.getByTestId('sent').filter({ hasText: 'Copied' }).waitFor();
  assert.equal(await phone.evaluate(() => navigator.clipboard.readText()), file);

  // The worker adds it by pasting the text.
  const laptopCtx = await browser.newContext({ ...LAPTOP, bypassCSP: true });
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Jones' });
  let dialogs = 0;
  laptop.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await laptop.goto(`${server.url}#/import`);
  await laptop.getByLabel('Or paste the text of the file').fill(file);
  await laptop.getByTestId('import-continue').click();
  await laptop.getByTestId('import-header').waitFor();
  await axe(laptop, 'import: ready to add', violations);
  await laptop.getByTestId('import-add').click();
  await laptop.getByRole('heading', { name: 'What changed since you last looked' }).waitFor();
  await axe(laptop, 'what changed', violations);
  await laptop.getByTestId('mark-seen').click();
  await laptop.goto(server.url);
  const row = laptop.getByTestId('caseload').getByRole('row').filter({ hasText: 'Ann' });
  await row.waitFor();
  assert.match(await row.innerText(), /<img src=x onerror="window.__pwned=1">Ann<\/script><b>/);
  await axe(laptop, 'caseload', violations);
  await laptop.goto(`${server.url}#/plan/${id}/area/health-wellbeing`);
  await laptop.getByTestId('carer-view').filter({ hasText: '<script>window.__pwned=2</script> tired' }).waitFor();
  await axe(laptop, 'worker area view', violations);
  for (const [path, heading] of [['/history', 'History of this plan'], ['/sign-off', 'Sign off the plan'], ['/conflicts', 'Answers changed by both of you'], ['/notes', 'Notes']]) {
    await laptop.goto(`${server.url}#/plan/${id}${path}`);
    await laptop.getByRole('heading', { name: heading, exact: true }).waitFor();
    await axe(laptop, path, violations);
  }
  assert.equal(await laptop.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);

  // Download my data: readable JSON, and an Automerge document Automerge JS opens.
  await phone.goto(`${server.url}#/plan/${id}/data`);
  await phone.getByRole('heading', { name: 'Download my data' }).waitFor();
  await axe(phone, 'download my data', violations);
  const [json] = await Promise.all([phone.waitForEvent('download'), phone.getByTestId('download-json').click()]);
  const data = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(data.carer.name, hostile);
  assert.equal(data.wellbeing['health-wellbeing'].own_words, '<script>window.__pwned=2</script> tired');
  const [am] = await Promise.all([phone.waitForEvent('download'), phone.getByTestId('download-automerge').click()]);
  const doc = Automerge.load(new Uint8Array(await readFile(await am.path())));
  assert.equal(String(doc.carer.name), hostile);
  assert.equal(String(doc.wellbeing['health-wellbeing'].own_words), '<script>window.__pwned=2</script> tired');
  assert.equal(String(doc.plan_id), id);
  await phone.goto(`${server.url}#/settings`);
  await phone.getByTestId('last-copy').filter({ hasText: 'You last downloaded or shared a copy on' }).waitFor();
  assert.equal(await phone.getByTestId('copy-reminder').count(), 0);

  assert.deepEqual(violations, []);
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});
