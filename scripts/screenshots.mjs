// Phone-size screenshots for the README: `node scripts/screenshots.mjs`
// after `trunk build --release` (scripts/test.sh builds it).
import { serve, launch, newPage, saved, PHONE } from '../tests/e2e/harness.mjs';

const out = new URL('../docs/screenshots/', import.meta.url).pathname;
const server = await serve();
const browser = await launch();
const page = await newPage(await browser.newContext({ ...PHONE, locale: 'en-GB' }));
await page.goto(server.url);
await page.getByRole('button', { name: 'Start a new plan' }).click();
const id = page.url().match(/plan\/([0-9a-f]{32})/)[1];
await page.getByLabel('Scotland').check();
const go = (path) => page.goto(`${server.url}#/plan/${id}${path}`);
await go('/about-you');
await page.getByLabel('Your full name').fill('Ann Smith');
await page.getByLabel('What would you like to be called?').fill('Ann');
await go('/area/health-wellbeing');
await page.getByLabel('How does caring affect your health and wellbeing?').fill('I hardly sleep, and my back hurts from lifting Bob.');
await page.getByLabel('Substantial impact').check();
await go('/area/finances');
await page.getByLabel('How does caring affect your money?').fill('The heating bills worry me.');
await page.getByLabel('Moderate impact').check();
await page.evaluate(() => window.scrollTo(0, 0));
await page.screenshot({ path: out + 'wellbeing-area.png' });
await go('/area/relationships');
await page.getByLabel('Low impact').check();
await saved(page);
await go('');
await page.getByTestId('progress').waitFor();
await page.screenshot({ path: out + 'task-list.png' });
await go('/summary');
await page.getByTestId('suggestion').waitFor();
await page.getByRole('heading', { name: 'How caring affects your life' }).scrollIntoViewIfNeeded();
await page.screenshot({ path: out + 'summary.png' });
await browser.close();
await server.close();
console.log('screenshots written to', out);
