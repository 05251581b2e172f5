// Screenshots for the README and docs/features.md, the carer's phone
// (390×844) and the key worker's laptop (1280×800), into docs/img/:
// `node scripts/screenshots.mjs` after `bash scripts/trunk-release.sh build`
// (scripts/test.sh builds it). With pngquant on PATH (Debian's `pngquant`)
// each file is then cut to a palette of colours, about a third the size.
import { execFileSync } from 'node:child_process';
import { serve, launch, newPage, saved, startPlan, PHONE } from '../tests/e2e/harness.mjs';

const out = new URL('../docs/img/', import.meta.url).pathname;
const server = await serve();
const browser = await launch();
const page = await newPage(await browser.newContext({ ...PHONE, locale: 'en-GB', acceptDownloads: true }));
const id = await startPlan(page, server.url, { where: 'Scotland', name: 'Ann Smith' });
const go = (path) => page.goto(`${server.url}#/plan/${id}${path}`);
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

// Sharing: "Check what you are sending" on the phone, the caseload on a laptop.
await go('/share');
for (const label of ['About you', 'Health and wellbeing', 'Relationships']) await page.getByLabel(label, { exact: true }).check();
await page.getByLabel('My key worker').check();
await page.getByRole('button', { name: 'Continue' }).click();
await page.getByLabel('Passphrase', { exact: true }).fill('kettle garden Tuesday');
await page.getByRole('button', { name: 'Continue' }).click();
await page.getByRole('heading', { name: 'Check what you are sending' }).waitFor();
await page.screenshot({ path: out + 'share-check.png' });
await page.getByTestId('confirm-share').click();
const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-share').click()]);
const text = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
const laptop = await newPage(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' }), { role: 'key-worker', name: 'Sam Jones' });
await laptop.goto(`${server.url}#/import`);
await laptop.getByLabel('Or paste the text of the file').fill(text);
await laptop.getByTestId('import-continue').click();
await laptop.getByLabel('Passphrase', { exact: true }).fill('kettle garden Tuesday');
await laptop.getByTestId('import-add').click();
await laptop.getByTestId('mark-seen').click();
await laptop.goto(server.url);
await laptop.getByTestId('caseload').waitFor();
await laptop.screenshot({ path: out + 'caseload.png' });
await browser.close();
await server.close();
const shots = ['task-list', 'wellbeing-area', 'summary', 'share-check', 'caseload'].map((n) => `${out}${n}.png`);
try {
  execFileSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality=60-90', '--ext', '.png', ...shots]);
} catch (e) {
  if (e.code !== 'ENOENT' && e.status !== 98 && e.status !== 99) throw e; // no pngquant, or a file it would not shrink
}
console.log('screenshots written to', out);
