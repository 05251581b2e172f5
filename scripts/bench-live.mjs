// Live-sync benchmarks (not tests: nothing here passes or fails),
// through the real relay (relay/server.mjs: automerge-repo 2.5.6's sync
// server) on the loopback port the build's dist/relay.json names.
//
//   keystroke  a carer (phone size) types into her finances answer one key
//              at a time, at human pace (each key waits until it is on the
//              worker's screen) and at a burst of 8 keys a second; from the
//              keydown (Date.now in the carer's page) to the moment the
//              worker's area page shows that key in "What the carer said"
//              (a MutationObserver in the worker's page, Date.now). Both
//              pages are in one Chromium on one machine, so one clock.
//   bytes      every websocket frame both pages sent and received while
//              typing, per key; what the relay stored under DATA_DIR.
//   caseload   300 kept-in-step plans on the worker's laptop, each with one
//              carer change waiting on the relay (made natively by
//              examples/live_caseload.rs, the relay seeded with repo.import):
//              from opening the app to every plan's change taken in and
//              saved, the longest task meanwhile.
//
//   flood      the carer types at 8 keys a second while a pass-through in
//              front of the relay sends her page 3,000 valid frames a
//              second (the relay's last frame again and again): keydown to
//              the next paint, with and without, and whether every key was
//              kept and reached the worker; then one 50 MB frame.
//
// Run by scripts/bench.mjs (benchLive): `bash scripts/bench.sh live` runs
// only these and prints every figure behind the rows. LIVE_ONLY=keys,
// LIVE_ONLY=flood or LIVE_ONLY=caseload runs one of its parts.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:net';
import { newPage, saved, PHONE, LAPTOP, startPlan, startRelay, stopRelay, joinAndAllow } from '../tests/e2e/harness.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const GROUP = 'live sync (Chromium, loopback relay)';
const CASELOAD = 300;
const KEYS = 60;
// Realistic words, 60 keys each (spaces included).
const HUMAN_WORDS = 'The gas bill went up again and I had to ask my son for help.';
const BURST_WORDS = ' We are behind on the council tax since Mum went into hospit';

function relayPort() {
  const relay = JSON.parse(readFileSync(join(ROOT, 'dist/relay.json'), 'utf8')).relay ?? '';
  return Number((relay.match(/^ws:\/\/127\.0\.0\.1:(\d+)/) ?? [])[1]) || null;
}

/// CPU time (user + system) a process has used, in ms (Linux).
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch { return NaN; }
}
function bytesUnder(dir) {
  let total = 0; let files = 0;
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p); else { total += statSync(p).size; files += 1; }
    }
  };
  walk(dir);
  return { total, files };
}

/// Every websocket frame's payload bytes, counted while `meter.on`.
function meterFrames(page, meter, side) {
  page.on('websocket', (ws) => {
    const count = (dir) => (f) => {
      if (!meter.on) return;
      const n = typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
      meter[`${side} ${dir}`] = (meter[`${side} ${dir}`] ?? 0) + n;
      meter.frames += 1;
    };
    ws.on('framesent', count('sent'));
    ws.on('framereceived', count('received'));
  });
}

// ---- 1 and 2: keystroke to the other screen; bytes per keystroke --------

