// The relay at council scale, end to end: PostgreSQL, two shards
// each with an active relay and a standby (relay/server.mjs, automerge-repo
// unmodified), HAProxy in front, all started here on free loopback ports
// and stopped at the end. Devices are automerge-repo clients (Node), one
// socket per shard they need, as the app's are.
//
// Run: node --test tests/cluster/   (scripts/test.sh does, after
// `bash scripts/setup.sh --relay-only`). VERBOSE=1 shows the servers' logs.
// No wall-clock limits are asserted here: the time the standby took to
// serve is printed (and measured in BENCHMARKS.md by scripts/bench-cluster.mjs);
// waits give up after a generous time only so that a broken build fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { startCluster, stopOnExit } from '../../relay/lib/cluster.mjs';
import { device, documentIdOnShard, createWithId, A } from '../../relay/lib/client.mjs';
import { shardOf } from '../../relay/lib/shard.mjs';

const SHARDS = 2;
let cluster;
const devices = [];

before(async () => {
  cluster = await startCluster({
    shards: SHARDS,
    fast: true,
    // Leave memory quickly, so the tests also read documents back from PostgreSQL.
    relayEnv: { EVICT_UNWATCHED_MS: '1000' },
    log: process.env.VERBOSE ? line => process.stderr.write(String(line)) : () => {},
  });
  stopOnExit(cluster);
});

after(async () => {
  for (const d of devices) {
    try {
      await d.shutdown();
    } catch { /* already shut down by its test */ }
  }
  await cluster?.stop();
});

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function until(check, what, timeoutMs = 30000) {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) assert.fail(`${what} (gave up after ${timeoutMs} ms)`);
    await sleep(25);
  }
}

/** A device with one socket per shard in `shards`. */
function newDevice(name, shards) {
  const repo = device(shards.map(k => cluster.shardUrl(k)), { peerId: `${name}-${Math.random().toString(36).slice(2, 8)}` });
  devices.push(repo);
  return repo;
}

/** The document on `repo`, once the relay has given it. */
async function open(repo, documentId) {
  const handle = await repo.find(documentId, { allowableStates: ['ready', 'unavailable', 'requesting'] });
  await until(() => handle.isReady(), `${documentId} reaches a device`);
  return handle;
}

const words = handle => [...(handle.doc()?.words ?? [])];
const type = (handle, word) => handle.change(d => { d.words.push(word); });
const sameHistory = (...handles) => {
  const heads = handles.map(h => JSON.stringify([...A.getHeads(h.doc())].sort()));
  return heads.every(h => h === heads[0]);
};
const hasAll = (handle, expected) => {
  const have = new Set(words(handle));
  return expected.every(w => have.has(w));
};

test('the Node shard function still computes every line of tests/fixtures/shard_of.txt (the Rust one is checked against the same table)', () => {
  const table = readFileSync(new URL('../fixtures/shard_of.txt', import.meta.url), 'utf8');
  let lines = 0;
  for (const line of table.split('\n').filter(l => l && !l.startsWith('#'))) {
    const [hex, shards, want] = line.split(' ');
    assert.equal(shardOf(Buffer.from(hex, 'hex'), Number(shards)), Number(want), line);
    lines += 1;
  }
  assert.equal(lines, 252);
});

// One plan on shard 0 for the first four tests, typed into by a carer and a worker.
const plan = { id: documentIdOnShard(0, SHARDS), typed: [] };

test('two devices on one shard converge', async () => {
  plan.carer = newDevice('carer', [0]);
  plan.worker = newDevice('worker', [0]);
  plan.carerDoc = createWithId(plan.carer, plan.id, { words: [] });
  type(plan.carerDoc, 'carer-1');
  plan.typed.push('carer-1');
  plan.workerDoc = await open(plan.worker, plan.id);
  await until(() => hasAll(plan.workerDoc, ['carer-1']), 'the worker sees the carer\'s word');
  type(plan.workerDoc, 'worker-1');
  plan.typed.push('worker-1');
  await until(() => hasAll(plan.carerDoc, plan.typed) && sameHistory(plan.carerDoc, plan.workerDoc), 'both devices hold one history');
  assert.deepEqual(words(plan.carerDoc).sort(), [...plan.typed].sort());
});

