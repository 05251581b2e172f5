// Memory that does not grow with history: automerge-repo keeps every
// document it has served in memory until `repo.removeFromCache(id)` is
// called. This drops a document, after saving it, once no connected peer
// has asked for it and nothing was sent or received for it for
// `unwatchedMs` (default 10 s); automerge-repo reads it back from storage
// the next time a peer asks.
//
// A document a connected peer asked for is never dropped, however quiet:
// automerge-repo would load it again for the next peer that asks, but the
// peers that asked before are not told of its changes until they send a
// message of their own (a carer waiting on her plan would not see her key
// worker's request to join). A worker's open caseload is bounded by his
// sockets; what is left behind when they close goes within `unwatchedMs`.
//
// Dropping documents no peer watches also keeps a standby honest: after a
// failback its clients leave, and within `unwatchedMs` it holds nothing it
// could serve stale if it takes over again.
export function evictIdleDocuments(repo, { unwatchedMs = 10000, log = () => {} } = {}) {
  const lastActive = new Map(); // documentId -> ms
  const watchers = new Map(); // documentId -> Set of peer ids that asked
  const watching = new Map(); // peer id -> Set of documentIds
  const now = () => Date.now();
  const touch = documentId => documentId && lastActive.set(documentId, now());

  repo.networkSubsystem.on('message', msg => {
    const { documentId, senderId } = msg;
    if (!documentId) return;
    touch(documentId);
    if (!watchers.has(documentId)) watchers.set(documentId, new Set());
    watchers.get(documentId).add(senderId);
    if (!watching.has(senderId)) watching.set(senderId, new Set());
    watching.get(senderId).add(documentId);
  });
  repo.synchronizer.on('message', msg => touch(msg.documentId));
  repo.networkSubsystem.on('peer-disconnected', ({ peerId }) => {
    for (const documentId of watching.get(peerId) ?? []) {
      watchers.get(documentId)?.delete(peerId);
      touch(documentId);
    }
    watching.delete(peerId);
  });

  let evicted = 0;
  const sweep = async () => {
    for (const [documentId, handle] of Object.entries(repo.handles)) {
      if (!handle.isReady()) continue; // still loading, or unknown here
      const since = lastActive.get(documentId);
      if (since === undefined) {
        touch(documentId);
        continue;
      }
      const watched = (watchers.get(documentId)?.size ?? 0) > 0;
      if (watched || now() - since < unwatchedMs) continue;
      try {
        await repo.flush([documentId]);
        // A message may have arrived while saving: keep it for next time.
        if (lastActive.get(documentId) !== since) continue;
        // automerge-repo 2.5.6's removeFromCache empties the handle
        // (`unload`) while the repo's save listener is still on it: the
        // empty document is then saved, and its compaction deletes every
        // stored chunk of the real one. Everything is saved (the flush
        // above), so take the listener off first.
        handle.removeAllListeners('heads-changed');
        await repo.removeFromCache(documentId);
        lastActive.delete(documentId);
        for (const peer of watchers.get(documentId) ?? []) watching.get(peer)?.delete(documentId);
        watchers.delete(documentId);
        evicted += 1;
      } catch (err) {
        log(`evict ${documentId}: ${err.message}`);
      }
    }
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep().finally(() => { running = false; });
  }, Math.max(250, unwatchedMs / 4));
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    stats: () => ({ held: Object.keys(repo.handles).length, evicted }),
  };
}
