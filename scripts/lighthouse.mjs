// Lighthouse (npm `lighthouse` 12, mobile profile: simulated slow 4G and 4×
// CPU slowdown) on the release build in dist/, served as a host following
// docs/deploy.md's "Deploying" would (host-dist.mjs): once with the .gz
// files and once with the .br files the build wrote. Debian's Chromium, headless. Prints a
// table and writes it as the "Lighthouse" part of BENCHMARKS.md's results
// (run by scripts/bench.sh after bench.mjs). A benchmark: nothing fails.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { host as serveDist } from './host-dist.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const host = (encoding) => serveDist(DIST, encoding);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function measure(encoding) {
  const server = await host(encoding);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    // A fresh profile each run: a first visit, nothing cached.
    const chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      userDataDir: mkdtempSync(join(tmpdir(), 'csp-lighthouse-')),
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const { lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
      const a = lhr.audits;
      runs.push({
        score: Math.round(lhr.categories.performance.score * 100),
        fcp: a['first-contentful-paint'].numericValue,
        lcp: a['largest-contentful-paint'].numericValue,
        tti: a.interactive.numericValue,
        tbt: a['total-blocking-time'].numericValue,
        cls: a['cumulative-layout-shift'].numericValue,
        bytes: a['total-byte-weight'].numericValue,
        version: lhr.lighthouseVersion,
      });
    } finally {
      await chrome.kill();
    }
  }
  server.close();
  const m = (k) => median(runs.map((r) => r[k]));
  return { encoding, runs: runs.length, version: runs[0].version, score: m('score'), fcp: m('fcp'), lcp: m('lcp'), tti: m('tti'), tbt: m('tbt'), cls: m('cls'), bytes: m('bytes') };
}

const s = (ms) => (ms / 1000).toFixed(1) + ' s';
const rows = [];
for (const enc of ['gzip', 'br']) rows.push(await measure(enc));
let md = `### Lighthouse (mobile profile)\n\nLighthouse ${rows[0].version}, its default mobile profile (simulated slow 4G, 4× CPU slowdown), performance only, a fresh profile each run, median of ${RUNS} runs; dist/ served by \`scripts/lighthouse.mjs\` with the build's .gz or .br files. "Transfer" is Lighthouse's total byte weight of the first load.\n\n`;
md += '| served with | score | FCP | LCP | TTI | TBT | CLS | transfer (bytes) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n';
for (const r of rows) {
  md += `| ${r.encoding === 'br' ? 'brotli' : 'gzip'} | ${r.score} | ${s(r.fcp)} | ${s(r.lcp)} | ${s(r.tti)} | ${Math.round(r.tbt)} ms | ${r.cls.toFixed(3)} | ${Math.round(r.bytes).toLocaleString('en-GB')} |\n`;
}
md += '\nGoal, gzip: score ≥ 90, LCP ≤ 2.5 s, TTI ≤ 4.0 s, TBT ≤ 200 ms.\n';
console.log(md);

if (!process.argv.includes('--no-write')) {
  const target = join(ROOT, 'BENCHMARKS.md');
  const old = readFileSync(target, 'utf8');
  const at = old.indexOf('### Lighthouse (mobile profile)');
  let next = at < 0 ? -1 : old.indexOf('\n### ', at + 1);
  const body = at < 0 ? `${old.trimEnd()}\n\n${md}` : old.slice(0, at) + md + (next < 0 ? '' : old.slice(next));
  writeFileSync(target, body);
}
