// The carer's whole journey through a plan, written once and run by two
// actors: one using the mouse, one using only the keyboard.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { saved, startPlan } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/// Run axe-core on the current screen; collect any violations under `label`.
export async function axe(page, label, found) {
  if (!found) return;
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  for (const v of result) found.push(`${label}: ${v}`);
}

function radio(page, label, group) {
  const scope = group ? page.getByRole('group', { name: group, exact: true }) : page;
  return scope.getByLabel(label, { exact: true });
}

export const mouse = (page) => ({
  page,
  fill: (label, text) => page.getByLabel(label, { exact: true }).fill(text),
  choose: (label, group) => radio(page, label, group).check(),
  link: (name) => page.getByRole('link', { name, exact: true }).click(),
  button: (name) => page.getByRole('button', { name, exact: true }).click(),
});

/// Only the keyboard: Tab to each control, then type, Space, arrows or Enter.
export const keyboard = (page) => {
  const focused = (loc) => loc.evaluate((el) => el === document.activeElement).catch(() => false);
  async function tabTo(loc) {
    await loc.waitFor();
    for (let i = 0; i < 200; i++) {
      if (await focused(loc)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error('could not reach the control with Tab');
  }
  return {
    page,
    async fill(label, text) {
      const loc = page.getByLabel(label, { exact: true });
      await tabTo(loc);
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.press('Delete');
      if (text.match(/^\d{4}-\d{2}-\d{2}$/) && (await loc.getAttribute('type')) === 'date') {
        const [y, m, d] = text.split('-');
        await page.keyboard.type(`${d}${m}${y}`); // en-GB order
      } else {
        await page.keyboard.type(text);
      }
    },
    async choose(label, group) {
      const target = radio(page, label, group);
      const name = await target.getAttribute('name');
      const options = page.locator(`input[type=radio][name="${name}"]`);
      await target.waitFor();
      // Tab into the group, then arrow to the option.
      for (let i = 0; i < 200; i++) {
        const inGroup = await page.evaluate((n) => document.activeElement?.name === n, name);
        if (inGroup) break;
        await page.keyboard.press('Tab');
      }
      for (let i = 0; i < (await options.count()) + 1; i++) {
        if (await focused(target)) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Space');
      assert.ok(await target.isChecked(), `${label} chosen`);
    },
    async link(name) {
      await tabTo(page.getByRole('link', { name, exact: true }));
      await page.keyboard.press('Enter');
    },
    async button(name) {
      await tabTo(page.getByRole('button', { name, exact: true }));
      await page.keyboard.press('Enter');
    },
  };
};

async function heading(page, name) {
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

const AREAS = [
  ['Health and wellbeing', 'How does caring affect your health and wellbeing?', 'Substantial impact', 'I hardly sleep and my back hurts.'],
  ['Relationships', 'How does caring affect your relationships?', 'Low impact', 'My sister visits on Sundays.'],
  ['Living environment', 'How does caring affect where you live?', 'No impact', 'The house suits us.'],
  ['Employment and training', 'How does caring affect your work, study or training?', 'Moderate impact', 'I cut my hours to three days.'],
  ['Finances', 'How does caring affect your money?', 'Moderate impact', 'The heating bills worry me.'],
  ['Life balance', 'How does caring affect the rest of your life?', 'I would rather not say', ''],
  ['Future planning', 'How does caring affect your plans for the future?', 'Low impact', 'I worry about who would step in.'],
];

export function futureDate() {
  const d = new Date(Date.now() + 60 * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

/// The whole plan. `reload` is called half-way; `check` after each screen.
export async function journey(a, { reload, check }) {
  const { page } = a;
  const done = async (label) => {
    await check(label);
    await a.choose('Yes, I have finished it');
    await a.link('Save and go to your plan');
    await page.getByTestId('progress').waitFor();
  };

  await a.button('Start a new plan');
  await heading(page, 'Where do you live?');
  await check('where');
  await a.choose('Scotland');
  await a.link('Continue');
  await page.getByTestId('progress').waitFor();
  await check('task list');

  await a.link('About you');
  await heading(page, 'Your details');
  await a.fill('Your full name', 'Ann Smith');
  await a.fill('What would you like to be called?', 'Ann');
  await a.fill('Phone number', '01698 123456');
  await a.fill('Email address', 'ann@example.org');
  await a.fill('Address', '1 High Street, Motherwell');
  await a.fill('When is it safe to contact you?', 'Weekday mornings. No letters please.');
  await check('about you');
  await a.link('Continue');
  await heading(page, 'You and your health');
  await a.choose('No, I am doing it on my own');
  await a.fill('Your own health', 'Bad back.');
  await done('about you more');

  await a.link('The people you care for');
  await heading(page, 'Who do you care for?');
  await check('people');
  await a.button('Add a person');
  await heading(page, 'About the person you care for');
  await a.fill('Their name', 'Bob');
  await a.fill('How are they related to you?', 'my husband');
  await a.choose('Yes');
  await a.fill('Their illness, condition or disability', 'Dementia, getting worse.');
  await check('person');
  await a.link('Save and go back to the list');
  await heading(page, 'Who do you care for?');
  await done('people list');

  await a.link('Your caring role');
  await heading(page, 'What you do');
  await a.fill('What do you do for them?', 'Everything: meals, washing, medicines.');
  await a.fill('About how many hours a week do you spend caring?', '70');
  await a.choose('Sometimes');
  await a.fill('How long have you been caring?', 'About three years');
  await check('role');
  await a.link('Continue');
  await heading(page, 'Your days');
  await a.fill('What is a bad day like?', 'He does not know me.');
  await a.choose('Yes, with more help', 'Are you able to go on caring?');
  await done('role days');

  await saved(page);
  await reload();
  await page.getByTestId('progress').waitFor();
  assert.match(await page.getByTestId('progress').textContent(), /finished 3 of 12/);

  for (const [name, question, rating, words] of AREAS) {
    await a.link(name);
    await heading(page, name);
    if (words) await a.fill(question, words);
    await a.choose(rating);
    await check(`area ${name}`);
    await a.link('Continue');
    await heading(page, 'What matters to you');
    if (name === 'Finances') {
      await a.fill('What matters most to you here?', 'Paying the bills without worry.');
      await a.button('Add an action for this area');
      await heading(page, 'An action');
      await a.fill('What will be done?', 'Check benefits with the carers centre.');
      await a.fill('Who will do it?', 'my key worker');
      await a.fill('By when?', futureDate());
      await a.choose('Started');
      await check('action');
      await a.link('Save and go back');
      await heading(page, 'What matters to you');
    }
    await done(`area more ${name}`);
  }

  await a.link('Emergency plan');
  await heading(page, 'If you could not care');
  await a.fill('Who would step in if you suddenly could not care?', 'My sister Jean, 07700 900111.');
  await a.fill('Their medicines', 'Donepezil 10mg at night.');
  await a.fill('Allergies', 'Penicillin.');
  await check('emergency');
  await a.button('Add a contact');
  await heading(page, 'Emergency contact');
  await a.fill("Contact's name", 'Jean');
  await a.fill('Their phone number', '07700 900111');
  await a.link('Save and go back to the emergency plan');
  await a.button('Add a risk');
  await heading(page, 'A risk');
  await a.fill('What could go wrong?', 'Bob wanders at night.');
  await a.fill('What can stop it happening?', 'Door alarm.');
  await check('risk');
  await a.link('Save and go back to the emergency plan');
  await heading(page, 'If you could not care');
  await done('emergency done');

  await a.link('Plans for the future');
  await heading(page, 'Thinking ahead');
  await a.fill('What are your hopes for the future?', 'A week away once a year.');
  await done('future');

  assert.match(await page.getByTestId('progress').textContent(), /finished 12 of 12/);
  await a.link('Actions');
  await heading(page, 'Actions');
  await check('actions');
  await a.link('Back to your plan');
  await a.link('Check your answers and print');
  await heading(page, 'Check your answers');
  await saved(page);
  await check('summary');
}

/// What the summary must show after the journey.
export async function checkSummary(page) {
  const text = await page.locator('main').textContent();
  for (const s of ['Ann Smith', '01698 123456', 'Bob', 'my husband', '70 hours', 'Sometimes', 'The heating bills worry me.',
    'Check benefits with the carers centre.', 'Jean', 'Bob wanders at night.', 'A week away once a year.', 'I would rather not say']) {
    assert.ok(text.includes(s), `summary shows ${s}`);
  }
  const chart = page.getByTestId('impact-chart');
  const chartText = await chart.textContent();
  assert.match(chartText, /Health and wellbeing: Substantial impact/);
  assert.match(chartText, /Finances: Moderate impact/);
  assert.match(chartText, /Living environment: No impact/);
  const suggestion = await page.getByTestId('suggestion').textContent();
  assert.match(suggestion, /Route 3/);
  assert.match(suggestion, /may meet the council's threshold/);
  assert.match(suggestion, /Health and wellbeing/);
  assert.match(suggestion, /suggestion to talk through with a worker, not a decision/);
}

/// A plan made through the screens with one of each list item (a person, an
/// action, an emergency contact, a risk) and a name, so every kind of page
/// has something on it. Returns the plan's id and the items' page paths.
export async function planWithItems(page, url) {
  const id = await startPlan(page, url, { where: 'Scotland', name: 'Margaret Brown' });
  const item = async (from, button, label, words) => {
    await page.goto(`${url}#/plan/${id}${from}`);
    const before = page.url();
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.waitForURL((u) => String(u) !== before);
    await page.getByLabel(label, { exact: true }).fill(words);
    await saved(page);
    return new URL(page.url()).hash.replace(`#/plan/${id}`, '');
  };
  const items = {
    person: await item('/people', 'Add a person', 'Their name', 'Bob'),
    action: await item('/area/finances/more', 'Add an action for this area', 'What will be done?', 'Check benefits'),
    contact: await item('/emergency', 'Add a contact', "Contact's name", 'Jean'),
    risk: await item('/emergency', 'Add a risk', 'What could go wrong?', 'Bob wanders at night.'),
  };
  return { id, items };
}
