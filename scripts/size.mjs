// Download size of a release build: the WebAssembly module and every file
// the service worker precaches, raw, gzip -9 and brotli (quality 11).
// `node scripts/size.mjs [dist]` prints one line each; used while cutting the
// module (BENCHMARKS.md, "Download size: cutting the module").
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
const total = { raw: 0, gz: 0, br: 0 };
const fmt = (s) => `${s.raw.toLocaleString('en-GB')} / ${s.gz.toLocaleString('en-GB')} / ${s.br.toLocaleString('en-GB')}`;
for (const f of files) {
  const s = sizes(readFileSync(f));
  for (const k in total) total[k] += s[k];
  if (f.endsWith('.wasm')) {
    const which = /\/engine[-_.][^/]*$/.test(f) ? 'engine worker' : 'page';
    console.log(`${which} module (${f.split('/').pop()}) raw / gzip -9 / brotli: ${fmt(s)}`);
  }
}
console.log(`whole first load raw / gzip -9 / brotli: ${fmt(total)}`);
