// Runs inside Chromium (served by scripts/bench-keystroke.mjs): our document layer
// as WebAssembly (target/bench-wasm) and Automerge JS (window.Automerge)
// doing the same work on the same plan with the same keystrokes.
import init, { Plan } from './csp_bench.js';
import { keystrokes } from './typing.mjs';

const OWN = ['wellbeing', 'health-wellbeing', 'own_words'];
const NOTES = ['wellbeing', 'health-wellbeing', 'worker_notes'];
const now = () => performance.now();
const apply = (text, k) => text.slice(0, k.at) + k.ins + text.slice(k.at + k.del);

// Automerge JS starts from the very same plan values (one document).
function jsStart(A, plan) {
  return A.change(A.clone(A.load(plan.whole())), (d) => {
    d.wellbeing['health-wellbeing'].own_words = '';
    d.wellbeing['health-wellbeing'].worker_notes = '';
  });
}

export async function run(base, runs) {
  await init({ module_or_path: `${base}csp_bench_bg.wasm` });
  const A = window.Automerge;
  const sizes = {};
  for (const edits of [1000, 5000, 20000]) {
    const keys = keystrokes(edits, 7);
    const ours = new Plan();
    let doc = jsStart(A, ours);
    const oe = []; const je = [];
    let text = '';
    for (const k of keys) {
      text = apply(text, k);
      let t = now();
      ours.set(0, text);
      oe.push(now() - t);
      ours.keep();
      t = now();
      doc = A.change(doc, (d) => A.splice(d, OWN, k.at, k.del, k.ins));
      je.push(now() - t);
    }
    if (A.toJS(doc).wellbeing['health-wellbeing'].own_words !== text) throw new Error('Automerge JS text differs');
    const r = { ours: { edit: oe.slice(-1000), save: [], load: [] }, js: { edit: je.slice(-1000), save: [], load: [] } };
    let ob; let jb;
    for (let i = 0; i < runs; i++) {
      let t = now(); ob = ours.save(); r.ours.save.push(now() - t);
      t = now(); jb = A.save(doc); r.js.save.push(now() - t);
    }
    for (let i = 0; i < runs; i++) {
      let t = now(); Plan.load(ob).free(); r.ours.load.push(now() - t);
      t = now(); A.toJS(A.load(jb)); r.js.load.push(now() - t);
    }
    r.ours.bytes = ob.length;
    r.ours.kept = ours.kept();
    r.js.bytes = jb.length;
    ours.free();
    sizes[edits] = r;
  }
  // Merge: two devices each type 1,000 keys into a different answer.
  const merge = { ours: [], js: [] };
  for (let i = 0; i < runs; i++) {
    const a = keystrokes(1000, 100 + i); const b = keystrokes(1000, 200 + i);
    const base0 = new Plan();
    const x = base0.fork(); const y = base0.fork();
    let jx = jsStart(A, base0); let jy = A.clone(jx);
    let tx = ''; let ty = '';
    for (let j = 0; j < 1000; j++) {
      tx = apply(tx, a[j]); ty = apply(ty, b[j]);
      x.set(0, tx); y.set(1, ty);
      jx = A.change(jx, (d) => A.splice(d, OWN, a[j].at, a[j].del, a[j].ins));
      jy = A.change(jy, (d) => A.splice(d, NOTES, b[j].at, b[j].del, b[j].ins));
    }
    let t = now(); x.merge(y); merge.ours.push(now() - t);
    t = now(); A.toJS(A.merge(jx, jy)); merge.js.push(now() - t);
    for (const p of [base0, x, y]) p.free();
  }
  return { sizes, merge };
}
