// The live-sync relay: automerge-repo's own sync server, made of its
// published packages, unmodified (the same few lines as
// github.com/automerge/automerge-repo-sync-server, without Express).
//
// It stores what clients send and passes each document's sync messages
// between the clients that ask for it. The Carer Support Plan app only ever
// puts encrypted change bundles on it (see ARCHITECTURE.md), so it can see
// document ids, sizes, timing and addresses, never a plan.
//
// One process (the pilot, scripts/serve.sh, the end-to-end tests): files
// under DATA_DIR. At council scale (docs/relay-at-scale.md): DATABASE_URL
// puts the documents in PostgreSQL, and SHARD/SHARDS make this process one
// shard's relay behind HAProxy, which keeps one relay of a shard serving at
// a time (the other is its standby).
//
// Settings (environment):
//   HOST (default 127.0.0.1), PORT (default 3030)
//   DATA_DIR (default .amrg): where documents are kept without DATABASE_URL
//   DATABASE_URL (postgres://…): keep documents in PostgreSQL instead
//   PG_TABLE (default automerge_chunks), PG_POOL (default 10 connections)
//   SHARD, SHARDS: serve only the documents of shard SHARD of SHARDS
//     (relay/lib/shard.mjs); others get "unavailable"
//   RELAY_NAME (default the host name): part of the peer id, which also
//     carries the process id and a random part, so no two relays share one
//   EVICT_UNWATCHED_MS (default 10000): a document no connected device
//     asked for leaves memory after this long quiet (relay/lib/evict.mjs);
//     one a connected device asked for stays. 0 keeps every document.
//   MAX_FRAME_BYTES (default 16 MiB, the app's own limit): larger
//     websocket frames close the socket
//   MAX_SOCKETS (default 20000): more connections are refused
//   SAVE_DEBOUNCE_MS (default 100, automerge-repo's own): a document is
//     saved at most this often (BENCHMARKS.md, "Relay CPU per change")
// GET /healthz answers JSON (documents held, sockets, memory, save times)
// for load balancers and monitoring.
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { evictIdleDocuments } from './lib/evict.mjs';
import { resyncOnRejoin } from './lib/resync.mjs';
import { onShard } from './lib/shard.mjs';
import { timed } from './lib/timed-storage.mjs';

const env = process.env;
const host = env.HOST || '127.0.0.1';
const port = Number(env.PORT || 3030);
const name = env.RELAY_NAME || hostname();
const shards = Number(env.SHARDS || 0);
const shard = Number(env.SHARD || 0);
const log = (...args) => console.error(`[relay ${name}]`, ...args);
const number = (value, fallback) => (value === undefined || value === '' ? fallback : Number(value));

let storage;
let where;
if (env.DATABASE_URL) {
  const { postgresStorage } = await import('./lib/pg-storage.mjs');
  const pg = await postgresStorage({
    connectionString: env.DATABASE_URL,
    table: env.PG_TABLE || undefined,
    poolSize: number(env.PG_POOL, 10),
    log,
  });
  storage = timed(pg.adapter);
  where = `PostgreSQL table ${env.PG_TABLE || 'automerge_chunks'}`;
} else {
  const dataDir = env.DATA_DIR || '.amrg';
  storage = timed(new NodeFSStorageAdapter(dataDir));
  where = dataDir;
}

const mine = onShard(shard, shards);

const http = createServer((req, res) => {
  if (req.url === '/healthz') {
    const memory = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      peerId: repo.peerId,
      shard: shards > 1 ? shard : null,
      sockets: socket.clients.size,
      documents: eviction?.stats() ?? { held: Object.keys(repo.handles).length },
      memory: { rss: memory.rss, heapUsed: memory.heapUsed },
      saves: storage.stats(),
    }));
    return;
  }
  res.writeHead(426, { 'content-type': 'text/plain' }).end('Upgrade Required\n');
});
const maxSockets = number(env.MAX_SOCKETS, 20000);
const saveDebounceMs = number(env.SAVE_DEBOUNCE_MS, 100);
const socket = new WebSocketServer({
  server: http,
  maxPayload: number(env.MAX_FRAME_BYTES, 16 * 1024 * 1024),
});
socket.on('connection', ws => {
  if (socket.clients.size > maxSockets) ws.close(1013, 'too many connections');
});
const yes = Promise.resolve(true);
const no = Promise.resolve(false);
const repo = new Repo({
  network: [new WebSocketServerAdapter(socket)],
  storage,
  peerId: `relay-${name}-${process.pid}-${randomBytes(4).toString('hex')}`,
  saveDebounceRate: saveDebounceMs,
  // As the reference server: never offer a document to a client that did
  // not ask for it by id; as a shard: only this shard's documents.
  // automerge-repo 2.5.6 awaits both answers for every connected peer on
  // every message it takes in: they are promises already settled, made
  // once, rather than a new one per question (BENCHMARKS.md, "Relay CPU
  // per change").
  shareConfig: {
    announce: () => no,
    access: (_peer, documentId) => (mine(documentId) ? yes : no),
  },
});

// A device back after a dropped socket gets what went down with it.
resyncOnRejoin(repo, { log });

const unwatchedMs = number(env.EVICT_UNWATCHED_MS, 10000);
const eviction = unwatchedMs > 0 ? evictIdleDocuments(repo, { unwatchedMs, log }) : undefined;

http.listen(port, host, () => {
  const { port: bound } = http.address();
  const role = shards > 1 ? ` as shard ${shard} of ${shards}` : '';
  console.log(`relay listening on ws://${host}:${bound}${role} (peer ${repo.peerId}, data in ${where})`);
});

// automerge-repo 2.5.6 starts a document's sync without waiting for it
// (`void docSynchronizer.beginSync(…)`), and that waits at most 60 s for a
// document still arriving from a device: on a relay busy taking in many
// large documents at once (hundreds of devices reconnecting), the timeout
// is an unhandled rejection, which would end the process and drop every
// socket. Say so and go on; the devices' next messages finish the sync.
// Anything else unhandled still ends the process.
process.on('unhandledRejection', err => {
  if (err?.name === 'TimeoutError' || /timed out after/.test(String(err?.message))) {
    log(`gave up waiting: ${err.message}`);
    return;
  }
  throw err;
});

const stop = () => {
  eviction?.stop();
  socket.close();
  http.close();
  Promise.resolve(repo.shutdown?.()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// Started by a test or scripts/relay-cluster.sh: end with it, even if it was killed.
if (env.EXIT_WITH_PARENT === '1') {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
}
