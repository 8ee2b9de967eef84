#!/usr/bin/env node
// A longer fuzz run than CI's, by hand: the suites of test/fuzz (v1 API,
// Omaha endpoint, payloads and system routes) against a real `serve`, each
// property for the given time instead of CI's few seconds. PostgreSQL is
// fuzzed too when TEST_DATABASE_URL is set (eval "$(.ci/postgres.sh)").
//
// Usage: node scripts/fuzz.mjs [seconds per property=300] [seed] [suite…]
//   suites: api, omaha, edges (default: all three)
// A failure prints its seed; `node scripts/fuzz.mjs SECONDS SEED` replays it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [secondsArg = '300', seedArg, ...suiteArgs] = process.argv.slice(2);
const SUITES = ['api', 'omaha', 'edges'];
const usage = 'usage: node scripts/fuzz.mjs [seconds per property=300] [seed] [api|omaha|edges …]';
const seconds = Number(secondsArg);
if (!Number.isSafeInteger(seconds) || seconds <= 0) {
  console.error(`seconds must be a positive whole number, got ${JSON.stringify(secondsArg)}\n${usage}`);
  process.exit(2);
}
if (seedArg !== undefined && seedArg !== '' && !/^-?\d+$/.test(seedArg)) {
  console.error(`seed must be an integer, got ${JSON.stringify(seedArg)}\n${usage}`);
  process.exit(2);
}
const unknown = suiteArgs.filter((s) => !SUITES.includes(s));
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(', ')}\n${usage}`);
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = (suiteArgs.length ? suiteArgs : SUITES).map((s) => `test/fuzz/${s}.test.ts`);
const env = { ...process.env, FUZZ_SECONDS: String(seconds), FUZZ_RUNS: String(Number.MAX_SAFE_INTEGER) };
if (seedArg) env.FUZZ_SEED = seedArg;
if (!env.TEST_DATABASE_URL) console.log('PostgreSQL not fuzzed: TEST_DATABASE_URL is not set');

// One file at a time: each has the machine to itself for its time.
const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', '--no-file-parallelism', ...files], { cwd: root, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
