// Reviews as a cycle, on a carer's phone and a key worker's
// laptop whose clocks move on together: the plan is agreed and signed; seven
// weeks later both see the review is due soon, the carer adds it to her
// calendar (.ics) and starts the planned review; each area asks "has this
// changed since …?"; the review is agreed and signed in the same order as
// the first time; later the worker starts an unplanned review with a
// reason. Her finances rating moves each time, and the distance travelled
// (chart and table) shows "Substantial → Moderate → Low" on her summary
// (and in print) and on the worker's plan page. axe-core finds nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, newPage, saved, PHONE, LAPTOP } from './harness.mjs';
import { axe } from './journey.mjs';
import { sendUnlocked as send, addFile, startAnnsPlan, signRefusedThenReadyAgain, agreeWithPlan } from './exchange.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const ARROW = ' \u2192 ';

const sendUnlocked = (page, id, opts) => send(page, server.url, id, opts);

/// Move both devices' clocks to `date` (10:00 UTC), then reload.
async function moveClocks(pages, date) {
  for (const p of pages) {
    await p.context().clock.setSystemTime(new Date(`${date}T10:00:00Z`));
    await p.reload();
  }
}

async function signInMeeting(laptop, id) {
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agree-in-meeting').click();
  await laptop.getByTestId('agreement').filter({ hasText: 'in a meeting with you' }).waitFor();
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
}

/// The distance-travelled table's rows as text, by area.
async function distanceRows(page) {
  const table = page.getByTestId('distance-table');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
}

