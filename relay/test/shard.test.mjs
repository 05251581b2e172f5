// The relay's share policy asks `onShard` about every connected peer for
// every message (relay/server.mjs): it remembers its answers, and they
// must be the shard function's (relay/lib/shard.mjs, checked against
// tests/fixtures/shard_of.txt by tests/cluster/cluster.test.mjs).
// Run: cd relay && npx vitest run
import { expect, test } from 'vitest';
import { generateAutomergeUrl, parseAutomergeUrl } from '@automerge/automerge-repo';
import { onShard, shardOfDocumentId } from '../lib/shard.mjs';

const ids = Array.from({ length: 200 }, () => parseAutomergeUrl(generateAutomergeUrl()).documentId);

test('a shard takes exactly the documents the shard function gives it, asked once or many times, and after its memory filled', () => {
  for (const [shards, remember] of [[2, 50000], [3, 50000], [5, 7]]) {
    for (let shard = 0; shard < shards; shard += 1) {
      const mine = onShard(shard, shards, { remember });
      for (let round = 0; round < 3; round += 1) {
        for (const id of ids) expect(mine(id), `${id} on shard ${shard} of ${shards}`).toBe(shardOfDocumentId(id, shards) === shard);
      }
    }
  }
  // Every id is some shard's, and only one's.
  const shards = [0, 1, 2].map(k => onShard(k, 3));
  for (const id of ids) expect(shards.filter(mine => mine(id)).length).toBe(1);
});

test('an id that is not a document id is no shard\'s; one relay (no shards) takes everything', () => {
  for (const mine of [onShard(0, 2), onShard(1, 2)]) {
    for (const bad of ['', 'not-an-id', 'automerge:', `${ids[0]}x`, undefined, 42]) expect(mine(bad), String(bad)).toBe(false);
  }
  for (const mine of [onShard(0, 0), onShard(0, 1)]) {
    for (const any of [...ids.slice(0, 5), 'not-an-id']) expect(mine(any)).toBe(true);
  }
});
