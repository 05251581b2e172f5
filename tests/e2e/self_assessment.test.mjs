// The carer's self-assessment end to end at phone size: the whole plan with
// the mouse and with the keyboard only, axe-core on every screen, print,
// delete, quick exit and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, saved, dumpStorage, PHONE, LAPTOP, startPlan } from './harness.mjs';
import { journey, mouse, keyboard, axe, checkSummary, futureDate, planWithItems } from './journey.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const CONTEXT = { ...PHONE, locale: 'en-GB' };

test('a carer completes every section, reloading half-way; the summary shows it all; axe finds nothing', async () => {
  // axe-core is injected as a script by the test, which the app's CSP rightly blocks.
  const ctx = await browser.newContext({ ...CONTEXT, bypassCSP: true });
  const page = await newPage(ctx);
  await page.goto(server.url);
  const violations = [];
  await axe(page, 'home', violations);
  await journey(mouse(page), {
    reload: () => page.reload(),
    check: (label) => axe(page, label, violations),
  });
  await checkSummary(page);
  // The version number is read beside the page (it looks at every change).
  await page.locator('.print-footer', { hasText: /printed .* version \d+/ }).waitFor({ state: 'attached' });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: 'tests/e2e/test-results/print-summary.png', fullPage: true });
  assert.equal(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible(), false, 'no buttons in print');
  assert.equal(await page.locator('.print-footer').isVisible(), true, 'date and version on the printed page');
  assert.match(await page.locator('.print-footer').textContent(), /printed .* version \d+/);
  assert.equal(await page.locator('.signatures').isVisible(), true, 'signature lines in print');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the same journey with the keyboard only', async () => {
  const ctx = await browser.newContext(CONTEXT);
  const page = await newPage(ctx);
  await page.goto(server.url);
  await journey(keyboard(page), { reload: () => page.reload(), check: async () => {} });
  await checkSummary(page);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

/// A new plan, kept on the device before going on to `path`.
async function newPlanAt(page, path) {
  const id = await startPlan(page, server.url);
  await saved(page);
  if (path) await page.goto(`${server.url}#/plan/${id}${path}`);
  return id;
}

test('deleting a plan leaves nothing of it in IndexedDB or localStorage', async () => {
  const ctx = await browser.newContext(CONTEXT);
  const page = await newPage(ctx);
  const keep = await newPlanAt(page, '/about-you');
  await page.getByLabel('Your full name').fill('Keep me');
  await saved(page);
  const gone = await newPlanAt(page, '/about-you');
  await page.getByLabel('Your full name').fill('Delete me');
  await page.getByLabel('When is it safe to contact you?').fill('Secret words');
  await saved(page);
  await page.goto(`${server.url}#/plan/${gone}/delete`);
  await page.getByRole('button', { name: 'Yes, delete this plan' }).click();
  await page.getByTestId('notice').waitFor();
  assert.match(await page.getByTestId('notice').textContent(), /deleted/);
  const stored = await dumpStorage(page);
  const everything = JSON.stringify(stored);
  assert.ok(!everything.includes(gone), 'no chunk or list entry names the deleted plan');
  assert.ok(everything.includes(keep), 'the other plan is still there');
  const local = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  assert.ok(!local.includes(gone), 'no setting names the deleted plan');
  // The raw bytes hold no trace of the words either.
  const bytes = stored.chunks.flatMap(([, v]) => v);
  assert.ok(!Buffer.from(bytes).toString('latin1').includes('Secret words'));
  await ctx.close();
});

test('quick exit shows a neutral page and Back does not return to the plan', async () => {
  const ctx = await browser.newContext(CONTEXT);
  const page = await newPage(ctx);
  const id = await newPlanAt(page, '');
  // Nothing is chosen for the person: they choose where they live.
  await page.getByLabel('Scotland').check();
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'About you' }).click();
  await page.getByLabel('Your full name').fill('Words kept after exit');
  await page.getByRole('button', { name: 'Exit this page' }).click();
  await page.waitForURL(/neutral\.html$/);
  assert.equal(await page.title(), 'Search');
  await page.goBack().catch(() => {});
  assert.ok(!page.url().includes('#/plan/'), `back went to ${page.url()}`);
  // Nothing was lost.
  await page.goto(`${server.url}#/plan/${id}/about-you`);
  assert.equal(await page.getByLabel('Your full name').inputValue(), 'Words kept after exit');
  // The keyboard shortcut: Shift three times.
  await page.keyboard.press('Shift'); await page.keyboard.press('Shift'); await page.keyboard.press('Shift');
  await page.waitForURL(/neutral\.html$/);
  await ctx.close();
});

