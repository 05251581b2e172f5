// Load benchmark of the relay at council scale (figures in
// BENCHMARKS.md, never asserted in tests). Starts the cluster of
// relay/lib/cluster.mjs (PostgreSQL with fsync on, N shards × active +
// standby, HAProxy), then simulates plans: each plan is a carer's device
// and a worker's device, each its own automerge-repo client (Node) with its
// own socket through HAProxy to the plan's shard, adding a sealed-bundle-
// sized entry (300 random bytes, as the app's AES-GCM bundles are opaque)
// to the plan's map `b` every INTERVAL ms on average.
//
// Measures: change → other device p50/p95/p99; changes/s; relay CPU per
// change and memory; documents held and memory after the devices leave
// (eviction); database size per plan; the failover gap when shard 0's
// active relay is SIGKILLed mid-load; changes not delivered after waiting up
// to 3 minutes once the load stops (must be 0); the machine's load average.
//
//   node scripts/bench-cluster.mjs [--plans 500] [--shards 2] [--interval 5000] [--seconds 60] [--no-failover]
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { startCluster, stopOnExit } from '../relay/lib/cluster.mjs';
import { device, documentIdOnShard, createWithId } from '../relay/lib/client.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PLANS = arg('plans', 500);
const SHARDS = arg('shards', 2);
const INTERVAL = arg('interval', 5000);
const SECONDS = arg('seconds', 60);
const FAILOVER = !process.argv.includes('--no-failover');
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const say = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

const cpuSeconds = pid => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
};
const pct = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);

// A device whose document took over 60 s to arrive (automerge-repo's own
// timeout) is counted, not fatal: an overloaded run says so in its result.
let libraryTimeouts = 0;
let libraryErrors = 0;
process.on('unhandledRejection', err => {
  if (/timed out/.test(String(err?.message))) libraryTimeouts += 1;
  else libraryErrors += 1;
});
// automerge-repo logs each message it could not take in (and recovers on
// the next): count them rather than print thousands of lines.
let messagesDropped = 0;
const log = console.log;
console.log = (...a) => {
  if (a[0] === 'error receiving message') messagesDropped += 1;
  else log(...a);
};

const loadAtStart = loadavg().map(x => +x.toFixed(1));
say(`starting the cluster: ${SHARDS} shards (machine load average ${loadAtStart.join(' ')})`);
const cluster = await startCluster({
  shards: SHARDS,
  limits: { maxSocketsPerAddress: 100000, newSocketsPer10sPerAddress: 100000, maxconn: 9000 },
});
stopOnExit(cluster);

const latencies = [];
const sent = new Map(); // `${plan}|${side}` -> count sent
const seen = new Map(); // `${plan}|${side}` -> Set of seq seen by the other side
let afterKill = null; // { at, firstDelivered }

say(`connecting ${PLANS} plans (${PLANS * 2} devices)`);
const plans = [];
for (let p = 0; p < PLANS; p += 1) {
  const k = p % SHARDS;
  const id = documentIdOnShard(k, SHARDS);
  const url = cluster.shardUrl(k);
  const carer = device([url], { peerId: `c${p}`, retryMs: 500 });
  const worker = device([url], { peerId: `w${p}`, retryMs: 500 });
  const carerDoc = createWithId(carer, id, { b: {} });
  plans.push({ p, k, id, carer, worker, carerDoc });
  // In batches of 50: each batch's worker holds its plan before the next starts.
  if (p % 50 === 49 || p === PLANS - 1) {
    const batch = plans.slice(-(((p) % 50) + 1));
    for (const plan of batch) {
      plan.workerDoc = await plan.worker.find(plan.id, { allowableStates: ['ready', 'unavailable', 'requesting'] });
    }
    for (const plan of batch) while (!plan.workerDoc.isReady()) await sleep(50);
  }
}
for (const plan of plans) {
  for (const [side, doc] of [['c', plan.workerDoc], ['w', plan.carerDoc]]) {
    // `doc` is the other side's copy: it sees `side`'s changes arrive.
    const key = `${plan.p}|${side}`;
    seen.set(key, new Set());
    doc.on('change', ({ patches }) => {
      const now = Date.now();
      for (const patch of patches) {
        if (patch.path[0] !== 'b' || patch.path.length !== 2 || patch.action !== 'put') continue;
        const [who, seq, ts] = String(patch.path[1]).split('|');
        if (who !== side) continue;
        const set = seen.get(key);
        if (set.has(seq)) continue;
        set.add(seq);
        latencies.push(now - Number(ts));
        if (afterKill && plan.k === 0 && Number(ts) > afterKill.at && !afterKill.firstDelivered) afterKill.firstDelivered = now;
      }
    });
  }
}
say('all devices hold their plan; load starts');

const relays = cluster.relays.flat();
const cpuBefore = new Map(relays.map(r => [r.name, cpuSeconds(r.pid)]));
let running = true;
let changes = 0;
const typist = async (plan, side) => {
  const doc = side === 'c' ? plan.carerDoc : plan.workerDoc;
  let seq = 0;
  await sleep(Math.random() * INTERVAL);
  while (running) {
    seq += 1;
    const key = `${side}|${seq}|${Date.now()}`;
    doc.change(d => { d.b[key] = randomBytes(300); });
    sent.set(`${plan.p}|${side}`, seq);
    changes += 1;
    await sleep(INTERVAL * (0.5 + Math.random()));
  }
};
const started = Date.now();
const typists = plans.flatMap(plan => [typist(plan, 'c'), typist(plan, 'w')]);
let failoverGap = null;
if (FAILOVER) {
  await sleep((SECONDS * 1000) / 2);
  const [active] = cluster.relays[0];
  say('SIGKILL shard 0 active relay');
  afterKill = { at: Date.now(), firstDelivered: null };
  await active.kill('SIGKILL');
  await sleep((SECONDS * 1000) / 2);
  failoverGap = afterKill.firstDelivered ? (afterKill.firstDelivered - afterKill.at) / 1000 : null;
} else {
  await sleep(SECONDS * 1000);
}
running = false;
await Promise.all(typists);
const loadSeconds = (Date.now() - started) / 1000;
const cpuUsed = relays.filter(r => r.running).reduce((s, r) => s + cpuSeconds(r.pid) - cpuBefore.get(r.name), 0);
say(`load stopped after ${loadSeconds.toFixed(0)} s; waiting for every change to arrive`);

