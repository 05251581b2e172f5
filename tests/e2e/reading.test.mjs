// Reading and finding one's way, as a carer on a phone and a key worker on a
// laptop: links that stay readable after they have been visited, the Back
// button explained, "Check your answers" in parts, and a caseload of
// hundreds at a laptop's width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, launch, newPage, saved, PHONE, LAPTOP } from './harness.mjs';
import { axe, planWithItems } from './journey.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/// The most common colour of a screenshot (the background) and the most
/// common colour clearly different from it (the text), and their contrast
/// ratio (WCAG 2.2). Decoded in a blank page of the same browser.
async function contrastOf(helper, png) {
  return helper.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    const count = new Map();
    for (let i = 0; i < d.length; i += 4) {
      const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      count.set(k, (count.get(k) ?? 0) + 1);
    }
    const rgb = (k) => [(k >> 16) & 255, (k >> 8) & 255, k & 255];
    const lum = (c) => {
      const [r, gr, b] = c.map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * gr + 0.0722 * b;
    };
    const byCount = [...count].sort((a, b) => b[1] - a[1]);
    const bg = rgb(byCount[0][0]);
    const far = byCount.find(([k]) => rgb(k).reduce((s, v, i) => s + Math.abs(v - bg[i]), 0) > 90);
    if (!far) return { ratio: 1, bg, text: bg };
    const text = rgb(far[0]);
    const [hi, lo] = [lum(bg), lum(text)].sort((a, b) => b - a);
    return { ratio: (hi + 0.05) / (lo + 0.05), bg, text };
  }, png.toString('base64'));
}

const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/// Every link on screen: its address, its words, and a handle to photograph it.
async function linksOnScreen(page) {
  const links = page.locator('a[href]');
  const out = [];
  for (let i = 0; i < (await links.count()); i++) {
    const link = links.nth(i);
    const box = await link.boundingBox();
    if (!box || box.x < 0 || box.width < 2 || box.height < 2) continue; // the skip link waits off screen
    out.push({ link, href: await link.getAttribute('href'), words: (await link.innerText()).trim() });
  }
  return out;
}

test('every link stays readable after it has been visited (4.5:1), for the carer and the key worker', async () => {
  // Visited colours show only in a browser with a history: a persistent profile.
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'csp-visited-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    ...PHONE, locale: 'en-GB', bypassCSP: true,
  });
  try {
    await visitedLinks(ctx);
  } finally {
    await ctx.close();
  }
});

async function visitedLinks(ctx) {
  const page = await newPage(ctx);
  const helper = await ctx.newPage();
  const { id, items } = await planWithItems(page, server.url);
  const plan = (p) => `#/plan/${id}${p}`;
  const carerScreens = ['#/', '#/settings', '#/import', plan(''), plan('/where'), plan('/about-you'), plan('/about-you/more'),
    plan('/people'), plan(items.person), plan('/caring-role'), plan('/caring-role/days'), plan('/area/finances'),
    plan('/area/finances/more'), plan('/actions'), plan(items.action), plan('/emergency'), plan(items.contact),
    plan(items.risk), plan('/future'), plan('/summary'), plan('/delete'), plan('/share'), plan('/import'),
    plan('/history'), plan('/data')];
  const workerScreens = ['#/', '#/import', plan(''), plan('/summary'), plan('/notes'), plan('/sign-off'), plan('/history'), plan('/data')];

  const show = async (screen) => {
    await page.goto(`${server.url}${screen}`);
    await page.locator('main h1').first().waitFor();
    await page.mouse.move(1, 1);
  };
  const failures = [];
  const violations = [];
  const measured = new Set();
  async function visitThenMeasure(screens, who) {
    // First follow every link these screens have, so each one is visited…
    const hrefs = new Set();
    for (const s of screens) {
      await show(s);
      for (const { href } of await linksOnScreen(page)) hrefs.add(href);
    }
    // Followed from inside the app, as a person's tap is (the app replaces
    // the address): Chromium shows a link as visited only to the site it was
    // followed from.
    for (const href of hrefs) {
      if (!href.startsWith('#/')) continue;
      await page.evaluate((h) => location.replace(h), href);
      await page.waitForURL((u) => u.hash === href);
    }
    await page.waitForTimeout(500);
    // …then look at each screen again and photograph each link.
    for (const s of screens) {
      await show(s);
      await page.evaluate(() => document.activeElement?.blur());
      await axe(page, `${who} ${s}`, violations);
      for (const { link, words } of await linksOnScreen(page)) {
        const png = await link.screenshot({ animations: 'disabled' });
        const { ratio, bg, text } = await contrastOf(helper, png);
        measured.add(words);
        if (ratio < 4.5) failures.push(`${who} ${s}: "${words}" ${hex(text)} on ${hex(bg)} is ${ratio.toFixed(2)}:1`);
      }
    }
  }
  await visitThenMeasure(carerScreens, 'carer');
  await page.evaluate(() => {
    localStorage.setItem('csp.role', JSON.stringify('key-worker'));
    localStorage.setItem('csp.my-name', JSON.stringify('Sam Patel'));
  });
  await page.reload();
  await page.setViewportSize(LAPTOP.viewport);
  await visitThenMeasure(workerScreens, 'key worker');

  assert.deepEqual(failures, []);
  for (const words of ['Continue', 'Save and go to your plan', 'Add a plan you were sent', 'Back to your plan', 'About you', 'Change'])
    assert.ok([...measured].some((w) => w.startsWith(words)), `the link "${words}" was measured`);
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
}

