// A plain automerge-repo client (no app code): given the relay's address
// and a document id, fetch the document and print what it holds, as JSON:
// its root keys (one per sealed entry) and, for each value, its length and
// first byte.
// The live-sync test uses it to prove the app speaks the relay's protocol.
//   node relay/fetch.mjs ws://127.0.0.1:3030 <document id>
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

const [url, id] = process.argv.slice(2);
const repo = new Repo({ network: [new WebSocketClientAdapter(url)] });
const handle = await repo.find(`automerge:${id}`);
const doc = handle.doc();
const values = Object.entries(doc ?? {}).map(([k, v]) => ({ key: k, bytes: Array.from(v.slice(0, 64)), length: v.length, first: v[0] }));
console.log(JSON.stringify({ keys: Object.keys(doc), values }));
await repo.shutdown();
process.exit(0);
