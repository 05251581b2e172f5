// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside
// each text and WebAssembly file of a release build, so a static host can
// send them as they are (nginx `brotli_static` / `gzip_static`; docs/deploy.md,
// "Deploying"). Called by post-build.mjs once sw.js is written (Trunk runs
// hooks of one stage side by side, so this is not a hook of its own); also
// `node scripts/compress.mjs dist`. The service worker never sees these
// copies: it asks for the plain names and the host picks the encoding.
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const COMPRESSIBLE = /\.(html|js|mjs|css|svg|wasm|json|webmanifest|txt)$/;

export function compress(dir) {
  let count = 0;
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      if (!COMPRESSIBLE.test(f)) continue;
      const body = readFileSync(p);
      writeFileSync(`${p}.gz`, gzipSync(body, { level: 9 }));
      writeFileSync(`${p}.br`, brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          [constants.BROTLI_PARAM_MODE]: f.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
        },
      }));
      count++;
    }
  };
  walk(dir);
  return count;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? 'dist';
  console.log(`compress: .br and .gz written beside ${compress(dir)} files in ${dir}`);
}
