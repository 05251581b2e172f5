// A relay cluster on loopback for development, tests and benchmarks:
// a throwaway PostgreSQL (Debian's `postgresql`: initdb into a temporary
// folder as an unprivileged user, a free port), N shards each with an
// active relay and a standby (relay/server.mjs, automerge-repo unmodified)
// and HAProxy (Debian's `haproxy`) in front, routing `/s/<k>` to shard k.
// scripts/relay-cluster.sh runs it from the command line; the tests in
// tests/cluster/ drive it through the handles returned here.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chownSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../server.mjs', import.meta.url));

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** The folder with PostgreSQL's server programs (initdb, postgres). */
export function postgresBindir() {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter(v => existsSync(join(root, v, 'bin', 'initdb')));
    versions.sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(root, versions[0], 'bin');
  }
  throw new Error('PostgreSQL is not installed: run `bash scripts/setup.sh` (it installs Debian\'s postgresql)');
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres`
 * user Debian's package makes (or `nobody`). */
function unprivileged() {
  if (process.getuid?.() !== 0) return {};
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user]).toString());
      const gid = Number(execFileSync('id', ['-g', user]).toString());
      return { uid, gid };
    } catch { /* try the next */ }
  }
  throw new Error('no unprivileged user to run PostgreSQL as');
}

function waitForLine(child, pattern, what, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const look = chunk => {
      seen += chunk;
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${seen}`));
    });
  });
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise(resolve => child.once('exit', resolve));
}

