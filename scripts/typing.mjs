// Realistic typing for the benchmarks: the same keystrokes, from a seed,
// for our document layer and for Automerge JS. Words typed one key at a
// time; about one word in twelve has a slip (a neighbouring key) noticed and
// put right with Backspace; now and then a whole word is rubbed out and
// typed again. Once the answer nears 5,000 characters (the app's limit for
// a long answer) the writer goes back into it: rubs out a stretch with
// Backspace and types new words there, so it stays near 5,000.
//
// Each keystroke is { at, del, ins }: at `at` (in characters), delete `del`
// characters (0 or 1) and insert `ins` ('' or one character).

const WORDS = ('I look after my mum every day and it is hard to find time for myself. ' +
  'She has dementia and needs help with washing, dressing, meals and her tablets. ' +
  'My brother helps on Sundays but he works shifts. I would like a break once a ' +
  'fortnight, and someone to talk to about money. Sleep is the worst of it: she ' +
  'wakes two or three times most nights and I worry about her falling on the stairs. ' +
  'The GP is kind but appointments are hard to get. I gave up my job last year.').split(' ');
const NEAR = { a: 's', e: 'r', i: 'o', o: 'p', n: 'm', t: 'y', s: 'd', r: 't', h: 'j', l: 'k', d: 'f', u: 'i', m: 'n', y: 'u', w: 'e' };
export const LIMIT = 5000;

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function keystrokes(n, seed = 1) {
  const rnd = prng(seed);
  const out = [];
  let len = 0;
  let cursor = 0;
  let w = 0;
  const key = (k) => {
    out.push({ at: k.del ? cursor - 1 : cursor, del: k.del ? 1 : 0, ins: k.ins ?? '' });
    if (k.del) { cursor -= 1; len -= 1; } else { cursor += 1; len += 1; }
  };
  while (out.length < n) {
    if (len >= LIMIT - 80) {
      // Go back into the answer and rewrite a stretch of it.
      cursor = Math.floor(rnd() * (len - 200)) + 100;
      const rub = 20 + Math.floor(rnd() * 40);
      for (let i = 0; i < rub && out.length < n; i++) key({ del: true });
      continue;
    }
    const word = WORDS[w++ % WORDS.length] + ' ';
    const slipAt = rnd() < 1 / 12 ? Math.floor(rnd() * word.length) : -1;
    for (let i = 0; i < word.length && out.length < n; i++) {
      if (i === slipAt && NEAR[word[i]]) {
        // A neighbouring key, perhaps one more key before it is noticed,
        // then Backspace over both.
        let wrong = 1;
        key({ ins: NEAR[word[i]] });
        if (rnd() < 0.5 && i + 1 < word.length) { key({ ins: word[i + 1] }); wrong += 1; }
        for (let j = 0; j < wrong && out.length < n; j++) key({ del: true });
      }
      if (out.length < n) key({ ins: word[i] });
    }
    if (rnd() < 1 / 40) {
      // Rub out the whole word and type it again.
      for (let i = 0; i < word.length && out.length < n; i++) key({ del: true });
      for (let i = 0; i < word.length && out.length < n; i++) key({ ins: word[i] });
    }
  }
  return out.slice(0, n);
}
