// A device that reconnects to the same relay process (its socket dropped:
// a phone changing networks, a keepalive timeout) is the same peer id to
// automerge-repo 2.5.6, which keeps its per-document sync state across the
// drop, including the changes it believes it already sent. Those that went
// down with the old socket are then never sent again: the benchmark found
// changes held by the relay and never passed to a connected device
// (BENCHMARKS.md, #23). automerge-repo's `beginSync` round-trips a peer's
// sync state through its encoding (keeping only what both sides are known
// to share) for exactly this reason, but it is skipped when the peer's
// first message after the reconnect is what brings it back to a document.
// So: on each peer's first message for a document after it (re)joined,
// start that document's sync with the peer again. Public methods of the
// published classes only; nothing is patched.
export function resyncOnRejoin(repo, { log = () => {} } = {}) {
  const sinceJoin = new Map(); // peer id -> documents already restarted since it joined
  repo.networkSubsystem.on('peer', ({ peerId }) => sinceJoin.set(peerId, new Set()));
  repo.networkSubsystem.on('peer-disconnected', ({ peerId }) => sinceJoin.delete(peerId));
  repo.networkSubsystem.on('message', ({ senderId, documentId, type }) => {
    if (!documentId || (type !== 'sync' && type !== 'request')) return;
    const done = sinceJoin.get(senderId);
    if (!done || done.has(documentId)) return;
    done.add(documentId);
    // Once automerge-repo has taken the message in (it may first load the
    // document from storage); a document it did not have yet starts fresh.
    setTimeout(() => {
      const synchronizer = repo.synchronizer.docSynchronizers[documentId];
      // beginSync waits (60 s at most) for a document still arriving; a
      // relay too busy to finish in time goes on, it does not stop.
      if (synchronizer && sinceJoin.get(senderId) === done) {
        synchronizer.beginSync([senderId]).catch(err => log(`resync ${documentId}: ${err.message}`));
      }
    }, 0);
  });
}