test("the task list says, once, that the phone's Back button leaves the app; the page's own links go back", async () => {
  const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB', bypassCSP: true });
  const page = await newPage(ctx);
  await planWithItems(page, server.url);
  await page.close();
  // A new tab: the app opened once, as from a bookmark, then only tapped through.
  const tab = await newPage(ctx);
  await tab.goto('about:blank');
  await tab.goto(server.url);
  await tab.getByRole('link', { name: 'Margaret Brown' }).click();
  await openedTaskList(tab);
  await ctx.close();
});

async function openedTaskList(page) {
  const note = page.getByTestId('back-button-note');
  await note.waitFor();
  const words = await note.innerText();
  assert.match(words, /Use the links on each page to go back/);
  assert.match(words, /Back button .*leaves the app/);
  const violations = [];
  await axe(page, 'task list', violations);
  assert.deepEqual(violations, []);
  // Said once: not repeated on the question pages.
  await page.getByRole('link', { name: 'About you', exact: true }).click();
  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  assert.equal(await page.getByTestId('back-button-note').count(), 0);
  assert.equal(await page.getByText(/Back button/).count(), 0);
  // It is true: the page's link goes back to the plan, the phone's Back leaves.
  await page.getByRole('link', { name: 'Continue', exact: true }).click();
  await page.getByRole('heading', { name: 'You and your health' }).waitFor();
  await page.goBack();
  assert.ok(!page.url().startsWith(server.url), `Back left the app (now at ${page.url()})`);
  assert.deepEqual(page.errors, []);
}

