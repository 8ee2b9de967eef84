#!/usr/bin/env node
// Start-up cost of `updateservicectl --version` against a bare `node -e 0`,
// measured as paired runs (alternating, so machine noise hits both alike).
// Usage: node bench/startup.mjs [runs=10]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 10);
const cli = fileURLToPath(new URL('../bin/updateservicectl', import.meta.url));

function timeRun(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// one warm-up of each, so the file cache is equally warm
timeRun(['-e', '0']);
timeRun([cli, '--version']);
const baseline = [];
const version = [];
for (let i = 0; i < runs; i++) {
  baseline.push(timeRun(['-e', '0']));
  version.push(timeRun([cli, '--version']));
}
const b = median(baseline);
const v = median(version);
console.log(`node -e 0                  median ${b.toFixed(1)} ms over ${runs} runs`);
console.log(`updateservicectl --version median ${v.toFixed(1)} ms over ${runs} runs`);
console.log(`ratio ${(v / b).toFixed(2)} (target at most 1.30)`);
