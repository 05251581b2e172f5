// automerge-repo clients (Node) for the cluster tests and the load
// benchmark: a device is a Repo with one websocket per shard it needs,
// exactly the published client adapter the browser package uses.
import * as A from '@automerge/automerge';
import { Repo, generateAutomergeUrl, parseAutomergeUrl } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { shardOfDocumentId } from './shard.mjs';

export { A, Repo, WebSocketClientAdapter };

/** The published client adapter, except that a refused upgrade (HAProxy's
 * 502/503 while a shard has no relay up) is a failed try like a refused
 * connection: in Node the adapter throws anything but ECONNREFUSED from an
 * event handler, which would end the process; browsers report no detail. */
class PatientWebSocketClientAdapter extends WebSocketClientAdapter {
  constructor(url, retryInterval) {
    super(url, retryInterval);
    const onError = this.onError;
    this.onError = event => {
      if (event?.error && /Unexpected server response|ECONNRESET|socket hang up/.test(String(event.error.message))) return;
      onError(event);
    };
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