test('"Check your answers" has a Back link at the top, a contents list, one section at a time, and a suggestion in plain words', async () => {
  const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB', bypassCSP: true });
  const page = await newPage(ctx);
  const { id } = await planWithItems(page, server.url);
  await page.goto(`${server.url}#/plan/${id}/area/finances`);
  await page.getByLabel('Substantial impact', { exact: true }).check();
  await saved(page);
  await page.goto(`${server.url}#/plan/${id}`);
  await page.getByRole('link', { name: 'Check your answers and print' }).click();
  const h1 = page.getByRole('heading', { name: 'Check your answers', level: 1 });
  await h1.waitFor();
  const violations = [];
  await axe(page, 'summary', violations);
  const screens = (await page.evaluate(() => document.documentElement.scrollHeight)) / 844;

  // Back is at the top, before the heading, as well as at the bottom.
  const backs = page.getByRole('link', { name: 'Back to your plan' });
  assert.ok((await backs.first().boundingBox()).y < (await h1.boundingBox()).y, 'a Back link above the heading');

  // The suggestion leads with what could help, in plain words; the council's term follows.
  const suggestion = page.getByTestId('suggestion');
  const lead = (await suggestion.locator('h3').innerText()).trim();
  assert.doesNotMatch(lead, /Route/);
  assert.match(await suggestion.innerText(), /A key worker who works with social work/);
  assert.match(await suggestion.innerText(), /council.*Route 3/);

  // A contents list jumps to a section on the page, which is then in view.
  const contents = page.getByRole('navigation', { name: 'Sections on this page' });
  for (const name of ['About you', 'The people you care for', 'Finances', 'Emergency plan', 'Actions'])
    await contents.getByRole('link', { name, exact: true }).waitFor();
  await contents.getByRole('link', { name: 'Emergency plan', exact: true }).click();
  const emergency = page.getByRole('heading', { name: 'Emergency plan', level: 2 });
  await page.waitForFunction(() => {
    const h = [...document.querySelectorAll('h2')].find((e) => e.textContent.trim() === 'Emergency plan');
    const r = h.getBoundingClientRect();
    return r.top > -5 && r.top < 200;
  });
  assert.ok(await emergency.evaluate((h) => h === document.activeElement || h.contains(document.activeElement)), 'focus moved to the section');
  assert.match(page.url(), /\/summary$/, 'still on the same page');

  // One section at a time, with its own Change links and a way back.
  await page.getByRole('link', { name: 'Check only Emergency plan' }).click();
  const one = page.getByRole('heading', { name: 'Emergency plan', level: 1 });
  await one.waitFor();
  assert.match(page.url(), /\/summary\/emergency$/);
  await axe(page, 'one section', violations);
  const main = await page.locator('main').innerText();
  assert.match(main, /Jean/);
  assert.doesNotMatch(main, /Margaret Brown/, 'only this section');
  assert.ok(await page.getByRole('link', { name: /^Change/ }).count() >= 2);
  const oneScreens = (await page.evaluate(() => document.documentElement.scrollHeight)) / 844;
  assert.ok(oneScreens < 3, `one section is ${oneScreens.toFixed(1)} phone screens`);
  assert.ok((await page.getByRole('link', { name: 'Back to your plan' }).first().boundingBox()).y < (await one.boundingBox()).y);
  await page.getByRole('link', { name: 'Next: Plans for the future' }).click();
  await page.getByRole('heading', { name: 'Plans for the future', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'All your answers' }).first().click();
  await h1.waitFor();

  // Print still shows the whole plan, without the contents list or links.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await contents.isVisible(), false, 'no contents list in print');
  assert.equal(await page.locator('.signatures').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  console.log(`"Check your answers": ${screens.toFixed(1)} phone screens in all; one section ${oneScreens.toFixed(1)}`);
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

const FIRST = ['Ann', 'Bill', 'Cathy', 'David', 'Eilidh', 'Fraser', 'Grace', 'Hamish', 'Isla', 'James', 'Kirsty', 'Lewis',
  'Morag', 'Neil', 'Orla', 'Peter', 'Rhona', 'Stuart', 'Tess', 'Umar', 'Val', 'Wendy', 'Yusuf', 'Zoe'];
const LAST = ['Adams', 'Brown', 'Campbell', 'Duncan', 'Fraser', 'Gray', 'Hughes', 'Kerr', 'Lindsay', 'Murray', 'Reid', 'Stewart', 'Wilson'];

/// 311 more plans' list entries straight into IndexedDB (what a caseload of
/// hundreds looks like to the list), beside the one made through the screens.
async function seedCaseload(page) {
  const rows = [];
  for (let i = 0; i < 311; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
    const day = String(1 + (i * 7) % 28).padStart(2, '0');
    rows.push([`c${(i + 1).toString(16).padStart(31, '0')}`, JSON.stringify({
      plan_id: `c${(i + 1).toString(16).padStart(31, '0')}`, name, updated_at: 1_700_000_000_000 + i, status: 'draft',
      last_shared: 1_700_000_000_000 + ((i * 37) % 311) * 86_400_000, review_due: `2027-${String(1 + (i % 12)).padStart(2, '0')}-${day}`,
      highest_impact: i % 5 ? ['Finances', 'Moderate impact'] : null, highest_rank: i % 5 ? 2 : null,
    })]);
  }
  await page.evaluate(async (recs) => {
    const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    const tx = db.transaction(['plans'], 'readwrite');
    for (const [key, value] of recs) tx.objectStore('plans').put(value, key);
    await new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); });
    db.close();
  }, rows);
  return rows.map(([, v]) => JSON.parse(v).name).concat('Margaret Brown');
}

const carerNames = (page) => page.getByTestId('caseload').locator('tbody th').allInnerTexts();

