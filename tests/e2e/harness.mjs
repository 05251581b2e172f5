// Shared set-up for the end-to-end tests: serve dist/ on 127.0.0.1 and
// drive Debian's Chromium with playwright-core (never Playwright's own browser).
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';

// CSP_DIST: another build's output, to see a new test fail on it first.
const DIST = process.env.CSP_DIST ?? new URL('../../dist/', import.meta.url).pathname;
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.txt': 'text/plain',
};

/// Serve dist/. With `{ holdWasm: true }` the WebAssembly module is sent
/// only in part (its first quarter) until `release()` is called, as on a slow
/// connection: the page before the app is ready can be seen and used.
/// `dist`: serve this folder instead (a copy with another relay.json).
export async function serve({ holdWasm = false, dist = DIST } = {}) {
  const root = dist.endsWith('/') ? dist : `${dist}/`;
  let release;
  const released = new Promise((ok) => { release = ok; });
  if (!holdWasm) release();
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? path + 'index.html' : path);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    let body;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    if (extname(file) === '.wasm') {
      const part = Math.floor(body.length / 4);
      res.write(body.subarray(0, part));
      await released;
      res.end(body.subarray(part));
    } else {
      res.end(body);
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    release: () => release(),
    close: () => { release(); return new Promise((ok) => server.close(ok)); },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'csp-chromium-'))}`,
    ].filter((a) => !a.startsWith('--user-data-dir')), // launch() makes its own fresh profile
  });
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const LAPTOP = { viewport: { width: 1280, height: 800 } };

/// A new page that fails the test on any uncaught error in the app. The
/// device is a carer's unless `role` says otherwise ('key-worker', or null
/// for a device that has not been asked yet).
export async function newPage(context, { role = 'carer', name = '' } = {}) {
  const page = await context.newPage();
  if (role) {
    await page.addInitScript(([r, n]) => {
      if (location.protocol !== 'http:') return; // about:blank has no storage
      if (!localStorage.getItem('csp.role')) {
        localStorage.setItem('csp.role', JSON.stringify(r));
        if (n) localStorage.setItem('csp.my-name', JSON.stringify(n));
      }
    }, [role, name]);
  }
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

/// A phone whose IndexedDB will not open (the browser throws a DOMException
/// `name` saying `message`), on the home page at `base` with the app's
/// storage banner shown.
export async function phoneWithoutStorage(browser, base, message, name) {
  const ctx = await browser.newContext(PHONE);
  await ctx.addInitScript(([m, n]) => {
    IDBFactory.prototype.open = function () { throw new DOMException(m, n); };
  }, [message, name]);
  const page = await newPage(ctx);
  await page.goto(base);
  const banner = page.getByTestId('storage-problem');
  await banner.waitFor();
  return { ctx, page, banner };
}

/// A key worker's laptop (Sam Patel's) on his caseload at `base`; `options`
/// are added to the browser context's.
export async function workerLaptop(browser, base, options = {}) {
  const ctx = await browser.newContext({ ...LAPTOP, ...options });
  const page = await newPage(ctx, { role: 'key-worker', name: 'Sam Patel' });
  await page.goto(base);
  await page.getByRole('heading', { name: 'Your caseload' }).waitFor();
  return { ctx, page };
}

/// Wait until everything typed is saved on the device.
export async function saved(page) {
  // The line's words stay "Saved on this device" while a key's save is in
  // flight (they change only for a slow one); the region is aria-busy then.
  await page.locator('.save-status[role=status]:not([aria-busy=true])')
    .getByTestId('save-status').filter({ hasText: 'Saved on this device' }).waitFor();
}

/// Every IndexedDB record of the app, read through page script.
export async function dumpStorage(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, err) => {
      const r = indexedDB.open('carer-support-plan');
      r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error);
    });
    const all = async (store) => {
      const tx = db.transaction(store);
      const s = tx.objectStore(store);
      const [keys, values] = await Promise.all([s.getAllKeys(), s.getAll()].map((r) => new Promise((ok) => { r.onsuccess = () => ok(r.result); })));
      return keys.map((k, i) => [k, values[i] instanceof Uint8Array ? Array.from(values[i]) : values[i]]);
    };
    const out = { chunks: await all('chunks'), plans: await all('plans') };
    db.close();
    return out;
  });
}

/// The live-sync relay (relay/server.mjs, automerge-repo's sync server) on
/// loopback at `port`, storing under `dataDir`; resolves once it listens.
export function startRelay(port, dataDir) {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [new URL('../../relay/server.mjs', import.meta.url).pathname], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (d) => { if (String(d).includes('listening')) ok(child); });
    child.on('exit', (code) => fail(new Error(`relay exited ${code}`)));
  });
}

export function stopRelay(child) {
  return new Promise((ok) => { child.once('exit', ok); child.kill('SIGTERM'); });
}

/// The plan open on `page`: its id, from the address.
export const planId = (page) => page.url().match(/plan\/([0-9a-f]{32})/)[1];

/// A new plan, started as a person does: the home page at `base` (or the
/// page already open, with `here`), "Start a new plan", and "Where do you
/// live?" on screen. Then, each only if asked:
/// - `where` ("Scotland", "England"…): that answer, then Continue to the
///   task list (unless `at` says where to go instead), and from there the
///   link to `section` ("About you") if given;
/// - `at`: straight to that page of the plan (`/about-you`, `/area/finances`);
/// - `name`: on About you ("Your details"), "Your full name" typed (none if
///   empty) and saved on the device.
/// Returns the plan's id.
export async function startPlan(page, base, { where, at, section, name, here = false } = {}) {
  if (!here) await page.goto(base);
  await page.getByRole('button', { name: 'Start a new plan' }).click();
  await page.getByRole('heading', { name: 'Where do you live?' }).waitFor();
  const id = planId(page);
  if (where) await page.getByLabel(where, { exact: true }).check();
  const to = at ?? (name != null ? '/about-you' : null);
  if (to != null) await page.goto(`${base}#/plan/${id}${to}`);
  else if (where) await page.getByRole('link', { name: 'Continue' }).click();
  if (section) await page.getByRole('link', { name: section }).click();
  if (name != null) {
    await page.getByRole('heading', { name: 'Your details' }).waitFor();
    if (name) await page.getByLabel('Your full name', { exact: true }).fill(name);
    await saved(page);
  }
  return id;
}

