// automerge-repo's own storage adapter acceptance tests (shipped in
// @automerge/automerge-repo as helpers/tests/storage-adapter-tests.js) run
// against the PostgreSQL adapter the relay uses, as published and inside
// the relay's patient wrapper, on a throwaway PostgreSQL.
// Run: cd relay && npx vitest run (scripts/test.sh does).
import { afterAll, beforeAll } from 'vitest';
import pg from 'pg';
import { runStorageAdapterTests } from '@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js';
import { PostgresStorageAdapter } from 'automerge-repo-storage-postgres';
import { PatientStorage, createTableSql } from '../lib/pg-storage.mjs';
import { startPostgres } from '../lib/cluster.mjs';

let postgres;
let pool;
let tables = 0;

beforeAll(async () => {
  postgres = await startPostgres({ fast: true });
  pool = new pg.Pool({ connectionString: postgres.databaseUrl });
  pool.on('error', () => {}); // PostgreSQL stopping at the end
}, 60000);

afterAll(async () => {
  await pool?.end();
  await postgres?.destroy();
});

// A table of its own for every test: no test sees another's rows.
async function freshTable() {
  tables += 1;
  const table = `acceptance_${tables}`;
  await pool.query(createTableSql(table));
  return table;
}

runStorageAdapterTests(async () => {
  const adapter = new PostgresStorageAdapter(await freshTable(), pool);
  return { adapter };
}, 'automerge-repo-storage-postgres 0.0.1');

runStorageAdapterTests(async () => {
  const adapter = new PatientStorage(new PostgresStorageAdapter(await freshTable(), pool));
  return { adapter };
}, 'the relay\'s patient wrapper over it');
