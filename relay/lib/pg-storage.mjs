// automerge-repo's storage in PostgreSQL: the published adapter
// `automerge-repo-storage-postgres` (pinned; it passes automerge-repo's own
// storage adapter acceptance tests, tests/cluster/storage.test.mjs) over a
// `pg` pool, wrapped so that PostgreSQL going away for a while (a restart,
// a failover of the database) delays saves and loads instead of losing
// them or crashing the relay.
//
// Why the wrapper: automerge-repo calls `save` from a timer and does not
// catch a failure (an unhandled rejection ends a Node process), and pg's
// pool emits 'error' when PostgreSQL drops an idle connection. Every call
// the adapter makes is safe to repeat (save is an upsert, remove deletes by
// key, the others read), and automerge-repo waits for one save of a
// document before starting the next, so repeating a call until it succeeds
// keeps each document's saves in order.
import pg from 'pg';
import { PostgresStorageAdapter } from 'automerge-repo-storage-postgres';

export const DEFAULT_TABLE = 'automerge_chunks';

/** The table the adapter expects (its README's CREATE TABLE, corrected:
 * `bytea[]` is PostgreSQL's spelling of an array of byte strings). */
export function createTableSql(table = DEFAULT_TABLE) {
  return `CREATE TABLE IF NOT EXISTS ${pg.escapeIdentifier(table)} (key bytea[] PRIMARY KEY, value bytea NOT NULL)`;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Repeats `fn` until it succeeds, waiting 50 ms, then twice as long each
 * time up to `maxWaitMs`. Says once when an outage starts and when it ends. */
export async function untilDone(fn, { what, log = console.error, maxWaitMs = 1000 } = {}) {
  let wait = 50;
  let failures = 0;
  for (;;) {
    try {
      const result = await fn();
      if (failures) log(`storage: ${what} succeeded after ${failures} failed tries`);
      return result;
    } catch (err) {
      if (failures === 0) log(`storage: ${what} failed (${err.code || err.message}); trying again until it works`);
      failures += 1;
      await sleep(wait);
      wait = Math.min(wait * 2, maxWaitMs);
    }
  }
}

/** A storage adapter that repeats each call of `inner` until it succeeds. */
export class PatientStorage {
  constructor(inner, options = {}) {
    this.inner = inner;
    this.options = options;
  }
  #call(name, key, ...rest) {
    return untilDone(() => this.inner[name](key, ...rest), {
      ...this.options,
      what: `${name} ${key.join('/')}`,
    });
  }
  load(key) { return this.#call('load', key); }
  save(key, data) { return this.#call('save', key, data); }
  remove(key) { return this.#call('remove', key); }
  loadRange(prefix) { return this.#call('loadRange', prefix); }
  removeRange(prefix) { return this.#call('removeRange', prefix); }
}

/** A pool on `connectionString` (or libpq's PG* variables), the table
 * created if missing, and the patient adapter over it. */
export async function postgresStorage({
  connectionString,
  table = DEFAULT_TABLE,
  poolSize = 10,
  log = console.error,
} = {}) {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  // A connection PostgreSQL closed while idle: the pool drops it and the
  // next query opens another. Without a listener Node would stop the relay.
  pool.on('error', err => log(`storage: idle connection lost (${err.code || err.message})`));
  await untilDone(() => pool.query(createTableSql(table)), { what: 'create table', log });
  const adapter = new PatientStorage(new PostgresStorageAdapter(table, pool), { log });
  return { adapter, pool };
}