/** A throwaway PostgreSQL in a temporary folder; `stop()` removes it. */
export async function startPostgres({ fast = false, log = () => {} } = {}) {
  const bin = postgresBindir();
  const ids = unprivileged();
  const dir = mkdtempSync(join(tmpdir(), 'relay-pg-'));
  const data = join(dir, 'data');
  if (ids.uid !== undefined) chownSync(dir, ids.uid, ids.gid);
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'relay', '-A', 'trust', '-E', 'UTF8', '--no-sync'], {
    ...ids, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await freePort();
  const args = [
    '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`,
    '-c', 'max_connections=200', '-c', 'shared_buffers=128MB', '-c', 'logging_collector=off',
  ];
  // Tests only: no waiting for the disk. A restart of PostgreSQL (the fault
  // the tests make) still loses nothing; a power cut would.
  if (fast) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  let child;
  const pg = {
    port,
    dir,
    databaseUrl: `postgres://relay@127.0.0.1:${port}/postgres`,
    async start() {
      child = spawn(join(bin, 'postgres'), args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', d => log(`[postgres] ${d}`));
      child.stderr.on('data', d => log(`[postgres] ${d}`));
      await waitForLine(child, /ready to accept connections/, 'PostgreSQL');
      pg.pid = child.pid;
    },
    /** A clean ("fast") shutdown: open connections are closed. */
    async stop() {
      if (!child) return;
      child.kill('SIGINT');
      await exited(child);
      child = undefined;
    },
    async restart(downMs = 0) {
      await pg.stop();
      if (downMs) await sleep(downMs);
      await pg.start();
    },
    async destroy() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    /** Size of the relay's table and its indexes, in bytes. */
    sizeBytes(table = 'automerge_chunks') {
      return Number(execFileSync(join(bin, 'psql'), [
        '-h', '127.0.0.1', '-p', String(port), '-U', 'relay', '-d', 'postgres', '-tA',
        '-c', `SELECT pg_total_relation_size('${table}')`,
      ]).toString().trim());
    },
  };
  await pg.start();
  return pg;
}

/** One relay process (relay/server.mjs); `start()` again after a kill. */
export function relayProcess({ name, port, env, log = () => {} }) {
  let child;
  const relay = {
    name,
    port,
    get pid() { return child?.pid; },
    get running() { return !!child && child.exitCode === null && child.signalCode === null; },
    async start() {
      child = spawn(process.execPath, [SERVER], {
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), RELAY_NAME: name, EXIT_WITH_PARENT: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', d => log(`[${name}] ${d}`));
      child.stderr.on('data', d => log(`[${name}] ${d}`));
      await waitForLine(child, /listening/, `relay ${name}`);
    },
    /** SIGKILL by default: the process has no chance to save anything. */
    async kill(signal = 'SIGKILL') {
      if (!relay.running) return;
      const c = child;
      c.kill(signal);
      await exited(c);
    },
    async health() {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return res.json();
    },
  };
  return relay;
}

/** HAProxy's configuration for a cluster (docs/relay-at-scale.md explains
 * each line; the production one there is this with TLS and real addresses). */
export function haproxyConfig({ port, shards, maxSocketsPerAddress = 500, newSocketsPer10sPerAddress = 600, statsPort, maxconn = 8000 }) {
  const lines = [
    'global',
    '  # each socket is two file descriptors (client and relay): keep under the open-files limit',
    `  maxconn ${maxconn}`,
    '',
    'defaults',
    '  mode http',
    '  # a relay that just died refuses at once; HAProxy waits min(timeout connect, 1 s) before',
    '  # each retry, then the last retry goes to whichever server is up by then (the standby)',
    '  timeout connect 500ms',
    '  retries 2',
    '  option redispatch',
    '  timeout client 60s',
    '  timeout server 60s',
    '  # a websocket lives on after the upgrade: idle sockets close after an hour',
    '  timeout tunnel 1h',
    '  timeout client-fin 5s',
    '  timeout http-request 10s',
    '',
    'frontend relay',
    `  bind 127.0.0.1:${port}`,
    '  # per client address: open sockets and new sockets in 10 s',
    '  stick-table type ip size 200k expire 60s store conn_cur,conn_rate(10s)',
    '  tcp-request connection track-sc0 src',
    `  tcp-request connection reject if { sc0_conn_cur gt ${maxSocketsPerAddress} }`,
    `  tcp-request connection reject if { sc0_conn_rate gt ${newSocketsPer10sPerAddress} }`,
  ];
  lines.push('  # only /s/<shard>; an unknown shard number finds no backend (503)');
  lines.push('  http-request deny deny_status 404 unless { path_reg ^/s/[0-9]+$ }');
  shards.forEach((_, k) => lines.push(`  use_backend shard${k} if { path /s/${k} }`));
  lines.push('');
  shards.forEach(({ active, standby }, k) => {
    lines.push(
      `backend shard${k}`,
      '  # one relay serves the shard at a time: the standby only when the active is down',
      '  option httpchk GET /healthz',
      '  http-check expect status 200',
      '  # a dead relay refuses the check at once (down in 2 checks, under a second); a busy one',
      '  # gets 3 s to answer, so a burst of work never looks like a death',
      '  timeout check 3s',
      '  default-server inter 400ms fastinter 200ms downinter 400ms fall 2 rise 3 on-marked-down shutdown-sessions',
      `  server active 127.0.0.1:${active} check on-marked-up shutdown-backup-sessions`,
      `  server standby 127.0.0.1:${standby} check backup`,
      '',
    );
  });
  if (statsPort) {
    lines.push('frontend stats', `  bind 127.0.0.1:${statsPort}`, '  stats enable', '  stats uri /', '  stats refresh 5s', '');
  }
  return lines.join('\n');
}

/** HAProxy in the foreground (master-worker, so `reload()` is graceful). */
export async function startHaproxy({ config, dir, log = () => {} }) {
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const bin = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
  execFileSync(bin, ['-c', '-q', '-f', file]);
  const child = spawn(bin, ['-W', '-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', d => log(`[haproxy] ${d}`));
  child.stderr.on('data', d => log(`[haproxy] ${d}`));
  child.once('exit', code => log(`[haproxy] exited ${code}`));
  return {
    pid: child.pid,
    file,
    reload: () => child.kill('SIGUSR2'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

async function waitUntil(test, what, timeoutMs = 15000) {
  const start = Date.now();
  for (;;) {
    try {
      if (await test()) return;
    } catch { /* not yet */ }
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** PostgreSQL, `shards` × (active + standby) relays and HAProxy, all on
 * loopback on free ports. `stop()` ends them all and removes the data. */
export async function startCluster({
  shards = 2,
  fast = false,
  log = () => {},
  relayEnv = {},
  limits = {},
  stats = false,
} = {}) {
  const postgres = await startPostgres({ fast, log });
  const dir = mkdtempSync(join(tmpdir(), 'relay-cluster-'));
  const relays = [];
  let haproxy;
  try {
    for (let k = 0; k < shards; k += 1) {
      const pair = [];
      for (const role of ['active', 'standby']) {
        const relay = relayProcess({
          name: `s${k}-${role}`,
          port: await freePort(),
          log,
          env: { DATABASE_URL: postgres.databaseUrl, SHARD: String(k), SHARDS: String(shards), ...relayEnv },
        });
        pair.push(relay);
      }
      relays.push(pair);
    }
    await Promise.all(relays.flat().map(r => r.start()));
    const port = await freePort();
    const statsPort = stats ? await freePort() : undefined;
    haproxy = await startHaproxy({
      dir,
      log,
      config: haproxyConfig({ port, statsPort, shards: relays.map(([a, s]) => ({ active: a.port, standby: s.port })), ...limits }),
    });
    const url = `ws://127.0.0.1:${port}`;
    // Ready when every shard answers through HAProxy.
    await waitUntil(async () => {
      const codes = await Promise.all(relays.map((_, k) => fetch(`http://127.0.0.1:${port}/s/${k}`).then(r => r.status)));
      return codes.every(c => c === 426);
    }, 'HAProxy routing to every shard');
    return {
      url,
      port,
      dir,
      statsPort,
      shards,
      shardUrl: k => `${url}/s/${k}`,
      postgres,
      relays,
      haproxy,
      async stop() {
        await haproxy.stop();
        await Promise.all(relays.flat().map(r => r.kill('SIGTERM')));
        await postgres.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await haproxy?.stop();
    await Promise.all(relays.flat().map(r => r.kill()));
    await postgres.destroy();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

// Children must not outlive whoever started them: on exit, on Ctrl+C or
// SIGTERM, and on a crash. (The relays also stop by themselves when their
// parent dies: EXIT_WITH_PARENT in relay/server.mjs.) An uncaught
// exception ends the process through 'exit' too.
export function stopOnExit(cluster) {
  const kill = () => {
    for (const r of cluster.relays.flat()) if (r.running) try { process.kill(r.pid, 'SIGKILL'); } catch {}
    try { process.kill(cluster.haproxy.pid, 'SIGKILL'); } catch {}
    try { if (cluster.postgres.pid) process.kill(cluster.postgres.pid, 'SIGQUIT'); } catch {}
    for (const dir of [cluster.dir, cluster.postgres.dir]) try { rmSync(dir, { recursive: true, force: true }); } catch {}
  };
  process.on('exit', kill);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    if (process.listenerCount(signal) === 0) process.on(signal, () => process.exit(130));
  }
  return kill;
}