const missing = () => {
  let n = 0;
  for (const [key, count] of sent) n += count - seen.get(key).size;
  return n;
};
const waitStart = Date.now();
while (missing() > 0 && Date.now() - waitStart < 180000) await sleep(500);
const lost = missing();
const drainSeconds = (Date.now() - waitStart) / 1000;
// What is missing, read from the documents themselves (not the change events).
const missingDetail = [];
for (const plan of plans) {
  for (const [side, from, to] of [['c', plan.carerDoc, plan.workerDoc], ['w', plan.workerDoc, plan.carerDoc]]) {
    const have = new Set(Object.keys(to.doc().b));
    for (const key of Object.keys(from.doc().b)) {
      if (!key.startsWith(`${side}|`) || have.has(key)) continue;
      const ts = Number(key.split('|')[2]);
      missingDetail.push(`plan ${plan.p} (shard ${plan.k}) ${key}: typed ${afterKill ? ((ts - afterKill.at) / 1000).toFixed(1) + ' s after the kill' : ''}`);
    }
  }
}
// For the first few plans with something missing: where it is stuck.
const stuck = [];
for (const plan of plans) {
  if (stuck.length >= 4) break;
  for (const [side, from, to, fromRepo, toRepo] of [['c', plan.carerDoc, plan.workerDoc, plan.carer, plan.worker], ['w', plan.workerDoc, plan.carerDoc, plan.worker, plan.carer]]) {
    const have = new Set(Object.keys(to.doc().b));
    const lacking = Object.keys(from.doc().b).filter(k => k.startsWith(`${side}|`) && !have.has(k));
    if (!lacking.length) continue;
    const fresh = device([cluster.shardUrl(plan.k)], { peerId: `probe-${plan.p}-${side}` });
    const h = await fresh.find(plan.id, { allowableStates: ['ready', 'unavailable', 'requesting'] });
    const t = Date.now();
    while (!h.isReady() && Date.now() - t < 10000) await sleep(100);
    await sleep(2000);
    const relayHas = h.isReady() ? lacking.filter(k => k in h.doc().b).length : 'unavailable';
    const sock = r => r.networkSubsystem.adapters.map(a => a.socket?.readyState).join(',');
    // Does a change made by the receiver (a new sync round) bring them?
    to.change(d => { d.b[`probe|${side}|0`] = new Uint8Array(1); });
    await sleep(3000);
    const afterPoke = lacking.filter(k => k in to.doc().b).length;
    stuck.push(`plan ${plan.p} shard ${plan.k}: ${lacking.length} of ${side}'s changes missing at the other device; a fresh device got ${relayHas} of them from the relay; after the receiver made a change of its own it had ${afterPoke}; sender peers ${JSON.stringify(fromRepo.peers)} sockets ${sock(fromRepo)}, receiver peers ${JSON.stringify(toRepo.peers)} sockets ${sock(toRepo)}`);
    fresh.shutdown();
    break;
  }
}
const healthNow = await Promise.all(relays.filter(r => r.running).map(r => r.health().then(h => ({ name: r.name, ...h }))));

const sorted = [...latencies].sort((a, b) => a - b);
const dbBytes = cluster.postgres.sizeBytes();
say('devices leave; waiting 20 s for the relays to drop idle documents');
for (const plan of plans) { plan.carer.shutdown(); plan.worker.shutdown(); }
await sleep(20000);
const healthAfter = await Promise.all(relays.filter(r => r.running).map(r => r.health().then(h => ({ name: r.name, ...h }))));
const mib = b => (b / 1048576).toFixed(0);

const result = {
  plans: PLANS,
  shards: SHARDS,
  devices: PLANS * 2,
  changes,
  changesPerSecond: +(changes / loadSeconds).toFixed(0),
  latencyMs: { p50: pct(sorted, 0.5), p95: pct(sorted, 0.95), p99: pct(sorted, 0.99), max: sorted.at(-1) },
  relayCpuMsPerChange: +((cpuUsed * 1000) / changes).toFixed(2),
  relaysDuringLoad: healthNow.map(h => `${h.name}: ${h.sockets} sockets, ${h.documents.held} documents, RSS ${mib(h.memory.rss)} MiB, save p50/p95 ${h.saves.p50Ms}/${h.saves.p95Ms} ms`),
  relaysAfterLeaving: healthAfter.map(h => `${h.name}: ${h.documents.held} documents, RSS ${mib(h.memory.rss)} MiB, heap ${mib(h.memory.heapUsed)} MiB`),
  databaseBytesPerPlan: Math.round(dbBytes / PLANS),
  failoverGapSeconds: failoverGap,
  changesNotDeliveredAfterDrain: lost,
  drainSeconds: +drainSeconds.toFixed(1),
  missingInDocuments: missingDetail.slice(0, 8),
  stuck,
  loadAverage: { atStart: loadAtStart, atEnd: loadavg().map(x => +x.toFixed(1)) },
  clientTimeouts: libraryTimeouts,
  clientErrors: libraryErrors,
  clientMessagesDropped: messagesDropped,
};
console.log(JSON.stringify(result, null, 2));
await cluster.stop();
process.exit(0);
