// Relay CPU per change (BENCHMARKS.md, "Relay CPU per change (#23, item
// 4)"); figures only, nothing asserted. One relay (relay/server.mjs, as
// deployed: file storage, or PostgreSQL with --pg) at normal priority; this
// process then lowers its own priority (nice 10) and simulates PLANS plans,
// each a carer's device and a worker's device (automerge-repo clients,
// relay/lib/client.mjs, one socket each), both already holding HISTORY
// sealed bundles of BYTES random bytes. Each device then adds one bundle
// (a root key `<writer>-<seq>`, as src/share/sync/keep.rs puts them) every
// INTERVAL ms on average for SECONDS, and the other device must receive it.
//
// What is measured is the relay process's own CPU time (utime + stime from
// /proc/<pid>/stat), from the first change of the load until every change
// has reached the other device and the relay has saved, divided by the
// changes: on this shared 2-core machine wall-clock rates say little, CPU
// time says what a change costs. The relay's idle CPU over the same length
// of time (measured before the load) is printed beside it.
//
//   node scripts/bench-relay-cpu.mjs [--plans 200] [--history 0] [--bytes 300]
//     [--interval 5000] [--seconds 30] [--layout root|shelves] [--pg]
//     [--shards N]  (the relay serves shard 0 of N, as in the cluster;
//       every plan is on it)
//     [--profile out.cpuprofile]
//     [--env KEY=VALUE …]  (extra settings for the relay)
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir, loadavg, setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPostgres } from '../relay/lib/cluster.mjs';
import { A, device, documentIdOnShard } from '../relay/lib/client.mjs';
import { summarise } from './relay-profile-summary.mjs';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const PLANS = Number(arg('plans', 200));
const HISTORY = Number(arg('history', 0));
const BYTES = Number(arg('bytes', 300));
const INTERVAL = Number(arg('interval', 5000));
const SECONDS = Number(arg('seconds', 30));
const PG = argv.includes('--pg');
const SHARDS = Number(arg('shards', 0));
const PROFILE = arg('profile', undefined);
// Where a device puts a bundle: a key of the document's root (`root`, as
// the app does) or a key of one of 64 maps the document's first change
// made (`shelves`, as tried in commit 69056f6 and reverted: BENCHMARKS.md,
// "Relay CPU per change (#23, item 4)").
const LAYOUT = arg('layout', 'root');
if (!['root', 'shelves'].includes(LAYOUT)) throw new Error(`--layout root or shelves, not ${LAYOUT}`);
const SHELVES = 64;
const shelfName = i => `s${String(i).padStart(2, '0')}`;
const spread = writer => [...writer].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 0);
const place = (d, writer, seq, bytes) => {
  const key = `${writer}-${String(seq).padStart(8, '0')}`;
  const shelf = d[shelfName((spread(writer) + seq) % SHELVES)];
  if (LAYOUT === 'shelves' && shelf) shelf[key] = bytes;
  else d[key] = bytes;
  return key;
};
const extraEnv = Object.fromEntries(argv.flatMap((a, i) => (a === '--env' ? [argv[i + 1].split(/=(.*)/s).slice(0, 2)] : [])));

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const say = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const TICK = 100; // clock ticks per second in /proc (USER_HZ)
const cpuTimes = pid => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(f[11]) / TICK, system: Number(f[12]) / TICK };
};
const cpuSeconds = pid => {
  const { user, system } = cpuTimes(pid);
  return user + system;
};
// The same for the main thread (JavaScript and WebAssembly) and for the
// others (V8's garbage collection and compilers, libuv's pool for files).
const cpuByThread = pid => {
  const out = { main: 0, others: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out[tid === String(pid) ? 'main' : 'others'] += cpuSeconds(`${pid}/task/${tid}`);
    } catch { /* the thread ended */ }
  }
  return out;
};
const pct = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);

// automerge-repo logs each message it could not take in: count them.
let messagesDropped = 0;
const log = console.log;
console.log = (...a) => {
  if (a[0] === 'error receiving message') messagesDropped += 1;
  else log(...a);
};

