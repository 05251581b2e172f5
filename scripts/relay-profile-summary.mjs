// Where a relay's CPU went, from a V8 .cpuprofile (scripts/relay-profile.mjs):
// the functions with the most time of their own ("self") and the most time
// with everything they called ("total", each function counted once per
// sample), as shares of the busy time (idle samples left out).
//
//   node scripts/relay-profile-summary.mjs relay.cpuprofile [top]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const nameOf = ({ functionName, url, lineNumber }) => {
  const file = url ? basename(url.replace(/^file:\/\//, '')) : '';
  const where = url?.includes('node_modules/')
    ? url.replace(/.*node_modules\//, '').split('/').slice(0, url.includes('/@') ? 2 : 1).join('/')
    : file;
  return `${functionName || '(anonymous)'}${where ? ` ${where}${file && where !== file ? `/${file}` : ''}:${lineNumber + 1}` : ''}`;
};

export function summarise(profile, top = 15) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  let busy = 0;
  let idle = 0;
  // Each sample stands for the time until the next one.
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(id);
    if (node.callFrame.functionName === '(idle)') {
      idle += ms;
      return;
    }
    busy += ms;
    const own = nameOf(node.callFrame);
    self.set(own, (self.get(own) ?? 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = nameOf(byId.get(at).callFrame);
      if (seen.has(name) || name === '(root)') continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  const list = map => [...map].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, ms]) => `${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${name}`);
  return { busyMs: Math.round(busy), idleMs: Math.round(idle), self: list(self), total: list(total) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const s = summarise(profile, Number(process.argv[3] || 30));
  console.log(`busy ${s.busyMs} ms, idle ${s.idleMs} ms\n\nself:\n${s.self.join('\n')}\n\ntotal:\n${s.total.join('\n')}`);
}