async function keystrokes({ browser, server, port, row }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-bench-relay-'));
  const relay = await startRelay(port, dataDir);
  const phoneCtx = await browser.newContext(PHONE);
  const laptopCtx = await browser.newContext(LAPTOP);
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const meter = { on: false, frames: 0 };
  meterFrames(phone, meter, 'carer');
  meterFrames(laptop, meter, 'worker');

  // The carer's plan, kept in step (About you and five areas), as a person does it.
  const id = await startPlan(phone, server.url, { where: 'Scotland' });
  await phone.goto(`${server.url}#/plan/${id}/about-you`);
  await phone.getByLabel('Your full name').fill('Ann Smith');
  const box = phone.locator('#wellbeing-finances-own-words');
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  await box.fill('Money is tight.');
  await saved(phone);
  await phone.goto(`${server.url}#/plan/${id}`);
  await phone.getByTestId('keep-link').click();
  await phone.getByRole('heading', { name: 'Which sections should your key worker see?' }).waitFor();
  await phone.getByLabel('About you', { exact: true }).check();
  for (const a of ['health-wellbeing', 'relationships', 'living-environment', 'finances', 'life-balance']) {
    await phone.locator(`#share-area-${a}`).check();
  }
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByTestId('confirm-keep').click();
  await phone.getByRole('heading', { name: 'Your link is ready' }).waitFor();
  const link = await phone.getByTestId('keep-link').inputValue();

  // The worker's laptop asks; the carer allows it (timed: from the tap on
  // Allow to the plan on the laptop); he opens the finances area.
  await laptop.goto(link.replace(/^https?:\/\/[^/]+\//, server.url));
  await laptop.getByTestId('join-keep').click();
  await laptop.getByRole('heading', { name: 'Waiting for the carer to allow this device' }).waitFor({ timeout: 30_000 });
  // She waits on "Your link is ready": the request shows there.
  await phone.getByTestId('keep-request').waitFor({ timeout: 30_000 });
  const allowAt = Date.now();
  await phone.getByTestId('allow-device').click();
  await laptop.getByRole('heading', { name: 'The plan is on this device' }).waitFor({ timeout: 30_000 });
  row(GROUP, "allowing a device: from the carer's tap on Allow to the plan on the worker's laptop", [Date.now() - allowAt], 'ms');
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);
  const shown = laptop.locator('[data-testid=carer-view] p.pre');
  await shown.filter({ hasText: 'Money is tight.' }).waitFor({ timeout: 30_000 });

  // Clocks: keydown in the carer's page; each change of the words in the worker's page.
  await phone.evaluate(() => {
    window.__keys = [];
    document.addEventListener('keydown', () => window.__keys.push(Date.now()), true);
  });
  await laptop.evaluate(() => {
    window.__seen = [];
    let last = null;
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid=carer-view] p.pre')?.textContent ?? null;
      if (t !== last) { last = t; window.__seen.push([Date.now(), t]); }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  await box.focus();
  await phone.keyboard.press('End');
  await phone.waitForTimeout(1000);

  const arrivals = (base, words, keysFrom, seen) => words.split('').map((_, k) => {
    const want = base + words.slice(0, k + 1);
    const hit = seen.find(([, t]) => t != null && t.startsWith(want));
    return hit ? hit[0] - keysFrom[k] : null;
  });
  const results = {};
  let base = 'Money is tight.';
  for (const [pace, words] of [['human pace', HUMAN_WORDS], ['a burst of 8 keys a second', BURST_WORDS]]) {
    const relayBefore = bytesUnder(dataDir).total;
    await phone.evaluate(() => { window.__keys = []; });
    await laptop.evaluate(() => { window.__seen = []; });
    for (const k of Object.keys(meter)) if (k.includes(' ')) delete meter[k];
    meter.frames = 0;
    meter.on = true;
    const t0 = Date.now();
    for (let k = 0; k < words.length; k++) {
      if (pace === 'human pace') {
        await phone.keyboard.type(words[k]);
        await laptop.waitForFunction((want) => document.querySelector('[data-testid=carer-view] p.pre')?.textContent.startsWith(want), base + words.slice(0, k + 1), { timeout: 15_000 });
      } else {
        const wait = t0 + k * 125 - Date.now();
        if (wait > 0) await phone.waitForTimeout(wait);
        await phone.keyboard.type(words[k]);
      }
    }
    await laptop.waitForFunction((want) => document.querySelector('[data-testid=carer-view] p.pre')?.textContent.startsWith(want), base + words, { timeout: 15_000 });
    // Let the replies and acknowledgements of the last keys finish.
    await phone.waitForTimeout(1500);
    meter.on = false;
    const keys = await phone.evaluate(() => window.__keys);
    const seen = await laptop.evaluate(() => window.__seen);
    const lat = arrivals(base, words, keys, seen).filter((x) => x != null);
    const sent = Object.entries(meter).filter(([k]) => k.includes(' '));
    const total = sent.reduce((s, [, v]) => s + v, 0);
    results[pace] = { lat, meter: Object.fromEntries(sent), frames: meter.frames, relay: bytesUnder(dataDir).total - relayBefore };
    row(GROUP, `keystroke on the carer's phone to the worker's screen, ${pace} (${lat.length} keys; includes the 250 ms sealing delay)`, lat, 'ms', 'within 2,000');
    row(GROUP, `bytes on the wire per keystroke, ${pace} (both sockets, both ways: ${meter.frames} frames)`, total / words.length, 'bytes');
    for (const [k, v] of sent) row(GROUP, `… of which ${k}, per keystroke`, v / words.length, 'bytes');
    row(GROUP, `relay storage growth per keystroke, ${pace}`, results[pace].relay / words.length, 'bytes');
    base += words;
  }
  await stopRelay(relay);
  const stored = bytesUnder(dataDir);
  row(GROUP, `relay DATA_DIR after setting up and typing ${2 * KEYS} keys (${stored.files} files)`, stored.total, 'bytes');
  for (const p of [phone, laptop]) if (p.errors.length) console.error('page errors:', p.errors);
  await phoneCtx.close();
  await laptopCtx.close();
  return results;
}

// ---- 4: typing while the relay floods the page ---------------------------

const FLOOD_PER_SECOND = 3000;
const FLOOD_WORDS = 'Respite in June would let me see my sister at last, I think.';

/// A pass-through in front of the real relay, on the port the build names:
/// every frame goes both ways unchanged; while `flood.on`, the last frame
/// the relay sent each page is sent again FLOOD_PER_SECOND times a second
/// (valid sync messages the page must read, as a relay gone wrong would).
async function floodingProxy(port, relayPort) {
  const { WebSocketServer, WebSocket } = await import(pathToFileURL(join(ROOT, 'relay/node_modules/ws/wrapper.mjs')).href);
  const flood = { on: false, sent: 0 };
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('connection', (client) => {
    const up = new WebSocket(`ws://127.0.0.1:${relayPort}`);
    const early = [];
    let last = null;
    up.on('open', () => { for (const m of early.splice(0)) up.send(m); });
    client.on('message', (m) => (up.readyState === WebSocket.OPEN ? up.send(m) : early.push(m)));
    up.on('message', (m, binary) => {
      if (binary) last = m;
      if (client.readyState === WebSocket.OPEN) client.send(m, { binary });
    });
    // Catch up on every tick, so the rate holds however late timers run.
    let owed = 0;
    let tick = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      owed += ((now - tick) * FLOOD_PER_SECOND) / 1000;
      tick = now;
      if (!flood.on || !last || client.readyState !== WebSocket.OPEN) { owed = 0; return; }
      for (; owed >= 1; owed -= 1) { client.send(last, { binary: true }); flood.sent += 1; }
    }, 10);
    flood.huge = (bytes) => { if (client.readyState === WebSocket.OPEN) client.send(Buffer.alloc(bytes, 0xa1), { binary: true }); };
    const close = () => { clearInterval(timer); client.close(); up.close(); };
    client.on('close', close);
    up.on('close', close);
    up.on('error', close);
  });
  await new Promise((ok) => wss.on('listening', ok));
  return { flood, close: () => new Promise((ok) => { for (const c of wss.clients) c.terminate(); wss.close(ok); }) };
}

