#!/usr/bin/env node
// Soak: `serve` on embedded SQLite under a fleet of `instance fake` clients,
// API reads and writes through the CLI, and Omaha reports from this script,
// stopped with SIGTERM and started again, cycle after cycle, on whichever
// Node runs this script. It fails unless
//   - every exit of `serve` (and of `instance fake` at the end) is status 0,
//     never a signal (an abort in a native addon shows up as SIGABRT);
//   - nothing acknowledged is lost: every API write answered with success and
//     every Omaha report answered 200 is in the database after the stop;
//   - the database passes SQLite's integrity check after each stop.
// Loopback only; every loop is bounded by the cycle's time.
//
// Usage: npx tsup && node scripts/soak.mjs [cycles=5] [seconds=15] [clients=300]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const cycles = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 15);
const clients = Number(process.argv[4] ?? 300);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/updateservicectl');
const APP = 'd05e8ed6-7a4c-4b1b-9f4e-5c1d3f0e2a77';
const GROUP = 'soak';
const KEY = randomBytes(16).toString('hex');
const REPORTERS = 8; // concurrent Omaha reports from this script
const API_LOOPS = 2; // concurrent CLI processes

const env = { ...process.env };
for (const k of Object.keys(env)) if (k.startsWith('UPDATECTL_')) delete env[k];
for (const k of ['LISTEN_ADDRESS', 'BASE_URL', 'DATA_DIR', 'DB_URL', 'ADMIN_KEY', 'LOG_LEVEL']) delete env[k];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the exit of a child: `{ code, signal }`. */
const exited = (child) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