test('the active relay killed mid-typing: the standby serves and every word arrives', async t => {
  const [active, standby] = cluster.relays[0];
  let n = 0;
  let typing = true;
  // Both devices type a word every 100 ms (a fast typist's pace), before, during and after the kill.
  const typist = (async () => {
    while (typing) {
      n += 1;
      const c = `carer-k${n}`;
      const w = `worker-k${n}`;
      type(plan.carerDoc, c);
      type(plan.workerDoc, w);
      plan.typed.push(c, w);
      await sleep(100);
    }
  })();
  await sleep(500);
  const killedAt = Date.now();
  await active.kill('SIGKILL');
  const afterKill = `carer-after-kill`;
  type(plan.carerDoc, afterKill);
  plan.typed.push(afterKill);
  // The standby serves: a word typed after the kill reaches the other device.
  await until(() => hasAll(plan.workerDoc, [afterKill]), 'a word typed after the kill reaches the worker through the standby');
  const gap = Date.now() - killedAt;
  t.diagnostic(`the standby served a word typed after SIGKILL ${gap} ms after the kill`);
  const health = await standby.health();
  assert.ok(health.sockets >= 2, `the standby holds the devices' sockets (${health.sockets})`);
  await sleep(500);
  typing = false;
  await typist;
  await until(() => hasAll(plan.carerDoc, plan.typed) && hasAll(plan.workerDoc, plan.typed) && sameHistory(plan.carerDoc, plan.workerDoc),
    'every word typed by either device reaches the other');
  assert.equal(new Set(words(plan.carerDoc)).size, plan.typed.length, 'no word twice, none missing');
});

test('the killed relay restarted: the devices move back and a fresh device sees one history (no split)', async () => {
  const [active, standby] = cluster.relays[0];
  await active.start();
  // HAProxy marks it up and shuts the standby's sessions; the devices reconnect to it.
  await until(async () => (await active.health()).sockets >= 2 && (await standby.health()).sockets === 0,
    'the devices are back on the active relay and none on the standby');
  type(plan.carerDoc, 'carer-back');
  type(plan.workerDoc, 'worker-back');
  plan.typed.push('carer-back', 'worker-back');
  plan.fresh = newDevice('fresh', [0]);
  const freshDoc = await open(plan.fresh, plan.id);
  await until(() => [plan.carerDoc, plan.workerDoc, freshDoc].every(h => hasAll(h, plan.typed))
    && sameHistory(plan.carerDoc, plan.workerDoc, freshDoc), 'all three devices hold every word, with the same heads');
  assert.deepEqual(words(freshDoc), words(plan.carerDoc));
  // The standby let the plan go once nobody watched it there (its memory is fresh if it takes over again).
  await until(async () => (await standby.health()).documents.held === 0, 'the standby holds no document');
});

test('PostgreSQL restarted mid-sync: nothing is lost, in the devices or in the database', async () => {
  let n = 0;
  let typing = true;
  const typist = (async () => {
    while (typing) {
      n += 1;
      type(plan.carerDoc, `carer-pg${n}`);
      type(plan.workerDoc, `worker-pg${n}`);
      plan.typed.push(`carer-pg${n}`, `worker-pg${n}`);
      await sleep(100);
    }
  })();
  await sleep(300);
  await cluster.postgres.restart(1500);
  await sleep(500);
  typing = false;
  await typist;
  await until(() => hasAll(plan.carerDoc, plan.typed) && hasAll(plan.workerDoc, plan.typed) && sameHistory(plan.carerDoc, plan.workerDoc),
    'both devices hold every word');
  // Everyone leaves; the relay saves and lets the plan go, then a new
  // device reads it back: from PostgreSQL, the only copy left.
  await Promise.all([plan.carer, plan.worker, plan.fresh].map(d => d.shutdown()));
  const [active] = cluster.relays[0];
  await until(async () => (await active.health()).documents.held === 0, 'the relay saved the plan and dropped it from memory');
  const later = newDevice('later', [0]);
  const laterDoc = await open(later, plan.id);
  await until(() => hasAll(laterDoc, plan.typed), 'a device arriving later gets every word from the database');
  assert.equal(words(laterDoc).length, plan.typed.length);
});