async function flooded({ browser, server, port, row }) {
  const relayPort = await new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port: p } = s.address(); s.close(() => ok(p)); });
  });
  const relay = await startRelay(relayPort, mkdtempSync(join(tmpdir(), 'csp-bench-flood-')));
  const proxy = await floodingProxy(port, relayPort);
  const phoneCtx = await browser.newContext(PHONE);
  const laptopCtx = await browser.newContext(LAPTOP);
  const phone = await newPage(phoneCtx);
  const laptop = await newPage(laptopCtx, { role: 'key-worker', name: 'Sam Patel' });
  const id = await startPlan(phone, server.url, { where: 'Scotland' });
  await phone.goto(`${server.url}#/plan/${id}`);
  await phone.getByTestId('keep-link').click();
  await phone.getByRole('heading', { name: 'Which sections should your key worker see?' }).waitFor();
  await phone.locator('#share-area-finances').check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByTestId('confirm-keep').click();
  await phone.getByRole('heading', { name: 'Your link is ready' }).waitFor();
  const link = await phone.getByTestId('keep-link').inputValue();
  await joinAndAllow({ worker: laptop, carer: phone, link, id, url: server.url });
  await laptop.goto(`${server.url}#/plan/${id}/area/finances`);

  // In the carer's page: from each keydown to just after the next paint.
  await phone.goto(`${server.url}#/plan/${id}/area/finances`);
  const box = phone.locator('#wellbeing-finances-own-words');
  await box.click();
  await phone.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
    window.__paint = [];
    document.addEventListener('keydown', () => {
      const t = performance.now();
      requestAnimationFrame(() => setTimeout(() => window.__paint.push(performance.now() - t), 0));
    }, true);
  });
  const results = {};
  let typed = '';
  for (const [label, on] of [['no flood', false], [`${FLOOD_PER_SECOND.toLocaleString('en-GB')} frames a second from the relay`, true]]) {
    await phone.evaluate(() => { window.__paint = []; window.__long = []; });
    proxy.flood.on = on;
    proxy.flood.sent = 0;
    const t0 = Date.now();
    if (on) await phone.waitForTimeout(1000); // the flood is under way before the first key
    for (let k = 0; k < FLOOD_WORDS.length; k++) {
      const wait = t0 + (on ? 1000 : 0) + k * 125 - Date.now();
      if (wait > 0) await phone.waitForTimeout(wait);
      await phone.keyboard.type(FLOOD_WORDS[k]);
    }
    await phone.waitForTimeout(500);
    proxy.flood.on = false;
    const seconds = (Date.now() - t0) / 1000;
    typed += FLOOD_WORDS;
    const paint = await phone.evaluate(() => window.__paint);
    const long = await phone.evaluate(() => window.__long);
    const value = await box.inputValue();
    results[label] = { paint, framesSent: proxy.flood.sent, kept: value.endsWith(typed) };
    row(GROUP, `keystroke on the carer's phone to the next paint, ${label} (${paint.length} keys at 8 a second)`, paint, 'ms', 'below 50');
    if (on) row(GROUP, `… frames the pass-through sent meanwhile, per second (${proxy.flood.sent} in ${seconds.toFixed(1)} s)`, proxy.flood.sent / seconds, 'frames/s');
    row(GROUP, `… the carer's page's tasks over 50 ms meanwhile, ${label} (${long.length})`, long.length ? long : [0], 'ms');
    row(GROUP, `… every key kept in the carer's answer, ${label}`, results[label].kept ? 1 : 0, 'yes = 1');
  }
  // One 50 MB frame: refused before it is read; the page's longest task
  // meanwhile, and the words still go through afterwards.
  await phone.evaluate(() => { window.__long = []; window.__paint = []; });
  proxy.flood.huge(50 * 1024 * 1024);
  await phone.waitForTimeout(3000);
  await phone.keyboard.type(' Still here.');
  typed += ' Still here.';
  const hugeLong = await phone.evaluate(() => window.__long);
  const hugePaint = await phone.evaluate(() => window.__paint);
  row(GROUP, `one 50 MB frame from the relay: the carer's page's tasks over 50 ms in the next 3 s (${hugeLong.length})`, hugeLong.length ? hugeLong : [0], 'ms');
  row(GROUP, '… keystroke to the next paint just after it', hugePaint, 'ms');
  // After the flood, the words still reach the worker.
  const arrived = await laptop.locator('[data-testid=carer-view] p.pre').filter({ hasText: typed.trim().slice(-30) }).waitFor({ timeout: 30_000 }).then(() => true, () => false);
  row(GROUP, "after the flood, the carer's words on the worker's screen", arrived ? 1 : 0, 'yes = 1');
  for (const p of [phone, laptop]) if (p.errors.length) console.error('page errors:', p.errors);
  await phoneCtx.close();
  await laptopCtx.close();
  await proxy.close();
  await stopRelay(relay);
  return results;
}

