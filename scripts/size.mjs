// Download size of a release build, raw, gzip -9 and brotli (quality 11):
// each WebAssembly module, what a first visit downloads (every file the
// service worker precaches), and the engine worker's module and glue, which
// are fetched when first needed (scripts/post-build.mjs).
// `node scripts/size.mjs [dist]` prints one line each, and exits 1 when the
// page module passes its budget (issue #21: 450 KB gzip, 340 KB brotli): a
// benchmark run (scripts/bench.sh) fails on it, the tests never run it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (!/\.(br|gz)$/.test(f)) files.push(p);
  }
};
walk(dir);
const sizes = (b) => ({
  raw: b.length,
  gz: gzipSync(b, { level: 9 }).length,
  br: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length,
});
const BUDGET = { gz: 450 * 1024, br: 340 * 1024 };
const isEngine = (f) => /\/engine(-[0-9a-f]+)?(_bg\.wasm|\.js)$/.test(f);
const total = { raw: 0, gz: 0, br: 0 };
const engine = { raw: 0, gz: 0, br: 0 };
let page = null;
const fmt = (s) => `${s.raw.toLocaleString('en-GB')} / ${s.gz.toLocaleString('en-GB')} / ${s.br.toLocaleString('en-GB')}`;
for (const f of files) {
  const s = sizes(readFileSync(f));
  const sum = isEngine(f) ? engine : total;
  for (const k in sum) sum[k] += s[k];
  if (f.endsWith('.wasm')) {
    const which = isEngine(f) ? 'engine worker' : 'page';
    if (!isEngine(f)) page = s;
    console.log(`${which} module (${f.split('/').pop()}) raw / gzip -9 / brotli: ${fmt(s)}`);
  }
}
console.log(`first visit (everything precached) raw / gzip -9 / brotli: ${fmt(total)}`);
console.log(`engine worker, fetched when first needed raw / gzip -9 / brotli: ${fmt(engine)}`);
if (page && (page.gz > BUDGET.gz || page.br > BUDGET.br)) {
  console.log(`the page module is over its budget of ${BUDGET.gz.toLocaleString('en-GB')} B gzip / ${BUDGET.br.toLocaleString('en-GB')} B brotli`);
  process.exitCode = 1;
}
