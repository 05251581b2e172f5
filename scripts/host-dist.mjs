// A release build served as a host following docs/deploy.md's "Deploying"
// would: the .gz files (or the .br files, `encoding` 'br') the build wrote
// beside each text and WebAssembly file, hashed files immutable, the rest
// no-cache. For the benchmarks that load the app as a visitor would
// (lighthouse.mjs, bench-first-tap.mjs).
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png',
};
const HASHED = /(-[0-9a-f]{16}(_bg)?\.(js|wasm|css)|\/[0-9a-f]{16}-[a-z]+\.js)$/;

/// Serve `dist` on 127.0.0.1 (a free port); resolves to the listening server.
export function host(dist, encoding) {
  const suffix = encoding === 'br' ? '.br' : '.gz';
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dist, path.endsWith('/') ? path + 'index.html' : path);
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    const accepts = (req.headers['accept-encoding'] ?? '').includes(encoding === 'br' ? 'br' : 'gzip');
    const packed = accepts && existsSync(file + suffix);
    const body = readFileSync(packed ? file + suffix : file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'Accept-Encoding',
      ...(packed ? { 'content-encoding': encoding === 'br' ? 'br' : 'gzip' } : {}),
    });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