async function startServe(port, dataDir) {
  const child = spawn(process.execPath, [bin, 'serve', `--listen=127.0.0.1:${port}`, `--data-dir=${dataDir}`, `--admin-key=${KEY}`, '--log-level=warn'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not listen within 30 s')), 30_000);
    lines.on('line', (line) => line.startsWith('listening on ') && (clearTimeout(timer), resolve()));
    child.once('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}) before listening:\n${stderr}`)));
  });
  await listening;
  return { child, stderr: () => stderr };
}

/** One CLI process as admin; resolves with its exit code and output. */
function cli(server, ...argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, `--server=${server}`, '--user=admin', `--key=${KEY}`, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

async function mustCli(server, ...argv) {
  const r = await cli(server, ...argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code ?? r.signal}):\n${r.out}`);
}

/** update_engine's "update complete" report for one machine, without an update check. */
const reportBody = (machine) => `<?xml version="1.0" encoding="UTF-8"?>
<request protocol="3.0" version="update_engine-0.4.10" updaterversion="update_engine-0.4.10" installsource="scheduler" ismachine="1">
    <os version="Chateau" platform="CoreOS" sp="1.1.0_x86_64"></os>
    <app appid="{${APP}}" version="1.1.0" track="${GROUP}" bootid="{${randomBytes(16).toString('hex')}}" oem="soak" machineid="${machine}" machinealias="" lang="en-US" board="amd64-usr" hardware_class="" delta_okay="false" >
        <event eventtype="3" eventresult="2" previousversion="1.0.0"></event>
    </app>
</request>
`;

function postReport(agent, port, machine) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/update/', method: 'POST', agent, headers: { 'content-type': 'text/xml' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve(false));
    req.end(reportBody(machine));
  });
}

/** Reports from distinct machines until `deadline`; returns the machine ids answered 200. */
async function reportUntil(port, deadline) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: REPORTERS });
  const acknowledged = [];
  let refused = 0;
  await Promise.all(
    Array.from({ length: REPORTERS }, async () => {
      while (Date.now() < deadline) {
        const machine = randomBytes(16).toString('hex');
        if (await postReport(agent, port, machine)) acknowledged.push(machine);
        else refused++;
      }
    }),
  );
  agent.destroy();
  return { acknowledged, refused };
}

/** CLI reads and channel writes until `deadline`; returns the channels whose creation succeeded. */
async function apiUntil(server, deadline, cycle) {
  const created = [];
  const failed = [];
  let calls = 0;
  await Promise.all(
    Array.from({ length: API_LOOPS }, async (_, loop) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const label = `soak-${cycle}-${loop}-${i}`;
        const steps = [
          ['app', 'list'],
          ['group', 'versions', `--app-id=${APP}`, `--group-id=${GROUP}`],
          ['channel', 'create', `--app-id=${APP}`, `--channel=${label}`, '--version=1.1.0'],
          ['instance', 'list-app-versions', `--app-id=${APP}`, `--group-id=${GROUP}`],
        ];
        for (const argv of steps) {
          if (Date.now() >= deadline) break;
          const r = await cli(server, ...argv);
          calls++;
          if (r.code !== 0) failed.push(`${argv.join(' ')}: exit ${r.code ?? r.signal}: ${r.out.trim()}`);
          else if (argv[1] === 'create') created.push(label);
        }
      }
    }),
  );
  return { created, calls, failed };
}

/** What the database holds of the acknowledged writes, read after `serve` stopped. */
function audit(dbFile, machines, channels) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const hasInstance = db.prepare('SELECT 1 FROM instances WHERE app_id = ? AND id = ?');
    const hasChannel = db.prepare('SELECT 1 FROM channels WHERE app_id = ? AND label = ?');
    const lostReports = machines.filter((m) => !hasInstance.get(APP, m)).length;
    const lostChannels = channels.filter((c) => !hasChannel.get(APP, c)).length;
    return { integrity, lostReports, lostChannels };
  } finally {
    db.close();
  }
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'us-soak-'));
const dbFile = path.join(dataDir, 'updateservice.sqlite');
const port = await freePort();
const server = `http://127.0.0.1:${port}`;
const failures = [];
const rows = [];
let fake;
let serve;

console.log(`soak on Node ${process.version}: ${cycles} cycles of ${seconds} s, ${clients} instance fake clients, ${REPORTERS} reporters, ${API_LOOPS} API loops`);
try {
  for (let cycle = 1; cycle <= cycles; cycle++) {
    serve = await startServe(port, dataDir);
    if (cycle === 1) {
      await mustCli(server, 'app', 'create', `--app-id=${APP}`, '--label=Soak');
      await mustCli(server, 'package', 'create', `--app-id=${APP}`, '--version=1.1.0', '--url=https://example.com/update.gz', '--size=1', `--sha1sum=${'0'.repeat(40)}`, `--sha256sum=${'0'.repeat(64)}`);
      await mustCli(server, 'channel', 'create', `--app-id=${APP}`, '--channel=master', '--version=1.1.0');
      await mustCli(server, 'group', 'create', `--app-id=${APP}`, '--channel=master', `--group-id=${GROUP}`, '--label=Soak');
      // The fleet runs across every restart, as machines would.
      fake = spawn(
        process.execPath,
        [bin, `--server=${server}`, '--user=admin', `--key=${KEY}`, 'instance', 'fake', `--clients-per-app=${clients}`, '--min-sleep=1', '--max-sleep=3', `--app-id=${APP}`, `--group-id=${GROUP}`, '--version=1.0.0'],
        { env, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      fake.lines = 0;
      createInterface({ input: fake.stdout }).on('line', () => fake.lines++);
    }
    const linesBefore = fake.lines;
    const deadline = Date.now() + seconds * 1000;
    const [reports, api] = await Promise.all([reportUntil(port, deadline), apiUntil(server, deadline, cycle)]);
    const checks = fake.lines - linesBefore;
    // Stopped under load: the fleet keeps checking while serve shuts down.
    serve.child.kill('SIGTERM');
    const exit = await exited(serve.child);
    const found = audit(dbFile, reports.acknowledged, api.created);
    const row = {
      cycle,
      'fake results': checks,
      'reports ok': reports.acknowledged.length,
      'api calls': api.calls,
      'api failed': api.failed.length,
      'channels made': api.created.length,
      exit: exit.signal ?? exit.code,
      'lost reports': found.lostReports,
      'lost channels': found.lostChannels,
      integrity: found.integrity,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    if (exit.code !== 0) failures.push(`cycle ${cycle}: serve exited with ${exit.signal ?? exit.code}\n${serve.stderr()}`);
    if (found.lostReports || found.lostChannels) failures.push(`cycle ${cycle}: lost ${found.lostReports} acknowledged reports, ${found.lostChannels} acknowledged channels`);
    if (found.integrity !== 'ok') failures.push(`cycle ${cycle}: integrity_check: ${found.integrity}`);
    if (api.failed.length) failures.push(`cycle ${cycle}: ${api.failed.length} of ${api.calls} API calls failed while serve ran:\n${api.failed.join('\n')}`);
    if (checks === 0) failures.push(`cycle ${cycle}: instance fake printed nothing`);
  }
  fake.kill('SIGTERM');
  const fakeExit = await Promise.race([exited(fake), sleep(10_000).then(() => ({ code: null, signal: 'timeout' }))]);
  console.log(JSON.stringify({ 'instance fake exit': fakeExit.signal ?? fakeExit.code }));
  if (fakeExit.code !== 0) failures.push(`instance fake exited with ${fakeExit.signal ?? fakeExit.code}`);
} catch (err) {
  failures.push(err instanceof Error ? err.message : String(err));
} finally {
  if (fake && fake.exitCode === null) fake.kill('SIGKILL');
  if (serve && serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}

const total = (key) => rows.reduce((n, r) => n + r[key], 0);
console.log(
  `summary: Node ${process.version}, ${rows.length} cycles, exits ${rows.map((r) => r.exit).join(',')}, ` +
    `${total('fake results')} instance fake results, ${total('reports ok')} reports acknowledged, ${total('api calls')} API calls, ` +
    `lost ${total('lost reports')} reports and ${total('lost channels')} channels`,
);
if (failures.length) {
  console.log(`FAILED:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('soak passed');
