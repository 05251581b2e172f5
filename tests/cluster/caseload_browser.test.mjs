// A key worker's caseload spanning two shards, in the browser:
// the relay cluster of tests/cluster/ (PostgreSQL, 2 shards × active +
// standby relay, HAProxy) started here, and the app's release build served
// from a copy of dist/ whose relay.json names the cluster as sharded
// ({"relay": "ws://127.0.0.1:<HAProxy>", "shards": 2}, the CSP allowing
// <base>/s/). Two carers' phones each keep a plan in step with the same
// worker's laptop; the two plans' documents are on different shards. Words
// typed on each phone reach the laptop, which has exactly two websockets
// open, one to each /s/<shard>. Then shard 1's relays both stop: the plan
// on shard 0 still says nothing false, the one on shard 1 says it cannot
// reach the service, and once shard 1 is back its words arrive again.
//
// Needs the release build in dist/ (scripts/test.sh builds it first; any
// relay.json: this test writes its own copy). CSP_DIST: another build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, stopOnExit } from '../../relay/lib/cluster.mjs';
import { shardOfDocumentId } from '../../relay/lib/shard.mjs';
import { serve, launch, newPage, saved, PHONE, startPlan, workerLaptop, joinAndAllow, appErrors } from '../e2e/harness.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = process.env.CSP_DIST ?? join(ROOT, 'dist');
const SHARDS = 2;
// Generous, so that a broken build fails rather than hangs; never a figure.
const ARRIVES = { timeout: 30_000 };

let cluster, server, browser, copy;

/** dist/ copied, with relay.json and the CSP naming the cluster's shards. */
function shardedCopy(base) {
  const dir = mkdtempSync(join(tmpdir(), 'csp-dist-sharded-'));
  cpSync(DIST, dir, { recursive: true });
  writeFileSync(join(dir, 'relay.json'), JSON.stringify({ relay: base, shards: SHARDS }) + '\n');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const csp = html.replace(/connect-src 'self'[^;"]*/, `connect-src 'self' ${base}/s/`);
  assert.notEqual(csp, html, 'index.html has a connect-src to rewrite');
  writeFileSync(join(dir, 'index.html'), csp);
  return dir;
}

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), `a release build in ${DIST} (bash scripts/trunk-release.sh build)`);
  cluster = await startCluster({ shards: SHARDS, fast: true, log: process.env.VERBOSE ? l => process.stderr.write(String(l)) : () => {} });
  stopOnExit(cluster);
  copy = shardedCopy(cluster.url);
  server = await serve({ dist: copy });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await cluster?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** A carer's plan kept in step (About you and Finances); its link. */
async function keepInStep(phone, id) {
  await phone.goto(`${server.url}#/plan/${id}`);
  await phone.getByTestId('keep-link').click();
  await phone.getByRole('heading', { name: 'Which sections should your key worker see?' }).waitFor();
  await phone.getByLabel('About you', { exact: true }).check();
  await phone.locator('#share-area-finances').check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByRole('heading', { name: 'Check what you are sending' }).waitFor();
  await phone.getByTestId('confirm-keep').click();
  await phone.getByRole('heading', { name: 'Your link is ready' }).waitFor();
  return phone.getByTestId('keep-link').inputValue();
}