/// A device opens the carer's keep-in-step link and asks to join; the
/// carer sees the request on her plan, checks the code the device shows
/// is the same, and allows it; the device opens the plan. Returns the code.
export async function joinAndAllow({ worker, carer, link, id, url, timeout = 60_000 }) {
  await worker.goto(link.replace(/^https?:\/\/[^/]+\//, url));
  await worker.getByRole('heading', { name: 'Keep this plan in step?' }).waitFor();
  await worker.getByTestId('join-keep').click();
  await worker.getByRole('heading', { name: 'Waiting for the carer to allow this device' }).waitFor({ timeout });
  const code = (await worker.getByTestId('join-code').innerText()).trim();
  await carer.goto(`${url}#/plan/${id}`);
  await carer.getByTestId('keep-asking').waitFor({ timeout });
  await carer.goto(`${url}#/plan/${id}/keep`);
  const request = carer.getByTestId('keep-request').filter({ hasText: code });
  await request.waitFor({ timeout });
  await request.getByTestId('allow-device').click();
  await worker.getByRole('heading', { name: 'The plan is on this device' }).waitFor({ timeout });
  await worker.getByTestId('open-joined').click();
  return code;
}

/// The page's errors, less Chromium's own log of each websocket to
/// `address` it could not open while the test held that relay down (the
/// app retries, as it should): any other error stays.
export const appErrors = (page, address) => page.errors.filter((e) => !e.startsWith(`WebSocket connection to '${address}`));

export const isEngine = (w) => /\/engine-loader-[0-9a-f]+\.js$/.test(w.url());

/// The page's engine worker once it listens (it starts after the app
/// mounts for a person who has used the app on the device), and a moment
/// for its "ready" to reach the page.
export async function engineOf(page) {
  let engine = page.workers().find(isEngine);
  while (!engine) { await page.waitForEvent('worker'); engine = page.workers().find(isEngine); }
  await engine.evaluate(async () => { while (!self.onmessage) await new Promise((ok) => setTimeout(ok, 20)); });
  await page.waitForTimeout(300);
  return engine;
}

/// Run `fn(arg)` in the page and in its engine worker: what a browser does
/// to the origin's storage (a full disk, an aborted write) it does to both,
/// and either may be the one writing.
export async function inPageAndEngine(page, fn, arg) {
  const engine = await engineOf(page);
  await page.evaluate(fn, arg);
  await engine.evaluate(fn, arg);
}
