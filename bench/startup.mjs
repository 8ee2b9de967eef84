#!/usr/bin/env node
// Start-up cost of the CLI against a bare `node -e 0`: `--version` (the entry
// and nothing else), and `app list` against a local `serve` holding three
// apps (flags, the command family, the HTTP client, one signed request, the
// table). For reference, a bare node:http GET of the same server, as
// `node -e` runs it.
//
// The runs are interleaved, one of each per round in a rotating order, so
// the noise of a shared machine falls on all of them alike. The times are
// medians; each ratio is the median of the per-round ratios to `node -e 0`.
// One warm-up run of each comes first, so the file cache and the CLI's
// compile cache are warm, as they are for anyone who runs it twice. Peak
// memory comes from one more run of each, apart from the timed ones.
//
// Usage: npx tsup && node bench/startup.mjs [rounds=20]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.argv[2] ?? 20);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'updateservicectl');
const KEY = 'd3b07384d113edec49eaa6238ad5ff00';
const TARGETS = { version: 1.2, list: 1.5 };
const APP_IDS = ['e96281a6-d1af-4bde-9a0a-97b76e56dc57', '72834a2b-ad86-4d8e-9a4c-bf4fd4c8d1ff', '3b0bd4f5-4a4c-4b35-8a7d-a2d1c8a1e6f0'];

/** Starts `serve` on a free loopback port with a throw-away data folder; resolves with its URL and process. */
function startServe(dataDir, env) {
  const args = [cli, 'serve', '--listen=127.0.0.1:0', `--data-dir=${dataDir}`, `--admin-key=${KEY}`, '--log-level=silent'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s: ${out}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

/** Runs node with `args`; returns its wall time in ms. A failed run stops the benchmark. */
function timeRun(args, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env, timeout: 60_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// Prints the process's peak resident memory (kB) on stderr as it exits.
const PEAK_RSS_HOOK = `data:text/javascript,process.on('exit', () => process.stderr.write('maxrss=' + process.resourceUsage().maxRSS + '\\n'))`;

/** Peak resident memory of one run, in MB. */
function peakRss(args, env) {
  const r = spawnSync(process.execPath, [`--import=${PEAK_RSS_HOOK}`, ...args], { encoding: 'utf8', env, timeout: 60_000 });
  const m = /maxrss=(\d+)/.exec(r.stderr);
  return m ? Number(m[1]) / 1024 : NaN;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const work = mkdtempSync(path.join(os.tmpdir(), 'startup-bench-'));
// no saved profile or UPDATECTL_* setting of the person running it
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('UPDATECTL_')));
env.XDG_CONFIG_HOME = path.join(work, 'config');
const { url, child } = await startServe(path.join(work, 'data'), env);
try {
  Object.assign(env, { UPDATECTL_SERVER: url, UPDATECTL_USER: 'admin', UPDATECTL_KEY: KEY });
  for (const [i, id] of APP_IDS.entries()) timeRun([cli, 'app', 'create', `--app-id=${id}`, `--label=App ${i + 1}`, '--description=bench'], env);
  const httpGet = `require('node:http').get(${JSON.stringify(`${url}/health`)}, (r) => r.resume())`;
  const runs = {
    baseline: { label: 'node -e 0', args: ['-e', '0'] },
    version: { label: 'updateservicectl --version', args: [cli, '--version'] },
    list: { label: 'updateservicectl app list', args: [cli, 'app', 'list'] },
    http: { label: 'node -e (node:http GET /health)', args: ['-e', httpGet] },
  };
  const names = Object.keys(runs);
  for (const name of names) timeRun(runs[name].args, env);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const load = os.loadavg()[0];
  for (let i = 0; i < rounds; i++) {
    // rotate the order, so that no command always runs right after another
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      times[name].push(timeRun(runs[name].args, env));
    }
  }
  const ratio = (name) => median(times[name].map((t, i) => t / times.baseline[i]));
  console.log(
    `${rounds} interleaved rounds, Node ${process.version}, ${os.cpus().length} CPUs, ` +
      `load average ${load.toFixed(1)} before and ${os.loadavg()[0].toFixed(1)} after`,
  );
  for (const name of names) {
    const { label, args } = runs[name];
    let text = `${label.padEnd(32)} median ${median(times[name]).toFixed(1).padStart(6)} ms`;
    if (name !== 'baseline') text += `   ratio ${ratio(name).toFixed(2)}`;
    text += `   peak ${peakRss(args, env).toFixed(0)} MB`;
    if (TARGETS[name]) text += `   (target ≤ ${TARGETS[name].toFixed(2)}: ${ratio(name) <= TARGETS[name] ? 'met' : 'NOT met'})`;
    console.log(text);
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