const shardOfLink = link => shardOfDocumentId(link.match(/#\/keep\/([^/]+)\//)[1], SHARDS);

/** A carer's phone with a plan (named `name`) kept in step, on the shard
 * `wanted` if given (new plans until one's document falls there). */
async function carer(name, wanted) {
  const ctx = await browser.newContext(PHONE);
  const page = await newPage(ctx);
  page.sockets = [];
  page.on('websocket', ws => page.sockets.push(ws));
  for (let tries = 0; tries < 12; tries += 1) {
    const id = await startPlan(page, server.url, { where: 'Scotland', name });
    const link = await keepInStep(page, id);
    const shard = shardOfLink(link);
    if (wanted === undefined || shard === wanted) return { ctx, page, id, link, shard };
  }
  assert.fail(`no plan of 12 fell on shard ${wanted}`);
}

async function typeFinances(page, id, words) {
  await page.goto(`${server.url}#/plan/${id}/area/finances`);
  await page.locator('#wellbeing-finances-own-words').fill(words);
  await saved(page);
}

test('a caseload spanning two shards syncs over two sockets, one per shard; one shard down leaves the other plan\'s status true', async () => {
  const ann = await carer('Ann Smith');
  const bea = await carer('Bea Jones', 1 - ann.shard);
  assert.notEqual(ann.shard, bea.shard);

  const { ctx: laptopCtx, page: laptop } = await workerLaptop(browser, server.url);
  const sockets = [];
  laptop.on('websocket', ws => sockets.push(ws));

  await joinAndAllow({ worker: laptop, carer: ann.page, link: ann.link, id: ann.id, url: server.url });
  await joinAndAllow({ worker: laptop, carer: bea.page, link: bea.link, id: bea.id, url: server.url });

  // Words typed on each carer's phone reach the worker's laptop.
  await laptop.goto(`${server.url}#/plan/${ann.id}/area/finances`);
  await typeFinances(ann.page, ann.id, 'Ann: the gas bill doubled.');
  await laptop.getByText('Ann: the gas bill doubled.').waitFor(ARRIVES);
  await laptop.goto(`${server.url}#/plan/${bea.id}/area/finances`);
  await typeFinances(bea.page, bea.id, 'Bea: pension credit came through.');
  await laptop.getByText('Bea: pension credit came through.').waitFor(ARRIVES);
  for (const p of [ann, bea]) {
    await laptop.goto(`${server.url}#/plan/${p.id}`);
    await laptop.getByTestId('keep-status-text').filter({ hasText: 'Up to date with' }).waitFor(ARRIVES);
  }

  // Exactly two sockets open, one to each shard.
  const open = sockets.filter(ws => !ws.isClosed()).map(ws => ws.url()).sort();
  assert.deepEqual(open, [cluster.shardUrl(0), cluster.shardUrl(1)], `open sockets: ${JSON.stringify(open)}; all: ${JSON.stringify(sockets.map(ws => ws.url()))}`);
  // Ann's phone, with one plan kept in step, needs only her shard.
  assert.deepEqual(ann.page.sockets.filter(ws => !ws.isClosed()).map(ws => ws.url()), [cluster.shardUrl(ann.shard)]);

  // Shard 1's relays both stop: only the plan on shard 1 says so.
  const down = bea.shard === 1 ? bea : ann;
  const up = down === bea ? ann : bea;
  await Promise.all(cluster.relays[1].map(r => r.kill('SIGTERM')));
  await laptop.goto(`${server.url}#/plan/${down.id}`);
  await laptop.getByTestId('keep-connection').filter({ hasText: "Cannot reach your council's sync service" }).waitFor(ARRIVES);
  await laptop.goto(`${server.url}#/plan/${up.id}`);
  await laptop.getByTestId('keep-status-text').filter({ hasText: 'Up to date with' }).waitFor(ARRIVES);
  assert.equal(await laptop.getByTestId('keep-connection').count(), 0, 'the plan on the shard that is up says nothing about the one that is down');
  // The shard that is up still carries words.
  await laptop.goto(`${server.url}#/plan/${up.id}/area/finances`);
  await typeFinances(up.page, up.id, 'Still in step while the other shard is down.');
  await laptop.getByText('Still in step while the other shard is down.').waitFor(ARRIVES);

  // Shard 1 back: the words typed meanwhile arrive.
  await typeFinances(down.page, down.id, 'Typed while my shard was down.');
  await Promise.all(cluster.relays[1].map(r => r.start()));
  for (const p of [laptop, down.page]) await p.evaluate(() => window.dispatchEvent(new Event('online')));
  await laptop.goto(`${server.url}#/plan/${down.id}/area/finances`);
  await laptop.getByText('Typed while my shard was down.').waitFor({ timeout: 60_000 });
  const openAtEnd = sockets.filter(ws => !ws.isClosed()).map(ws => ws.url()).sort();
  assert.deepEqual(openAtEnd, [cluster.shardUrl(0), cluster.shardUrl(1)]);

  // Chromium's own log of each upgrade refused while the shard was down
  // (HAProxy's 503) is not the app's; anything else is.
  for (const p of [laptop, ann.page, bea.page]) assert.deepEqual(appErrors(p, cluster.shardUrl(1)), []);
  await laptopCtx.close();
  await ann.ctx.close();
  await bea.ctx.close();
});