const dir = mkdtempSync(join(tmpdir(), 'relay-cpu-'));
const postgres = PG ? await startPostgres() : undefined;
const port = await freePort();
const server = fileURLToPath(new URL('../relay/server.mjs', import.meta.url));
const preload = fileURLToPath(new URL('./relay-profile.mjs', import.meta.url));
const profileFile = PROFILE ? join(dir, 'relay.cpuprofile') : undefined;
const relay = spawn(process.execPath, ['--import', preload, server], {
  env: {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: join(dir, 'data'),
    ...(postgres ? { DATABASE_URL: postgres.databaseUrl } : {}),
    ...(profileFile ? { RELAY_PROFILE: profileFile } : {}),
    ...(SHARDS > 1 ? { SHARDS: String(SHARDS), SHARD: '0' } : {}),
    EXIT_WITH_PARENT: '1',
    ...extraEnv,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let relayOut = '';
relay.stdout.on('data', d => { relayOut += d; });
relay.stderr.on('data', d => { relayOut += d; });
while (!/listening/.test(relayOut)) {
  if (relay.exitCode !== null) throw new Error(`relay exited:\n${relayOut}`);
  await sleep(50);
}
relay.once('exit', (code, signal) => {
  if (stopping) return;
  console.error(`relay exited (${code ?? signal}):\n${relayOut.slice(-4000)}`);
  process.exit(1);
});
let stopping = false;
const stopAll = async () => {
  stopping = true;
  relay.kill('SIGTERM');
  await new Promise(resolve => (relay.exitCode !== null ? resolve() : relay.once('exit', resolve)));
  await postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
};
// The simulated devices must not take the relay's CPU: lower our own priority.
setPriority(0, 10);
const url = `ws://127.0.0.1:${port}`;
say(`relay pid ${relay.pid} on ${url} (${PG ? 'PostgreSQL' : 'files'}${SHARDS > 1 ? `, shard 0 of ${SHARDS}` : ''}); ${PLANS} plans with ${HISTORY} bundles each`);

/** A sealed document with a list of devices and `count` bundles by
 * `writer`, one change each, as a device's (no time, no message). */
function history(writer, count) {
  let doc = A.change(A.init(), { time: 0 }, d => {
    if (LAYOUT === 'shelves') for (let i = 0; i < SHELVES; i += 1) d[shelfName(i)] = {};
  });
  doc = A.change(doc, { time: 0 }, d => { d[`a${writer}-00000000`] = randomBytes(BYTES); });
  for (let i = 0; i < count; i += 1) {
    doc = A.change(doc, { time: 0 }, d => { place(d, writer, i, randomBytes(BYTES)); });
  }
  return A.save(doc);
}

// One history for every plan (its changes are the same bytes in each plan's
// document, which the relay holds and syncs separately all the same):
// making 500 changes for each of hundreds of plans would take minutes.
const saved = history('dold.0', HISTORY);
const plans = [];
const latencies = [];
const sentAt = new Map(); // key -> ms
const arrived = new Set();
// Every plan's first bundle from both sides must arrive before the load:
// then both devices and the relay hold the whole history. Plans join in
// batches of 25, each batch in step before the next (hundreds of devices
// sending large documents at once is a reconnect storm, not the load).
const put = (plan, side, seq) => {
  const doc = side === 'c' ? plan.carerDoc : plan.workerDoc;
  const at = Date.now();
  doc.change(d => { sentAt.set(place(d, `d${side}${plan.p}.now`, seq, randomBytes(BYTES)), at); }, { time: 0 });
};
// A device whose socket the relay dropped (it pings every 5 s and drops a
// socket that did not answer) joins again: counted, as a sign of a starved run.
// Messages are counted both ways: what the relay takes in and sends out
// per change.
let reconnects = 0;
const messages = { toRelay: 0, fromRelay: 0 };
const counted = repo => {
  let joined = 0;
  repo.networkSubsystem.on('peer', () => { joined += 1; if (joined > 1) reconnects += 1; });
  repo.networkSubsystem.on('message', () => { messages.fromRelay += 1; });
  const send = repo.networkSubsystem.send.bind(repo.networkSubsystem);
  repo.networkSubsystem.send = message => { messages.toRelay += 1; return send(message); };
  return repo;
};
const setupStart = Date.now();
for (let p = 0; p < PLANS; p += 1) {
  const documentId = documentIdOnShard(0, Math.max(1, SHARDS));
  const carer = counted(device([url], { peerId: `c${p}-${randomBytes(3).toString('hex')}`, retryMs: 1000 }));
  const worker = counted(device([url], { peerId: `w${p}-${randomBytes(3).toString('hex')}`, retryMs: 1000 }));
  const carerDoc = carer.import(saved, { docId: documentId });
  const workerDoc = worker.import(saved, { docId: documentId });
  const plan = { p, documentId, carer, worker, carerDoc, workerDoc };
  for (const [to, from] of [[workerDoc, 'c'], [carerDoc, 'w']]) {
    to.on('change', ({ patches }) => {
      const now = Date.now();
      for (const patch of patches) {
        const key = String(patch.path.at(-1));
        if (patch.action !== 'put' || !key.startsWith(`d${from}${p}.`)) continue;
        if (arrived.has(key) || !sentAt.has(key)) continue;
        arrived.add(key);
        latencies.push(now - sentAt.get(key));
      }
    });
  }
  plans.push(plan);
  if (p % 25 === 24 || p === PLANS - 1) {
    const batch = plans.slice(-((p % 25) + 1));
    for (const b of batch) await Promise.all([b.carerDoc.whenReady(), b.workerDoc.whenReady()]);
    for (const b of batch) { put(b, 'c', 0); put(b, 'w', 0); }
    while (arrived.size < sentAt.size) {
      if (Date.now() - setupStart > 600000) throw new Error(`setup: ${sentAt.size - arrived.size} first bundles never arrived`);
      await sleep(100);
    }
  }
}
say(`every plan in step after ${((Date.now() - setupStart) / 1000).toFixed(1)} s; waiting for the relay to go quiet`);
// Quiet: under 5 % of a core for 2 s (it saves and evicts after the setup).
for (let i = 0; i < 60; i += 1) {
  const before = cpuSeconds(relay.pid);
  await sleep(2000);
  if (cpuSeconds(relay.pid) - before < 0.1) break;
}
const reconnectsBefore = reconnects;
const messagesBefore = { ...messages };
const idleSeconds = 5;
const idle0 = cpuSeconds(relay.pid);
await sleep(idleSeconds * 1000);
const idleCpuPerSecond = (cpuSeconds(relay.pid) - idle0) / idleSeconds;
latencies.length = 0;

if (profileFile) relay.kill('SIGUSR2');
await sleep(100);
const load0 = cpuSeconds(relay.pid);
const times0 = cpuTimes(relay.pid);
const threads0 = cpuByThread(relay.pid);
const loadAt = Date.now();
const loadAverageAtStart = loadavg()[0];
let running = true;
let changes = 0;
const typist = async (plan, side) => {
  let seq = 1;
  await sleep(Math.random() * INTERVAL);
  while (running) {
    put(plan, side, seq);
    seq += 1;
    changes += 1;
    await sleep(INTERVAL * (0.5 + Math.random()));
  }
};
const typists = plans.flatMap(plan => [typist(plan, 'c'), typist(plan, 'w')]);
await sleep(SECONDS * 1000);
running = false;
await Promise.all(typists);
const drainStart = Date.now();
while (arrived.size < sentAt.size && Date.now() - drainStart < 120000) await sleep(100);
await sleep(500); // the relay saves ≈ 100 ms after a change
const cpu = cpuSeconds(relay.pid) - load0;
const times1 = cpuTimes(relay.pid);
const threads = Object.fromEntries(Object.entries(cpuByThread(relay.pid))
  .map(([name, s]) => [name, +(s - threads0[name]).toFixed(2)]));
const wallSeconds = (Date.now() - loadAt) / 1000;
if (profileFile) relay.kill('SIGUSR2');
const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
let profile;
if (profileFile) {
  for (let i = 0; i < 100 && !/profile written/.test(relayOut); i += 1) await sleep(100);
  profile = summarise(JSON.parse(readFileSync(profileFile, 'utf8')));
  if (PROFILE !== '-') {
    const { copyFileSync } = await import('node:fs');
    copyFileSync(profileFile, PROFILE);
  }
}
const sorted = [...latencies].sort((a, b) => a - b);
const result = {
  storage: PG ? 'PostgreSQL' : 'files',
  shards: SHARDS > 1 ? SHARDS : null,
  layout: LAYOUT,
  relayEnv: extraEnv,
  plans: PLANS,
  historyBundles: HISTORY,
  bundleBytes: BYTES,
  changes,
  changesPerSecond: +(changes / SECONDS).toFixed(1),
  notDelivered: sentAt.size - arrived.size,
  relayCpuSeconds: +cpu.toFixed(2),
  relayCpuMsPerChange: +((cpu * 1000) / changes).toFixed(2),
  relayIdleCpuMsPerChange: +((idleCpuPerSecond * wallSeconds * 1000) / changes).toFixed(2),
  relayCpuSecondsByThread: threads,
  relayCpuSecondsUserSystem: [+(times1.user - times0.user).toFixed(2), +(times1.system - times0.system).toFixed(2)],
  relayCpuShareOfOneCore: +(cpu / wallSeconds).toFixed(2),
  latencyMs: { p50: pct(sorted, 0.5), p95: pct(sorted, 0.95), p99: pct(sorted, 0.99) },
  relay: { documents: health.documents, rssMiB: Math.round(health.memory.rss / 1048576), saves: health.saves },
  loadAverage: [+loadAverageAtStart.toFixed(1), +loadavg()[0].toFixed(1)],
  clientMessagesDropped: messagesDropped,
  reconnectsDuringLoad: reconnects - reconnectsBefore,
  messagesPerChange: {
    toRelay: +((messages.toRelay - messagesBefore.toRelay) / changes).toFixed(2),
    fromRelay: +((messages.fromRelay - messagesBefore.fromRelay) / changes).toFixed(2),
  },
  ...(profile ? { profile } : {}),
};
console.log(JSON.stringify(result, null, 2));
for (const plan of plans) { plan.carer.shutdown(); plan.worker.shutdown(); }
await stopAll();
process.exit(0);
