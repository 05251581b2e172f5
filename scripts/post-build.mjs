// Trunk post_build hook (see Trunk.toml): runs on the staged build before it
// replaces dist/. File names are hashed, so the service worker's precache
// list can only be written here.
//  1. Trunk's inline loader script moves to its own file, so the
//     Content-Security-Policy needs no 'unsafe-inline' (with the module's
//     real size for the waiting page's progress bar).
//  2. index.html gets the CSP, the manifest and the touch icon, and its
//     waiting page the size of the first download (gzip, as most hosts send).
//  3. sw.js is written with every build output in its precache list (but
//     the engine worker's module, kept once the service worker is active,
//     in the background: the first screen does not need it) and a version
//     that changes whenever any file does.
//  4. The engine worker (src/web/engine/) gets a loader of its own, named in
//     <meta name="engine-worker">: it tells the page when the engine's
//     module could not be fetched or started, so the page does the work
//     itself instead of waiting.
//  5. In a release build, .br and .gz copies are written beside each text
//     and WebAssembly file (compress.mjs), never in the precache list.
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { compress } from './compress.mjs';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set');
const sha = (data) => createHash('sha256').update(data).digest('hex');

// The relay for live sync (docs/deploy.md, "How a council deploys the
// relay"): RELAY_URL when building, else public/relay.json. relay.json in
// dist says the same address, and the CSP lets the page connect to it and
// nowhere else but its own origin.
// RELAY_SHARDS (or relay.json's "shards") makes RELAY_URL the base of a
// sharded relay (docs/relay-at-scale.md): shard k at <base>/s/<k>, and the
// CSP allows the paths under <base>/s/.
const relayFile = join(dir, 'relay.json');
const given = JSON.parse(readFileSync(relayFile, 'utf8'));
let relay = (process.env.RELAY_URL ?? given.relay ?? '').trim();
if (relay && !/^(wss:\/\/[a-z0-9.-]+(:\d+)?(\/[\w./-]*)?|ws:\/\/(127\.0\.0\.1|localhost):\d+\/?)$/i.test(relay)) {
  throw new Error(`RELAY_URL must be wss://host[:port][/path] (or ws://127.0.0.1:port for tests), not ${relay}`);
}
const shardsGiven = process.env.RELAY_SHARDS ?? given.shards;
const shards = shardsGiven === undefined || shardsGiven === '' ? undefined : Number(shardsGiven);
if (shards !== undefined && !(Number.isInteger(shards) && shards >= 1 && shards <= 256)) {
  throw new Error(`RELAY_SHARDS must be a whole number from 1 to 256, not ${shardsGiven}`);
}
if (shards !== undefined) relay = relay.replace(/\/+$/, '');
writeFileSync(relayFile, JSON.stringify(shards !== undefined && relay ? { relay, shards } : { relay }, null, 2) + '\n');
const relaySource = relay && shards !== undefined ? `${relay}/s/` : relay;
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  `connect-src 'self'${relaySource ? ' ' + relaySource : ''}`,
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const walk = (d, out = []) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (!/\.(br|gz)$/.test(f)) out.push('/' + relative(dir, p).split('\\').join('/'));
  }
  return out;
};

let html = readFileSync(join(dir, 'index.html'), 'utf8');
const inline = html.match(/<script type="module">([\s\S]*?)<\/script>/);
if (inline) {
  // Trunk 0.21 gives the initializer the module's size before wasm-opt:
  // the waiting page's progress bar needs the size of the file sent.
  const loader = inline[1].replace(/(__trunkInitializer\(init, '\/([^']+)', )\d+,/,
    (_, head, wasm) => `${head}${statSync(join(dir, wasm)).size},`);
  const name = `start-${sha(loader).slice(0, 16)}.js`;
  writeFileSync(join(dir, name), loader);
  html = html.replace(inline[0], `<script type="module" src="/${name}"></script>`);
}
const engineJs = readdirSync(dir).find((f) => /^engine(-[0-9a-f]+)?\.js$/.test(f));
if (!engineJs) throw new Error('the engine worker was not built (index.html names it)');
const engineWasm = engineJs.replace(/\.js$/, '_bg.wasm');
statSync(join(dir, engineWasm));
const engineLoader = `// The engine worker's loader (scripts/post-build.mjs). A string posted
// to the page means the engine could not start: the page then does the work.
try { importScripts('/${engineJs}'); } catch (e) { postMessage('unavailable'); throw e; }
wasm_bindgen({ module_or_path: '/${engineWasm}' }).catch(() => postMessage('unavailable'));
`;
const engineLoaderName = `engine-loader-${sha(engineLoader).slice(0, 16)}.js`;
writeFileSync(join(dir, engineLoaderName), engineLoader);
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta name="engine-worker" content="/${engineLoaderName}">`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('an inline script is left in index.html');
// The engine's module and glue are not part of the first screen: the page
// starts the engine when it is first needed (or at once for a returning
// person), and the service worker keeps them once it is active.
const later = [`/${engineJs}`, `/${engineWasm}`];
const firstLoad = walk(dir).filter((f) => !later.includes(f))
  .reduce((n, f) => n + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
html = html.replace('__FIRST_LOAD_KB__', (Math.round(firstLoad / 10240) * 10).toLocaleString('en-GB'));
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${CSP}">`);
html = html.replace('<link rel="icon"', '<link rel="manifest" href="/manifest.webmanifest">\n  <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png">\n  <link rel="icon"');
writeFileSync(join(dir, 'index.html'), html);

const built = walk(dir).filter((f) => f !== '/sw.js').sort();
const precache = built.filter((f) => !later.includes(f));
// Every file counts in the version, the engine's too (its names are not hashed).
const version = sha(built.map((f) => f + sha(readFileSync(join(dir, f)))).join('\n')).slice(0, 16);
const template = readFileSync(new URL('./sw.template.js', import.meta.url), 'utf8');
writeFileSync(join(dir, 'sw.js'), template
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace('[/* __PRECACHE__ */]', JSON.stringify(['/', ...precache], null, 2))
  .replace('[/* __LATER__ */]', JSON.stringify(later)));
console.log(`post-build: ${precache.length} files precached, version ${version}`);
if (process.env.TRUNK_PROFILE === 'release') console.log(`post-build: .br and .gz beside ${compress(dir)} files`);
