#!/usr/bin/env node
// Omaha update checks per second and p99 latency against the built service
// (dist, embedded SQLite), 50 connections, varied machine ids; and, in the
// same run, a plain node:http hello-world for the ratio. Loopback only.
//
// Usage: npx tsup && node bench/omaha-throughput.mjs [seconds=10] [connections=50]
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service.
// Each server runs in its own process; autocannon runs in this one. "server
// CPU" is the CPU time (all threads) the server process used per request
// during the measured run: less sensitive to other load than req/s.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 50);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const MACHINES = 20_000;
const BEHIND = 0.05; // share of machines on the old version (they get the update)

function waitFor(child, pattern) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

// CPU time (user + system, all threads) a process has used, in ms; Linux only.
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at USER_HZ = 100
  } catch {
    return NaN;
  }
}

// CPU ms per thread of a process (BENCH_THREADS=1 prints them).
function threadCpuMs(pid) {
  const out = new Map();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      out.set(`${tid} ${name}`, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    }
  } catch {}
  return out;
}

async function run(url, title, requests, pid) {
  const opts = { url, connections, duration: seconds, pipelining: 1 };
  if (requests) Object.assign(opts, { method: 'POST', requests });
  // Warm-up (JIT, caches, page cache), then the measured run.
  await autocannon({ ...opts, duration: 2 });
  const cpu0 = cpuMs(pid);
  const threads0 = process.env.BENCH_THREADS ? threadCpuMs(pid) : undefined;
  const r = await autocannon(opts);
  if (threads0) {
    for (const [k, v] of threadCpuMs(pid)) {
      const us = ((v - (threads0.get(k) ?? 0)) * 1000) / r.requests.total;
      if (us >= 1) console.log(`  thread ${k}: ${us.toFixed(1)} µs/req`);
    }
  }
  const perRequest = ((cpuMs(pid) - cpu0) * 1000) / r.requests.total; // µs of server CPU per request
  const line = `${title.padEnd(28)} ${String(Math.round(r.requests.average)).padStart(7)} req/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   max ${r.latency.max} ms   errors ${r.errors}   non-2xx ${r.non2xx}   total ${r.requests.total}   server CPU ${Math.round(perRequest)} µs/req`;
  console.log(line);
  return r;
}

// ---- plain node:http hello-world in its own process
const hello = spawn(process.execPath, ['-e', `
  const http = require('node:http');
  const s = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, {'content-type': 'text/plain'}); res.end('hello world'); }); });
  s.keepAliveTimeout = 65000;
  s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));
`], { stdio: ['ignore', 'pipe', 'inherit'] });
const helloUrl = await waitFor(hello, /listening on (\S+)/);

// ---- the update service from dist, on embedded SQLite
const dataDir = mkdtempSync(path.join(tmpdir(), 'us-bench-'));
const env = { ...process.env };
for (const k of ['LISTEN_ADDRESS', 'BASE_URL', 'DATA_DIR', 'DB_URL']) delete env[k];
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
const serve = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin/updateservicectl'), 'serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--admin-key', 'k'.repeat(32), '--log-level', 'warn'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env,
});
const serveUrl = (await waitFor(serve, /listening on (\S+)/)).replace('localhost', '127.0.0.1');

// Catalog written straight into the database file (WAL): the service's
// catalog generation trigger makes it visible at once.
const db = new Database(path.join(dataDir, 'updateservice.sqlite'));
db.pragma('busy_timeout = 5000');
const now = Date.now();
db.prepare('INSERT INTO apps (id, label, description, created_at) VALUES (?, ?, ?, ?)').run(APP, 'Bench', '', now);
db.prepare(`INSERT INTO packages (app_id, version, url, size, sha1_sum, sha256_sum, metadata_signature_rsa, metadata_size, release_notes, required, created_at)
  VALUES (?, '1.1.0', 'https://example.com/packages/1.1.0/update.gz', 465881871, 'm4eqJIl18nb4SPWQVCdVCLTwAxE=', 'YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=', '', '', '', 0, ?)`).run(APP, now);
db.prepare("INSERT INTO channels (app_id, label, version, publish, upstream, created_at) VALUES (?, 'stable', '1.1.0', 1, '', ?)").run(APP, now);
db.prepare(`INSERT INTO groups (app_id, id, label, channel_id, oem_blacklist, updates_paused, update_percent, update_count, update_interval, update_pooling, rollout_active, rollout_started_at, created_at)
  VALUES (?, 'stable', 'Stable', 'stable', '', 0, 100, 0, 0, 0, 0, NULL, ?)`).run(APP, now);
db.close();

// update_engine's check (ping + updatecheck + 3/2 event), one body per machine.
const bodies = Array.from({ length: MACHINES }, (_, i) => {
  const version = i < MACHINES * BEHIND ? '1.0.0' : '1.1.0';
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<request protocol="3.0" version="update_engine-0.4.10" updaterversion="update_engine-0.4.10" installsource="scheduler" ismachine="1">
    <os version="Chateau" platform="CoreOS" sp="${version}_x86_64"></os>
    <app appid="{${APP}}" version="${version}" track="stable" bootid="{${randomBytes(16).toString('hex')}}" oem="qemu" oemversion="0.0.1" alephversion="1.0.0" machineid="${randomBytes(16).toString('hex')}" machinealias="" lang="en-US" board="amd64-usr" hardware_class="" delta_okay="false" >
        <ping active="1"></ping>
        <updatecheck></updatecheck>
        <event eventtype="3" eventresult="2" previousversion="0.0.0.0"></event>
    </app>
</request>
`);
});
// Shuffle so old-version machines are spread over the run.
for (let i = bodies.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [bodies[i], bodies[j]] = [bodies[j], bodies[i]];
}
let next = 0;
const requests = [
  {
    method: 'POST',
    path: '/v1/update/',
    headers: { 'content-type': 'text/xml' },
    setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
  },
];

console.log(`${seconds} s per run, ${connections} connections, ${MACHINES} machine ids (${BEHIND * 100}% one version behind)`);
const h = await run(helloUrl, 'node:http hello-world', undefined, hello.pid);
const o = await run(`${serveUrl}/v1/update/`, 'POST /v1/update/ (SQLite)', requests, serve.pid);
console.log(`ratio update checks / hello-world: ${(o.requests.average / h.requests.average).toFixed(2)}`);

// What the service recorded.
serve.kill('SIGTERM');
hello.kill('SIGTERM');
await new Promise((r) => serve.on('exit', r));
const check = new Database(path.join(dataDir, 'updateservice.sqlite'), { readonly: true });
const count = (sql) => check.prepare(sql).get().n;
console.log(`recorded: ${count('SELECT count(*) AS n FROM instances')} instances, ${count('SELECT count(*) AS n FROM events')} events, ${count('SELECT count(*) AS n FROM grants')} grants`);
check.close();
rmSync(dataDir, { recursive: true, force: true });
