// debug: watch a relay document as a plain automerge-repo client
import { Repo } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import * as A from '@automerge/automerge';
const [url, docId] = process.argv.slice(2);
const repo = new Repo({ network: [new BrowserWebSocketClientAdapter(url)] });
const h = await repo.find(`automerge:${docId}`);
const show = () => { const d = h.doc(); const ch = A.getAllChanges(d); const keys = Object.keys(d); console.log('WATCH', ch.map(c=>{const d=A.decodeChange(c); return d.actor.slice(0,4)+':'+d.seq+':'+d.ops.length}).join(' '), new Date().toISOString().slice(11,19), 'changes', ch.length, 'heads', A.getHeads(d).map(x=>x.slice(0,6)).join(','), 'keys', keys.map(k=>k.slice(0,12)).join(' ')); };
show();
h.on('change', show);
setInterval(show, 3000);