test('a plan agreed, reviewed twice, shows how far things have moved', async () => {
  const phoneCtx = await browser.newContext({ ...PHONE, acceptDownloads: true, bypassCSP: true });
  const laptopCtx = await browser.newContext({ ...LAPTOP, acceptDownloads: true, bypassCSP: true });
  for (const c of [phoneCtx, laptopCtx]) await c.clock.install({ time: new Date('2026-11-23T10:00:00Z') });
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const found = [];

  // The carer's plan, shared with her key worker.
  const id = await startAnnsPlan(phone, server.url, 'Substantial impact');
  await saved(phone);
  // No review round before the plan is agreed.
  assert.equal(await phone.getByTestId('area-changed').count(), 0);
  await addFile(laptop, `${server.url}#/import`, await sendUnlocked(phone, id, { carer: true }));

  // First agreement: in a meeting, the carer agrees, then the worker signs.
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);
  await laptop.getByLabel('Substantial impact').check();
  await saved(laptop);
  await signInMeeting(laptop, id);
  await laptop.getByTestId('review-due').filter({ hasText: '18 January 2027' }).waitFor();
  assert.equal(await laptop.getByTestId('review-flag').count(), 0, 'not flagged eight weeks ahead');
  await addFile(phone, `${server.url}#/plan/${id}/import`, await sendUnlocked(laptop, id, { carer: false }));
  await phone.getByTestId('review-due').filter({ hasText: '18 January 2027' }).waitFor();

  // Seven weeks on: due soon on the worker's caseload and the carer's plan.
  await moveClocks([phone, laptop], '2027-01-11');
  await laptop.goto(server.url);
  const row = laptop.getByTestId('caseload').getByRole('row', { name: /Ann Smith/ });
  assert.match(await row.innerText(), /18 January 2027\s+Review due soon/);
  await axe(laptop, 'caseload with a review due', found);
  await phone.goto(`${server.url}#/plan/${id}`);
  assert.match(await phone.getByTestId('review-flag').innerText(), /Review due soon\s+The review is due in 7 days, on 18 January 2027\./);
  await axe(phone, 'carer task list with a review due', found);

  // The carer adds it to her calendar: an all-day event with a reminder.
  const [ics] = await Promise.all([phone.waitForEvent('download'), phone.getByTestId('add-to-calendar').click()]);
  assert.equal(ics.suggestedFilename(), 'support-plan-review-2027-01-18.ics');
  const cal = await readFile(await ics.path(), 'utf8');
  assert.match(cal, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
  assert.match(cal, /\r\nDTSTART;VALUE=DATE:20270118\r\nDTEND;VALUE=DATE:20270119\r\n/);
  assert.match(cal, /\r\nDTSTAMP:20270111T\d{6}Z\r\n/);
  assert.match(cal, /\r\nSUMMARY:Review of my carer support plan\r\n/);
  assert.match(cal, /\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n[^]*TRIGGER:-P1D\r\nEND:VALARM\r\n/);
  assert.ok(cal.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');

  // She starts the planned review.
  await phone.getByTestId('start-review').click();
  await phone.getByRole('heading', { name: 'Start a review' }).waitFor();
  await axe(phone, 'start a review', found);
  await phone.getByTestId('start-review-button').click();
  await phone.getByTestId('problem').filter({ hasText: 'Choose why' }).waitFor();
  await phone.getByLabel('It is time for the planned review').check();
  await phone.getByTestId('start-review-button').click();
  await phone.getByTestId('review-round').waitFor();
  assert.match(await phone.getByTestId('review-round').innerText(), /Started on 11 January 2027 by you: the planned review\./);
  assert.match(await phone.getByTestId('review-progress').innerText(), /since 23 November 2026: 0 of 7 answered/);

  // Each area asks whether it has changed; her answers start from the agreed ones.
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  const changed = phone.getByRole('group', { name: 'Has this changed since 23 November 2026?' });
  await changed.waitFor();
  assert.equal(await phone.locator('#wellbeing-finances-own-words').inputValue(), 'The heating bills worry me.');
  assert.ok(await phone.getByLabel('Substantial impact').isChecked());
  await axe(phone, 'area page in a review', found);
  await changed.getByLabel('Yes, it has changed').check();
  await phone.getByLabel('Moderate impact').check();
  await saved(phone);
  await phone.goto(`${server.url}#/plan/${id}`);
  assert.match(await phone.getByTestId('review-progress').innerText(), /1 of 7 answered/);
  await addFile(laptop, `${server.url}#/plan/${id}/import`, await sendUnlocked(phone, id, { carer: true }));

  // Agreed in the same order as the first time: ready, the carer agrees on her phone, then signed.
  await laptop.getByTestId('sign-status').filter({ hasText: 'Being reviewed' }).waitFor();
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agreement').filter({ hasText: 'has not been asked to agree yet' }).waitFor();
  await signRefusedThenReadyAgain(laptop, server.url, id);
  await addFile(phone, `${server.url}#/plan/${id}/import`, await sendUnlocked(laptop, id, { carer: false }));
  await phone.getByTestId('agree-banner').getByRole('link').click();
  await agreeWithPlan(phone);
  await addFile(laptop, `${server.url}#/plan/${id}/import`, await sendUnlocked(phone, id, { carer: true }));
  await laptop.goto(`${server.url}#/plan/${id}/sign-off`);
  await laptop.getByTestId('agreement').filter({ hasText: 'Ann Smith agreed on 11 January 2027' }).waitFor();
  // After the first review, yearly.
  assert.equal(await laptop.locator('#review-date').inputValue(), '2028-01-11');
  await laptop.getByTestId('sign-off').click();
  await laptop.getByTestId('sign-status').filter({ hasText: /Signed off on/ }).waitFor();
  await laptop.getByTestId('review-due').filter({ hasText: '11 January 2028' }).waitFor();

  // Seven weeks later the worker starts an unplanned review, with a reason.
  await moveClocks([phone, laptop], '2027-03-02');
  await laptop.goto(`${server.url}#/plan/${id}/review`);
  await laptop.getByLabel('It is time for the planned review').check();
  await laptop.getByTestId('start-review-button').click();
  await laptop.getByTestId('problem').filter({ hasText: 'not due until 11 January 2028' }).waitFor();
  await laptop.getByLabel('Something has changed').check();
  await laptop.getByTestId('start-review-button').click();
  await laptop.getByTestId('problem').filter({ hasText: 'Say what has changed' }).waitFor();
  await laptop.getByLabel('What has changed?').fill('Her mother moved in with her.');
  await axe(laptop, 'start an unplanned review', found);
  await laptop.getByTestId('start-review-button').click();
  assert.match(await laptop.getByTestId('review-round').innerText(), /because something changed: “Her mother moved in with her\.”/);
  await addFile(phone, `${server.url}#/plan/${id}/import`, await sendUnlocked(laptop, id, { carer: false }));
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  await phone.getByRole('group', { name: 'Has this changed since 11 January 2027?' }).getByLabel('Yes, it has changed').check();
  await phone.getByLabel('Low impact').check();
  await saved(phone);
  await addFile(laptop, `${server.url}#/plan/${id}/import`, await sendUnlocked(phone, id, { carer: true }));
  // The last agreed version stays as it was during the round.
  await laptop.goto(`${server.url}#/plan/${id}/signed`);
  // (Read beside the page: "Reading the signed version…" until it is.)
  await laptop.getByTestId('signed-by').waitFor();
  assert.match(await laptop.locator('main').innerText(), /Moderate impact/);
  assert.doesNotMatch(await laptop.locator('main').innerText(), /Low impact/);
  await signInMeeting(laptop, id);

  // The worker's plan page: the path in the table and the chart.
  await laptop.goto(`${server.url}#/plan/${id}`);
  const worker = await distanceRows(laptop);
  assert.deepEqual(worker, [['Finances', ['Substantial', 'Moderate', 'Low'].join(ARROW), ['Substantial', 'Moderate', 'Moderate'].join(ARROW)]]);
  assert.match(await laptop.getByTestId('distance-travelled').innerText(), /Agreed on 23 November 2026, reviewed on 11 January 2027 and 2 March 2027\./);
  const chartText = await laptop.getByTestId('distance-chart-finances').locator('text.dt-text').allTextContents();
  assert.deepEqual(chartText.slice(-3), ['Substantial', 'Moderate', 'Low'], "the carer's points, labelled in words");
  assert.deepEqual(chartText.slice(0, 3), ['Substantial', 'Moderate', 'Moderate'], "the worker's points");
  await axe(laptop, 'worker plan page with distance travelled', found);
  if (process.env.SHOTS) await laptop.screenshot({ path: `${process.env.SHOTS}/laptop-distance.png`, fullPage: true });

  // The carer's summary, on screen and in print.
  await addFile(phone, `${server.url}#/plan/${id}/import`, await sendUnlocked(laptop, id, { carer: false }));
  await phone.goto(`${server.url}#/plan/${id}/summary`);
  assert.deepEqual(await distanceRows(phone), worker);
  await phone.getByTestId('distance-chart-finances').waitFor();
  await axe(phone, 'summary with distance travelled', found);
  if (process.env.SHOTS) await phone.getByTestId('distance-travelled').screenshot({ path: `${process.env.SHOTS}/phone-distance.png` });
  await phone.emulateMedia({ media: 'print' });
  assert.ok(await phone.getByTestId('distance-table').isVisible(), 'the table prints');
  assert.ok(await phone.getByTestId('distance-chart-finances').isVisible(), 'the chart prints');
  await phone.emulateMedia({ media: 'screen' });

  assert.deepEqual(found, [], 'axe-core finds nothing on the new screens');
  const history = await (async () => { await laptop.goto(`${server.url}#/plan/${id}/history`); return laptop.getByTestId('history').innerText(); })();
  for (const line of ['Started the planned review', 'Started a review because something changed', 'Signed off the review']) {
    assert.ok(history.includes(line), `history has "${line}"`);
  }
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(laptop.errors, []);
  await phoneCtx.close();
  await laptopCtx.close();
});
