// The page module links no document engine and no crypto (#21): Automerge,
// autosurgeon and the crypto crates are the engine worker's alone.
//
//   node scripts/page-links.mjs [the page's wasm as rustc left it]
//
// Reads the function names rustc leaves in the module (its `name` section,
// before wasm-bindgen strips it: `target/wasm32-unknown-unknown/release/
// carer-plan.wasm` after the release build) and fails, naming them, when a
// function of one of those crates is in it. The engine's module is checked
// the same way the other way round: it must hold Automerge, or the check
// would pass on a module with no names at all.
//
// Names are mangled (v0: `..Cs<hash>_9automerge13sequence_tree..`): a
// function of a crate, or one made for its types, names the crate with
// its length-prefixed name. Code of those crates inlined into
// the page's own functions would not be seen; the module's size would
// (scripts/size.mjs), and none of their functions can be called without
// one of them being linked.
import { readFileSync } from 'node:fs';

const FORBIDDEN = [
  'automerge', 'autosurgeon', 'ed25519_dalek', 'curve25519_dalek', 'x25519_dalek',
  'aes_gcm', 'aes', 'argon2', 'blake2', 'chacha20', 'chacha20poly1305', 'hkdf',
  'sha2', 'flate2', 'miniz_oxide', 'keyhive_core',
];
const target = 'target/wasm32-unknown-unknown/release';
const page = process.argv[2] ?? `${target}/carer-plan.wasm`;
const engine = process.argv[3] ?? `${target}/engine.wasm`;

/// Function names of a module's `name` section.
function functionNames(path) {
  const b = readFileSync(path);
  let at = 8;
  const leb = () => {
    let v = 0, shift = 0, byte;
    do { byte = b[at++]; v += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return v;
  };
  const names = [];
  while (at < b.length) {
    const id = b[at++];
    const size = leb();
    const end = at + size;
    if (id === 0) {
      const len = leb();
      const section = b.toString('utf8', at, at + len);
      at += len;
      if (section === 'name') {
        while (at < end) {
          const sub = b[at++];
          const subSize = leb();
          const subEnd = at + subSize;
          if (sub === 1) {
            const count = leb();
            for (let i = 0; i < count; i++) {
              leb();
              const n = leb();
              names.push(b.toString('utf8', at, at + n));
              at += n;
            }
          }
          at = subEnd;
        }
      }
    }
    at = end;
  }
  return names;
}

/// The names of `names` that are functions of `krate`, or made for its
/// types: v0-mangled names name a crate `C<disambiguator>_<len><name>`
/// (legacy ones `_ZN<len><name>`).
const of = (names, krate) => {
  const crate = new RegExp(`C(?:s[0-9A-Za-z]*_)?${krate.length}${krate}|_ZN${krate.length}${krate}`);
  return names.filter((n) => crate.test(n));
};

const pageNames = functionNames(page);
const engineNames = functionNames(engine);
if (pageNames.length === 0 || engineNames.length === 0) {
  console.error(`page-links: no function names in ${pageNames.length === 0 ? page : engine}: build it with names kept (the release build as rustc leaves it)`);
  process.exit(1);
}
if (of(engineNames, 'automerge').length === 0) {
  console.error(`page-links: the engine module ${engine} holds no Automerge function: the check cannot read its names`);
  process.exit(1);
}
let found = 0;
for (const krate of FORBIDDEN) {
  const hits = of(pageNames, krate);
  if (hits.length) {
    found += hits.length;
    console.error(`page-links: the page module links ${hits.length} function(s) of ${krate}, for example:\n  ${hits.slice(0, 5).join('\n  ')}`);
  }
}
console.log(`page-links: ${pageNames.length} functions in the page module, ${found} of ${FORBIDDEN.join(', ')}; the engine module has ${of(engineNames, 'automerge').length} of Automerge`);
process.exit(found ? 1 : 0);