test('nonsense values get a kind message beside the field, and nothing saved is lost', async () => {
  const ctx = await browser.newContext(CONTEXT);
  const page = await newPage(ctx);
  const id = await newPlanAt(page, '/caring-role');
  const hours = page.getByLabel('About how many hours a week do you spend caring?');
  await hours.fill('35');
  await saved(page);
  await hours.fill('500');
  // The message comes when the person presses Continue, not
  // while typing nor when they leave the field.
  assert.equal(await page.locator('#caring-role-hours-error').count(), 0);
  await hours.press('Tab');
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#caring-role-hours-error').count(), 0);
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.locator('#caring-role-hours-error').waitFor();
  assert.match(await page.locator('#caring-role-hours-error').textContent(), /168 hours in a week/);
  assert.equal(await hours.getAttribute('aria-invalid'), 'true');
  assert.match(await hours.getAttribute('aria-describedby'), /caring-role-hours-error/);
  await saved(page);
  // What they typed is kept as they typed it, and no
  // number of hours is claimed from it.
  await page.reload();
  assert.equal(await page.getByLabel('About how many hours a week do you spend caring?').inputValue(), '500');
  await page.goto(`${server.url}#/plan/${id}/summary`);
  const summary = await page.locator('main').innerText();
  assert.doesNotMatch(summary, /500 hours|35 hours/);
  assert.match(summary, /Hours a week\s+500/);

  await page.goto(`${server.url}#/plan/${id}/actions`);
  await page.getByRole('button', { name: 'Add an action' }).click();
  const when = page.getByLabel('By when?');
  await when.fill(futureDate());
  await saved(page);
  await when.fill('2001-01-01');
  const err = page.locator('[id$="-by-when-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /today or in the future/);
  await page.reload();
  assert.equal(await page.getByLabel('By when?').inputValue(), futureDate());
  await ctx.close();
});

test('switching where you live keeps every word and shows that framework', async () => {
  const ctx = await browser.newContext(CONTEXT);
  const page = await newPage(ctx);
  const id = await newPlanAt(page, '/area/finances');
  await page.getByLabel('How does caring affect your money?').fill('Money words');
  await page.getByLabel('Moderate impact').check();
  await saved(page);
  await page.goto(`${server.url}#/plan/${id}/where`);
  await page.getByLabel('England').check();
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Support from the council' }).waitFor();
  await page.getByRole('link', { name: 'Your home' }).click();
  await page.getByLabel('I can do this, but it is hard').check();
  await saved(page);
  await page.goto(`${server.url}#/plan/${id}/where`);
  await page.getByLabel('Scotland').check();
  await page.goto(`${server.url}#/plan/${id}/area/finances`);
  assert.equal(await page.getByLabel('How does caring affect your money?').inputValue(), 'Money words');
  assert.equal(await page.getByLabel('Moderate impact').isChecked(), true);
  await ctx.close();
});

test('every screen reflows at 320 px and at 200% zoom, and controls are at least 44 px', async () => {
  const screens = ['', '/where', '/about-you', '/about-you/more', '/people', '/caring-role', '/caring-role/days',
    '/area/finances', '/area/finances/more', '/actions', '/emergency', '/future', '/summary', '/delete',
    '/summary/emergency', '/share', '/import', '/history', '/changes', '/conflicts', '/data'];
  const workerScreens = ['', '/summary', '/notes', '/sign-off', '/share', '/history', '/data'];
  // Every link and button: one alone on its line is at least 44 px tall; a
  // link inside a sentence at least 24 × 24 px (WCAG 2.5.8), not overlapping another.
  const smallTargets = (page) => page.evaluate(() => {
    const targets = [...document.querySelectorAll(
      'a[href], button, input, select, textarea, summary, .button, .task-link, .back-link, .summary-actions a, .action-list a, .plan-link')]
      .filter((el) => el.offsetParent !== null && !el.classList.contains('skip-link'));
    const boxes = targets.map((el) => el.getBoundingClientRect());
    const inSentence = (el) => el.tagName === 'A' && !el.matches('.button, .task-link, .back-link, .summary-actions a, .action-list a, .plan-link')
      && el.parentElement.textContent.trim() !== el.textContent.trim();
    const out = [];
    targets.forEach((el, i) => {
      const r = boxes[i];
      const least = inSentence(el) ? 24 : 44;
      if (r.height < least || r.width < 24) out.push(`${el.outerHTML.slice(0, 70)} ${Math.round(r.width)}x${Math.round(r.height)} (needs ${least} px)`);
      boxes.forEach((o, j) => {
        if (j <= i || targets[j].contains(el) || el.contains(targets[j])) return;
        const w = Math.min(r.right, o.right) - Math.max(r.left, o.left);
        const h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
        if (w > 1 && h > 1) out.push(`${el.outerHTML.slice(0, 50)} overlaps ${targets[j].outerHTML.slice(0, 50)}`);
      });
    });
    return out;
  });
  // 320 CSS px is WCAG's reflow width; a 1280 px laptop at 200% zoom is 640 CSS px.
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }, LAPTOP.viewport]) {
    const ctx = await browser.newContext({ viewport, locale: 'en-GB' });
    const page = await newPage(ctx);
    const { id, items } = await planWithItems(page, server.url);
    await page.goto(`${server.url}#/plan/${id}/people`);
    await page.getByRole('button', { name: 'Add a person' }).click();
    await page.getByLabel('Their name').fill('Someone with a very long name that goes on and on');
    await saved(page);
    const check = async (who, address) => {
      await page.goto(`${server.url}${address}`);
      await page.locator('main h1').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${who} ${address} at ${viewport.width}px scrolls sideways by ${overflow}px`);
      assert.deepEqual(await smallTargets(page), [], `${who} ${address} at ${viewport.width}px: small targets`);
    };
    for (const path of [...screens, ...Object.values(items)]) await check('carer', `#/plan/${id}${path}`);
    for (const address of ['#/', '#/settings', '#/import']) await check('carer', address);
    await page.evaluate(() => {
      localStorage.setItem('csp.role', JSON.stringify('key-worker'));
      localStorage.setItem('csp.my-name', JSON.stringify('Sam Patel'));
    });
    await page.reload();
    // The app has replaced index.html's waiting page (whose two headings
    // would both match below) before any screen is checked.
    await page.waitForFunction(() => !document.getElementById('preload'));
    for (const path of workerScreens) await check('key worker', `#/plan/${id}${path}`);
    for (const address of ['#/', '#/settings', '#/import']) await check('key worker', address);
    await ctx.close();
  }
});