test('a caseload spanning two shards syncs over two sockets; a shard refuses the other shard\'s plans', async () => {
  const ids = [documentIdOnShard(0, SHARDS), documentIdOnShard(1, SHARDS)];
  const worker = newDevice('caseload', [0, 1]);
  const carers = ids.map((id, k) => newDevice(`carer-s${k}`, [k]));
  const carerDocs = ids.map((id, k) => createWithId(carers[k], id, { words: [] }));
  carerDocs.forEach((doc, k) => type(doc, `from-carer-${k}`));
  const workerDocs = await Promise.all(ids.map(id => open(worker, id)));
  workerDocs.forEach((doc, k) => type(doc, `from-worker-${k}`));
  for (let k = 0; k < 2; k += 1) {
    await until(() => hasAll(carerDocs[k], [`from-carer-${k}`, `from-worker-${k}`])
      && hasAll(workerDocs[k], [`from-carer-${k}`, `from-worker-${k}`]), `shard ${k}'s plan syncs both ways`);
  }
  const health = await Promise.all(cluster.relays.map(([active]) => active.health()));
  assert.ok(health.every(h => h.sockets >= 2), 'each shard\'s active relay holds the worker\'s socket and its carer\'s');

  // Asking shard 1 for shard 0's plan: unavailable, never served there.
  const stray = newDevice('stray', [1]);
  await assert.rejects(stray.find(ids[0]), /unavailable/);
});

test('HAProxy reloaded mid-sync, then both relays of a shard down for a while: the devices retry and every change arrives', async () => {
  const id = documentIdOnShard(1, SHARDS);
  const carer = newDevice('carer-outage', [1]);
  const worker = newDevice('worker-outage', [1]);
  const carerDoc = createWithId(carer, id, { words: [] });
  type(carerDoc, 'before');
  const workerDoc = await open(worker, id);
  const typed = ['before'];
  let n = 0;
  let typing = true;
  const typist = (async () => {
    while (typing) {
      n += 1;
      type(carerDoc, `carer-o${n}`);
      type(workerDoc, `worker-o${n}`);
      typed.push(`carer-o${n}`, `worker-o${n}`);
      await sleep(100);
    }
  })();
  await sleep(300);
  cluster.haproxy.reload();
  await sleep(700);
  const [active, standby] = cluster.relays[1];
  await Promise.all([active.kill('SIGKILL'), standby.kill('SIGKILL')]);
  await sleep(3000); // typing on, nowhere to send it
  await standby.start();
  await active.start();
  await sleep(300);
  typing = false;
  await typist;
  await until(() => hasAll(carerDoc, typed) && hasAll(workerDoc, typed) && sameHistory(carerDoc, workerDoc),
    'every word typed before, during and after the outage reaches the other device');
  assert.equal(new Set(words(workerDoc)).size, typed.length);
});

test('a device whose socket dropped with a change in flight gets that change after it reconnects to the same relay', async () => {
  // The worker reaches HAProxy through a proxy that can swallow what the
  // relay sends and then cut the connection, as a phone changing networks does.
  let swallow = false;
  const open = new Set();
  const proxy = createServer(client => {
    const upstream = connect(cluster.port, '127.0.0.1');
    open.add(client).add(upstream);
    client.on('data', d => upstream.write(d));
    upstream.on('data', d => { if (!swallow) client.write(d); });
    const end = () => { client.destroy(); upstream.destroy(); open.delete(client); open.delete(upstream); };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise(resolve => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const id = documentIdOnShard(0, SHARDS);
    const carer = newDevice('carer-drop', [0]);
    const worker = device([`ws://127.0.0.1:${proxy.address().port}/s/0`], { peerId: `worker-drop-${Math.random().toString(36).slice(2, 8)}` });
    devices.push(worker);
    const carerDoc = createWithId(carer, id, { words: [] });
    type(carerDoc, 'before');
    const workerDoc = await (async () => {
      const handle = await worker.find(id, { allowableStates: ['ready', 'unavailable', 'requesting'] });
      await until(() => handle.isReady(), 'the worker has the plan');
      return handle;
    })();
    await until(() => hasAll(workerDoc, ['before']), 'the worker sees the first word');
    swallow = true;
    type(carerDoc, 'in-flight');
    // The relay has the word and has sent it towards the worker (into the proxy).
    await sleep(1500);
    for (const socket of open) socket.destroy();
    swallow = false;
    type(workerDoc, 'worker-after');
    await until(() => hasAll(workerDoc, ['before', 'in-flight', 'worker-after']) && hasAll(carerDoc, ['before', 'in-flight', 'worker-after']),
      'the word that went down with the old socket reaches the worker after it reconnects', 20000);
  } finally {
    proxy.close();
    for (const socket of open) socket.destroy();
  }
});
