// Which shard holds a document: the same function as the app's
// `src/share/shard.rs` (`shard_of`), checked against the same fixture
// (tests/fixtures/shard_of.txt) by both test suites.
//
//   key   = FNV-1a 64-bit over the document id's 16 bytes
//   shard = jump consistent hash (Lamping & Veach, 2014) of key into N shards
//
// Jump hash moves as few documents as possible when shards are added: going
// from N to N+1 shards moves about 1/(N+1) of the documents, every one of
// them to the new shard k = N, and none between old shards. That is what
// makes adding a shard a planned migration (docs/relay-at-scale.md).
import { documentIdToBinary } from '@automerge/automerge-repo';

const MASK = (1n << 64n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const JUMP_MUL = 2862933555777941757n;

/** FNV-1a, 64 bits, over the bytes. */
export function fnv1a64(bytes) {
  let h = FNV_OFFSET;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * FNV_PRIME) & MASK;
  }
  return h;
}

/** The shard (0 ≤ k < shards) of a document from its 16 id bytes. */
export function shardOf(idBytes, shards) {
  if (idBytes.length !== 16) throw new Error('a document id is 16 bytes');
  if (!(shards > 1)) return 0;
  let key = fnv1a64(idBytes);
  let b = -1;
  let j = 0;
  while (j < shards) {
    b = j;
    key = (key * JUMP_MUL + 1n) & MASK;
    // In doubles, exactly as the reference (and the Rust) code does it.
    j = Math.floor((b + 1) * (2147483648 / (Number(key >> 33n) + 1)));
  }
  return b;
}

/** The shard of a document from its id as automerge-repo writes it
 * (bs58check, with or without `automerge:`); undefined if it is not one. */
export function shardOfDocumentId(documentId, shards) {
  let bytes;
  try {
    bytes = documentIdToBinary(String(documentId).replace(/^automerge:/, ''));
  } catch {
    return undefined;
  }
  if (!bytes || bytes.length !== 16) return undefined;
  return shardOf(bytes, shards);
}

/** Whether a document is shard `shard`'s of `shards` (every document when
 * `shards` ≤ 1), as a function of its id that remembers its answers.
 * automerge-repo 2.5.6 asks its share policy about every connected peer
 * for every message it takes in, so one message at 1,000 sockets asks
 * about the same document 1,000 times; working it out each time (a
 * bs58check decoding with two SHA-256 in JavaScript, then the hashes
 * above: ≈ 10 µs) cost the sharded relay ≈ 20 ms per change (BENCHMARKS.md,
 * "Relay CPU per change"). Only well-formed ids are remembered, at most
 * `remember` of them (then it starts again); any other id is not this
 * shard's. */
export function onShard(shard, shards, { remember = 50000 } = {}) {
  if (!(shards > 1)) return () => true;
  const known = new Map();
  return documentId => {
    const answer = known.get(documentId);
    if (answer !== undefined) return answer;
    const k = shardOfDocumentId(documentId, shards);
    if (k === undefined) return false;
    if (known.size >= remember) known.clear();
    known.set(documentId, k === shard);
    return k === shard;
  };
}
