// The live-sync relay: automerge-repo's own sync server, made of its three
// published packages, unmodified (the same few lines as
// github.com/automerge/automerge-repo-sync-server, without Express).
//
// It stores what clients send under DATA_DIR and passes each document's
// sync messages between the clients that ask for it. The Carer Support Plan
// app only ever puts encrypted change bundles on it (see ARCHITECTURE.md),
// so it can see document ids, sizes, timing and addresses, never a plan.
//
// Settings (environment): HOST (default 127.0.0.1), PORT (default 3030),
// DATA_DIR (default .amrg). Run it behind the council's TLS proxy
// (wss://...); back up DATA_DIR if you want the relay to survive a disk
// loss (the devices send everything again if it loses its data).
import { WebSocketServer } from 'ws';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { hostname } from 'node:os';

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 3030);
const dataDir = process.env.DATA_DIR || '.amrg';

const socket = new WebSocketServer({ host, port });
const repo = new Repo({
  network: [new WebSocketServerAdapter(socket)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: `relay-${hostname()}`,
  // As the reference server: never offer a document to a client that did
  // not ask for it by id.
  sharePolicy: async () => false,
});

socket.on('listening', () => {
  const { port: bound } = socket.address();
  console.log(`relay listening on ws://${host}:${bound} (data in ${dataDir})`);
});

const stop = () => {
  socket.close();
  repo.shutdown?.().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