// ---- 3: a caseload of 300 plans kept in step, one change waiting in each

async function seedRelay(src, dataDir) {
  const lib = (p) => pathToFileURL(join(ROOT, 'relay/node_modules/@automerge', p)).href;
  const { Repo } = await import(lib('automerge-repo/dist/entrypoints/fullfat.js'));
  const { NodeFSStorageAdapter } = await import(lib('automerge-repo-storage-nodefs/dist/index.js'));
  const repo = new Repo({ storage: new NodeFSStorageAdapter(dataDir), network: [] });
  for (const docId of readdirSync(src)) repo.import(readFileSync(join(src, docId)), { docId });
  await repo.flush();
  await repo.shutdown();
}

async function caseload({ browser, server, port, row }) {
  const work = mkdtempSync(join(tmpdir(), 'csp-bench-caseload-'));
  const made = JSON.parse(execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'live_caseload', '--', '--out', work, '--plans', String(CASELOAD)], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop());
  const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8'));
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-bench-relay-'));
  // Seeded in a child process (the relay's own packages), then the relay reads it.
  execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--seed', join(work, 'relay'), dataDir], { stdio: 'inherit' });
  const relay = await startRelay(port, dataDir);

  const ctx = await browser.newContext(LAPTOP);
  const p = await newPage(ctx, { role: 'key-worker', name: 'Sam Patel' });
  // The laptop's keys for keeping in step, as the caseload was prepared with.
  const deviceKey = readFileSync(join(work, 'worker', 'device.key'), 'utf8').trim();
  await p.addInitScript((k) => {
    if (location.protocol === 'http:' && !localStorage.getItem('csp-sync-device-key')) {
      localStorage.setItem('csp-sync-device-key', JSON.stringify(k));
    }
  }, deviceKey);
  await p.addInitScript(() => {
    window.__long = [];
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
        .observe({ type: 'longtask', buffered: true });
    } catch { /* no long-task timing in this browser */ }
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail.wasm.memory; });
    // What the app asks of IndexedDB: puts by kind, and reads (the caseload
    // list is the plans store's getAll; a plan's chunks a ranged getAll).
    const io = window.__io = { keepPuts: 0, keepBytes: 0, chunkPuts: 0, chunkBytes: 0, summaryPuts: 0, listReads: 0, rangeReads: 0 };
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      const n = value?.byteLength ?? String(value).length;
      if (this.name === 'plans') io.summaryPuts += 1;
      else if (String(key).startsWith('keep:')) { io.keepPuts += 1; io.keepBytes += n; } else { io.chunkPuts += 1; io.chunkBytes += n; }
      return put.call(this, value, key);
    };
    const getAll = IDBObjectStore.prototype.getAll;
    IDBObjectStore.prototype.getAll = function (...a) {
      if (this.name === 'plans') io.listReads += 1; else io.rangeReads += 1;
      return getAll.apply(this, a);
    };
    // When the caseload is first listed, and when page 1's rows first all say up to date.
    window.__marks = {};
    const watch = setInterval(() => {
      const rows = [...document.querySelectorAll('[data-testid=caseload] tbody tr')];
      if (!rows.length) return;
      window.__marks.listed ??= Date.now() - performance.timeOrigin;
      const synced = (r) => /up to date/.test(r.querySelector('[data-testid=caseload-keep]')?.textContent ?? '');
      if (rows.every(synced)) { window.__marks.firstPageSynced = Date.now() - performance.timeOrigin; clearInterval(watch); }
    }, 20);
  });
  const meter = { on: true, frames: 0 };
  meterFrames(p, meter, 'worker');
  await p.goto(server.url);
  await p.getByRole('heading', { name: 'Your caseload' }).waitFor();
  // What the worker's laptop held: each plan's snapshot, its caseload entry and its keep.
  const records = manifest.map((m) => ({
    chunk: m.chunk_key,
    plan: readFileSync(join(work, 'worker', `${m.plan_id}.plan`)).toString('base64'),
    keep: readFileSync(join(work, 'worker', `${m.plan_id}.keep`)).toString('base64'),
    id: m.plan_id,
    summary: m.summary,
  }));
  await p.evaluate(async (recs) => {
    const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    const tx = db.transaction(['chunks', 'plans'], 'readwrite');
    for (const r of recs) {
      tx.objectStore('chunks').put(bytes(r.plan), r.chunk);
      tx.objectStore('chunks').put(bytes(r.keep), `keep:${r.id}`);
      tx.objectStore('plans').put(r.summary, r.id);
    }
    await new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); });
    db.close();
  }, records);
  for (const k of Object.keys(meter)) if (k.includes(' ')) delete meter[k];
  meter.frames = 0;

  // Open the app (a reload: navigation start is performance.timeOrigin) and
  // watch, from the page, until every plan's caseload entry was rewritten
  // after its change was taken in (updated_at newer than the injected one)
  // and has a new chunk (an increment), and when page 1's rows all say synced.
  const injected = Object.fromEntries(manifest.map((m) => [m.plan_id, JSON.parse(m.summary).updated_at]));
  const cdp = await ctx.newCDPSession(p);
  await cdp.send('Performance.enable');
  const relayCpu0 = cpuMs(relay.pid);
  await p.reload();
  const outcome = await p.evaluate(async ([injected, n]) => {
    const start = performance.timeOrigin;
    const ids = Object.keys(injected);
    const out = { allTaken: null, taken: 0 };
    const db = await new Promise((ok, err) => { const r = indexedDB.open('carer-support-plan'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    const read = (req) => new Promise((ok, err) => { req.onsuccess = () => ok(req.result); req.onerror = () => err(req.error); });
    let polls = 0;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      polls += 1;
      const tx = db.transaction(['chunks', 'plans']);
      const [summaries, keys] = await Promise.all([read(tx.objectStore('plans').getAll()), read(tx.objectStore('chunks').getAllKeys())]);
      const chunks = {};
      for (const k of keys) { const [id, rest] = String(k).split('/'); if (rest) chunks[id] = (chunks[id] ?? 0) + 1; }
      const taken = summaries.map((s) => JSON.parse(s)).filter((s) => s.updated_at > injected[s.plan_id] && chunks[s.plan_id] >= 2);
      out.taken = taken.length;
      if (out.taken === n) {
        out.allTaken = Date.now() - start;
        // When each plan's change was saved (its entry's updated_at), from opening.
        out.savedAt = taken.map((s) => s.updated_at - start).sort((a, b) => a - b);
        break;
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
    db.close();
    out.long = window.__long.filter(([t]) => t <= (out.allTaken ?? Infinity));
    Object.assign(out, window.__marks);
    out.io = { ...window.__io };
    out.io.listReads -= polls; // this watcher's own reads
    out.heap = performance.memory?.usedJSHeapSize ?? null;
    out.wasm = window.__wasmMemory?.buffer.byteLength ?? null;
    return out;
  }, [injected, CASELOAD]);
  meter.on = false;
  const relayCpu = cpuMs(relay.pid) - relayCpu0;
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));

  // Then, as the worker would: every page of the caseload says synced, and a
  // plan shows the words that were waiting.
  let rowsSynced = 0;
  for (;;) {
    const texts = await p.locator('[data-testid=caseload] tbody tr').evaluateAll((rs) => rs.map((r) => r.querySelector('[data-testid=caseload-keep]')?.textContent ?? ''));
    rowsSynced += texts.filter((t) => t.includes('up to date')).length;
    const next = p.getByRole('button', { name: 'Next page' });
    if (!(await next.isVisible())) break;
    await next.click();
  }
  const probe = manifest[CASELOAD - 1];
  await p.goto(`${server.url}#/plan/${probe.plan_id}/area/finances`);
  const arrived = await p.locator('[data-testid=carer-view] p.pre').filter({ hasText: probe.waiting }).waitFor({ timeout: 10_000 }).then(() => true, () => false);

  const long = outcome.long.map(([, d]) => d);
  const sent = Object.entries(meter).filter(([k]) => k.includes(' '));
  const label = `caseload of ${CASELOAD} kept-in-step plans, one carer change waiting in each`;
  row(GROUP, `${label}: opening the app to the caseload listed`, outcome.listed, 'ms');
  row(GROUP, `${label}: opening the app to page 1's ${Math.min(20, CASELOAD)} rows all "up to date"`, outcome.firstPageSynced, 'ms');
  row(GROUP, `${label}: opening the app to every change taken in and saved (${outcome.taken} of ${CASELOAD})`, outcome.allTaken ?? NaN, 'ms');
  row(GROUP, `${label}: longest task meanwhile (${long.length} tasks over 50 ms)`, long.length ? Math.max(...long) : 0, 'ms');
  row(GROUP, `${label}: main thread blocked meanwhile (sum of long tasks beyond 50 ms)`, long.reduce((s, d) => s + d - 50, 0), 'ms');
  row(GROUP, `${label}: when each plan's change was saved, from opening the app`, outcome.savedAt ?? [NaN], 'ms');
  row(GROUP, `${label}: the page's main thread busy until every change saved (Chromium TaskDuration)`, metrics.TaskDuration * 1000, 'ms');
  row(GROUP, `${label}: the relay's CPU time meanwhile`, relayCpu, 'ms');
  for (const [k, v] of sent) row(GROUP, `${label}: bytes ${k} (one socket)`, v, 'bytes');
  const io = outcome.io;
  row(GROUP, `${label}: keep records written (keep:<id>, ${io.keepPuts} writes)`, io.keepBytes, 'bytes');
  row(GROUP, `${label}: plan chunks written (${io.chunkPuts} writes)`, io.chunkBytes, 'bytes');
  row(GROUP, `${label}: times the caseload list was read again from IndexedDB`, io.listReads, 'reads');
  row(GROUP, `${label}: plans read whole from IndexedDB (ranged chunk reads)`, io.rangeReads, 'reads');
  row(GROUP, `${label}: rows saying "Kept in step · up to date" on all the caseload's pages afterwards`, rowsSynced, 'rows');
  row(GROUP, `${label}: the last plan's finances page shows the words that were waiting`, arrived ? 1 : 0, 'yes = 1');
  row(GROUP, `${label}: JS heap after`, outcome.heap, 'bytes');
  row(GROUP, `${label}: WebAssembly memory after`, outcome.wasm, 'bytes');
  await stopRelay(relay);
  if (p.errors.length) console.error('page errors:', p.errors);
  await ctx.close();
  return { made, outcome: { ...outcome, long: undefined, savedAt: undefined }, relayCpu, metrics: { TaskDuration: metrics.TaskDuration, ScriptDuration: metrics.ScriptDuration, LayoutDuration: metrics.LayoutDuration, RecalcStyleDuration: metrics.RecalcStyleDuration }, longTasks: long, rowsSynced, arrived, frames: meter.frames, bytes: Object.fromEntries(sent) };
}

/// The live-sync figures, as rows for bench.mjs's table. Needs a build whose
/// relay.json names a loopback relay (bench.sh builds one).
export async function benchLive({ browser, server, row }) {
  const port = relayPort();
  if (!port) {
    console.error('live sync: dist/relay.json names no loopback relay (build with RELAY_URL=ws://127.0.0.1:PORT); skipped');
    return null;
  }
  // LIVE_ONLY=keys, LIVE_ONLY=flood or LIVE_ONLY=caseload runs one part.
  const only = process.env.LIVE_ONLY;
  const typed = !only || only === 'keys' ? await keystrokes({ browser, server, port, row }) : null;
  const flood = !only || only === 'flood' ? await flooded({ browser, server, port, row }) : null;
  const load = !only || only === 'caseload' ? await caseload({ browser, server, port, row }) : null;
  return { typed, flood, load };
}

// The relay's packages seed its DATA_DIR in a child process of their own
// (`caseload` above runs this file with --seed).
if (process.argv[1] === new URL(import.meta.url).pathname && process.argv[2] === '--seed') {
  await seedRelay(process.argv[3], process.argv[4]);
  process.exit(0);
}
