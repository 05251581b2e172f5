// A device that says it holds a document and then never sends it: the
// relay waits for it (automerge-repo's own 60 s at most) and must go on
// serving afterwards. automerge-repo 2.5.6 starts a document's sync without
// waiting for it, so the timeout was an unhandled rejection that ended the
// relay and dropped every socket (seen with hundreds of large documents
// arriving at once: BENCHMARKS.md, "Relay CPU per change").
// Run: cd relay && npx vitest run (scripts/test.sh does).
import { afterAll, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as A from '@automerge/automerge';
import { cbor } from '@automerge/automerge-repo/slim';
import { freePort } from '../lib/cluster.mjs';
import { documentIdOnShard } from '../lib/client.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const dir = mkdtempSync(join(tmpdir(), 'relay-slow-'));
let relay;

afterAll(() => {
  relay?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('a document promised and never sent does not end the relay', async () => {
  const port = await freePort();
  relay = spawn(process.execPath, [fileURLToPath(new URL('../server.mjs', import.meta.url))], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(dir, 'data'), EVICT_UNWATCHED_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  relay.stdout.on('data', d => { out += d; });
  relay.stderr.on('data', d => { out += d; });
  while (!/listening/.test(out)) await sleep(50);

  // A device joins, says it has a document (its heads, no changes), and
  // never answers the relay's request for the changes.
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise(resolve => ws.once('open', resolve));
  const senderId = 'silent-device';
  ws.send(cbor.encode({ type: 'join', senderId, supportedProtocolVersions: ['1'], peerMetadata: {} }));
  const doc = A.change(A.init(), d => { d.x = 1; });
  const [, message] = A.generateSyncMessage(doc, A.initSyncState());
  ws.send(cbor.encode({ type: 'sync', senderId, targetId: 'relay', documentId: documentIdOnShard(0, 1), data: message }));

  // automerge-repo gives up after 60 s; the relay must still be there.
  await sleep(66000);
  expect(relay.exitCode, out).toBe(null);
  const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
  expect(health.documents.held).toBeGreaterThanOrEqual(0);
  ws.terminate();
}, 90000);