test('a key worker with 312 plans uses the laptop\'s width: sortable columns, sticky header, pages of 20, search still finds', async () => {
  const ctx = await browser.newContext({ ...LAPTOP, locale: 'en-GB', bypassCSP: true });
  const page = await newPage(ctx);
  const { id } = await planWithItems(page, server.url);
  const names = await seedCaseload(page);
  await page.evaluate(() => {
    localStorage.setItem('csp.role', JSON.stringify('key-worker'));
    localStorage.setItem('csp.my-name', JSON.stringify('Sam Patel'));
  });
  await page.goto(server.url);
  await page.reload();
  const table = page.getByTestId('caseload');
  await table.waitFor();
  const violations = [];
  await axe(page, 'caseload', violations);
  assert.ok((await table.boundingBox()).width > 1000, `the table uses the width (${(await table.boundingBox()).width}px)`);
  const count = page.getByTestId('caseload-count');
  assert.equal((await count.innerText()).trim(), 'Showing 1 to 20 of 312 plans');
  assert.equal((await carerNames(page)).length, 20);

  // Sort by clicking a column's header button; the header says how it is sorted.
  const carerHeader = page.getByRole('columnheader', { name: /Carer/ });
  await carerHeader.getByRole('button').click();
  assert.equal(await carerHeader.getAttribute('aria-sort'), 'ascending');
  const az = [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  assert.deepEqual(await carerNames(page), az.slice(0, 20));
  assert.equal(await page.getByRole('columnheader', { name: /Review due/ }).getAttribute('aria-sort'), null);
  await carerHeader.getByRole('button').click();
  assert.equal(await carerHeader.getAttribute('aria-sort'), 'descending');
  assert.equal((await carerNames(page))[0], az.at(-1));
  await carerHeader.getByRole('button').click();

  // The header stays in view while scrolling down the rows.
  await page.mouse.wheel(0, 900);
  await page.waitForFunction(() => window.scrollY > 300);
  const top = await carerHeader.evaluate((th) => th.getBoundingClientRect().top);
  assert.ok(top >= -1 && top < 10, `header at ${top}px from the top after scrolling`);

  // Pages of 20.
  await page.getByRole('button', { name: 'Next page' }).click();
  assert.equal((await count.innerText()).trim(), 'Showing 21 to 40 of 312 plans');
  assert.deepEqual(await carerNames(page), az.slice(20, 40));
  await page.getByRole('button', { name: 'Previous page' }).click();
  assert.equal((await count.innerText()).trim(), 'Showing 1 to 20 of 312 plans');
  await page.getByRole('button', { name: 'Last page' }).click();
  assert.equal((await count.innerText()).trim(), 'Showing 301 to 312 of 312 plans');
  await axe(page, 'caseload, last page', violations);

  // Search still finds a plan wherever it is, and starts again at the first page.
  await page.getByLabel("Search by carer's name").fill('Yusuf Wilson');
  assert.deepEqual(await carerNames(page), ['Yusuf Wilson']);
  assert.match(await count.innerText(), /Showing 1 to 1 of 1 plan\b.*312/);
  await page.getByLabel("Search by carer's name").fill('Margaret');
  await page.getByRole('link', { name: 'Margaret Brown' }).click();

  // The worker's plan page uses the width too: the plan's own pages beside the sections.
  await page.getByTestId('progress').waitFor();
  const sections = await page.locator('li[data-section="about-you"] a').boundingBox();
  const sharing = await page.getByTestId('share-link').boundingBox();
  assert.ok(sharing.x > sections.x + 400 && sharing.y < sections.y + 400,
    `sending the plan sits beside the sections (${sections.x},${sections.y} → ${sharing.x},${sharing.y})`);
  await axe(page, "worker's task list", violations);
  assert.match(page.url(), new RegExp(id));
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the caseload of 312 plans still works on a phone', async () => {
  const ctx = await browser.newContext({ ...PHONE, locale: 'en-GB', bypassCSP: true });
  const page = await newPage(ctx, { role: 'key-worker', name: 'Sam Patel' });
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await seedCaseload(page);
  await page.reload();
  const count = page.getByTestId('caseload-count');
  await count.waitFor();
  assert.equal((await count.innerText()).trim(), 'Showing 1 to 20 of 311 plans');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px`);
  await page.getByLabel('Sort by').selectOption({ label: "Carer's name (A to Z)" });
  assert.equal((await carerNames(page))[0], 'Ann Adams');
  await page.getByRole('button', { name: 'Next page' }).click();
  assert.equal((await count.innerText()).trim(), 'Showing 21 to 40 of 311 plans');
  const violations = [];
  await axe(page, 'caseload on a phone', violations);
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
