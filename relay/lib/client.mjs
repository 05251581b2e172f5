// automerge-repo clients (Node) for the cluster tests and the load
// benchmark: a device is a Repo with one websocket per shard it needs,
// exactly the published client adapter the browser package uses.
import * as A from '@automerge/automerge';
import { Repo, generateAutomergeUrl, parseAutomergeUrl } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { shardOfDocumentId } from './shard.mjs';

export { A, Repo, WebSocketClientAdapter };

/** The published client adapter, with four things that only matter in
 * Node (a browser's WebSocket reports no error detail and never ends the
 * page): a refused upgrade (HAProxy's 502/503 while a shard has no relay
 * up) is a failed try like a refused connection, where the adapter would
 * throw it from an event handler and end the process; a socket it gives up
 * on keeps an error listener (else a late error is unhandled); and once
 * shut down it never reconnects (its retry timer may still fire); and a
 * message for a closing socket is dropped (see send). */
class PatientWebSocketClientAdapter extends WebSocketClientAdapter {
  #closed = false;
  constructor(url, retryInterval) {
    super(url, retryInterval);
    const onError = this.onError;
    this.onError = event => {
      if (event?.error && /Unexpected server response|ECONNRESET|socket hang up/.test(String(event.error.message))) return;
      onError(event);
    };
  }
  #attemptAt = 0;
  connect(peerId, peerMetadata) {
    if (this.#closed) return;
    const old = this.socket;
    // The adapter's retry timer fires every retryInterval while a socket is
    // still connecting, and each time opens another without closing the
    // last: on a busy relay a device ends up with several sockets. Let an
    // attempt run for 10 s before giving up on it.
    // Nor does a late retry replace a socket that is open: the repo would
    // never hear that the first one closed, and both sides would go on
    // believing they had sent what went down with it.
    if (old && old.readyState === old.OPEN) return;
    if (old && old.readyState === old.CONNECTING && Date.now() - this.#attemptAt < 10000) return;
    if (old) {
      old.on?.('error', () => {});
      if (old.readyState !== old.CLOSED) old.terminate?.();
    }
    this.#attemptAt = Date.now();
    super.connect(peerId, peerMetadata);
  }
  // The adapter throws when asked to send on a socket that is closing, and
  // automerge-repo sends from inside a document update: the throw leaves
  // the handle holding an outdated document, and every later change to it
  // fails. Drop the message instead: the socket is going, and sync starts
  // afresh with whichever relay the device reaches next.
  send(message) {
    if (!this.socket || this.socket.readyState !== this.socket.OPEN) return;
    super.send(message);
  }
  disconnect() {
    if (this.#closed) return;
    this.#closed = true;
    this.socket?.on?.('error', () => {});
    super.disconnect();
  }
}

/** A device: an in-memory automerge-repo client with a socket to each of
 * `urls`, reconnecting every `retryMs` after a socket closes. */
export function device(urls, { peerId, retryMs = 300 } = {}) {
  return new Repo({
    network: urls.map(url => new PatientWebSocketClientAdapter(url, retryMs)),
    peerId,
  });
}

/** A new document id whose shard (of `shards`) is `k`. */
export function documentIdOnShard(k, shards) {
  for (;;) {
    const { documentId } = parseAutomergeUrl(generateAutomergeUrl());
    if (shardOfDocumentId(documentId, shards) === k) return documentId;
  }
}

/** Creates `initial` on `repo` under the given document id. */
export function createWithId(repo, documentId, initial) {
  return repo.import(A.save(A.from(initial)), { docId: documentId });
}
