// Records, once, the frames real automerge-repo 2.5.6 peers exchange through
// the relay (relay/server.mjs's packages), for the Rust codec's tests
// (tests/fixtures/sync/node-frames.json; tests/sync_wire.rs):
//   node relay/record-fixtures.mjs > tests/fixtures/sync/node-frames.json
// Client A creates a document like the app's sealed documents (a map `b`
// of byte strings); client B finds it by id; A changes it again.
import { WebSocketServer } from 'ws';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketServerAdapter, WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

const frames = [];
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (socket) => {
  const client = frames.filter((f) => f.dir === 'join').length;
  socket.on('message', (m) => frames.push({ dir: 'to-relay', hex: Buffer.from(m).toString('hex') }));
  const send = socket.send.bind(socket);
  socket.send = (data, ...rest) => { frames.push({ dir: 'from-relay', hex: Buffer.from(data).toString('hex') }); return send(data, ...rest); };
});
await new Promise((ok) => wss.on('listening', ok));
const url = `ws://127.0.0.1:${wss.address().port}`;
const relay = new Repo({ network: [new WebSocketServerAdapter(wss)], peerId: 'relay-fixture', sharePolicy: async () => false });

const a = new Repo({ network: [new WebSocketClientAdapter(url)], peerId: 'client-a' });
const handle = a.create({ b: { first: new Uint8Array([1, 2, 3, 4]) } });
await handle.whenReady();
await new Promise((ok) => setTimeout(ok, 500));
const b = new Repo({ network: [new WebSocketClientAdapter(url)], peerId: 'client-b' });
const found = await b.find(handle.url);
handle.change((d) => { d.b.second = new Uint8Array([5, 6, 7]); });
await new Promise((ok) => setTimeout(ok, 800));
const seen = Object.keys(found.doc().b).sort();
console.log(JSON.stringify({ documentId: handle.documentId, seenByB: seen, frames }, null, 1));
await a.shutdown(); await b.shutdown(); await relay.shutdown();
wss.close();
process.exit(0);
