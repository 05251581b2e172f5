// `node relay/cluster.mjs [N]` (or `bash scripts/relay-cluster.sh [N]`):
// PostgreSQL, N shards (default 2) of an active relay and a standby, and
// HAProxy, on loopback, until Ctrl+C. See relay/lib/cluster.mjs.
import { startCluster, stopOnExit } from './lib/cluster.mjs';

const shards = Number(process.argv[2] || process.env.SHARDS || 2);
if (!Number.isInteger(shards) || shards < 1 || shards > 64) {
  console.error('usage: relay-cluster.sh [number of shards, 1 to 64]');
  process.exit(2);
}
const verbose = process.env.VERBOSE === '1';
const cluster = await startCluster({
  shards,
  stats: true,
  log: verbose ? line => process.stderr.write(String(line)) : () => {},
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
stopOnExit(cluster);
console.log(`PostgreSQL   ${cluster.postgres.databaseUrl} (data in ${cluster.postgres.dir})`);
cluster.relays.forEach(([active, standby], k) => {
  console.log(`shard ${k}      active ws://127.0.0.1:${active.port} (pid ${active.pid}), standby ws://127.0.0.1:${standby.port} (pid ${standby.pid})`);
});
console.log(`HAProxy      ${cluster.url}/s/<k> for shard k (stats http://127.0.0.1:${cluster.statsPort}/)`);
console.log(`relay.json   {"relay": "${cluster.url}", "shards": ${shards}}`);
console.log('Ready. Ctrl+C stops everything and removes the data.');
