#!/usr/bin/env node
// Load of `instance fake` at scale: runs the built CLI with many simulated
// instances against a minimal loopback Omaha responder (always "noupdate")
// for a bounded time, then prints the request rate the server saw and the
// CLI process's CPU and memory use over the steady part of the run.
// Usage: node bench/fake-clients.mjs [seconds=15] [clients=10000]
// (build first: npx tsup). Loopback only; nothing leaves the machine.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.argv[2] ?? 15);
const clients = Number(process.argv[3] ?? 10000);
/** Start-up and the first wave of checks are left out of the rates. */
const WARMUP_S = Math.min(3, seconds / 3);
const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const NOUPDATE = `<?xml version="1.0" encoding="UTF-8"?>
<response protocol="3.0" server="bench">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="${APP_ID}" status="ok">
  <updatecheck status="noupdate"></updatecheck>
 </app>
</response>
`;

const cli = fileURLToPath(new URL('../bin/updateservicectl', import.meta.url));
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) of a process, from /proc, or `ps` where there is no /proc. */
function cpuSeconds(pid) {
  try {
    // the command name may hold spaces: fields start after its closing parenthesis
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime, stime
  } catch {
    const time = execFileSync('ps', ['-o', 'time=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const parts = time.split(/[-:]/).map(Number);
    return parts.reduce((acc, n) => acc * 60 + n, 0);
  }
}

function rssMegabytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

let requests = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(NOUPDATE) });
    res.end(NOUPDATE);
  });
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const child = spawn(
  process.execPath,
  [cli, `--server=${url}`, 'instance', 'fake', `--clients-per-app=${clients}`, '--min-sleep=1', '--max-sleep=2',
    `--app-id=${APP_ID}`, '--group-id=bench', '--errorrate=-1'],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let stdoutLines = 0;
let stderrLines = 0;
let firstError = '';
child.stdout.on('data', (chunk) => {
  for (const byte of chunk) if (byte === 10) stdoutLines++;
});
child.stderr.on('data', (chunk) => {
  const text = chunk.toString();
  firstError ||= text.split('\n')[0];
  stderrLines += text.split('\n').length - 1;
});
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const benchCpuStart = process.cpuUsage();
await sleep(WARMUP_S * 1000);
const mark = { requests, cpu: cpuSeconds(child.pid), at: performance.now() };
await sleep((seconds - WARMUP_S) * 1000);
const end = { requests, cpu: cpuSeconds(child.pid), at: performance.now(), rss: rssMegabytes(child.pid) };
const benchCpu = process.cpuUsage(benchCpuStart);

child.kill('SIGTERM');
const stopStart = performance.now();
const how = await Promise.race([exited, sleep(10_000).then(() => 'timeout')]);
if (how === 'timeout') child.kill('SIGKILL');
const stopMs = performance.now() - stopStart;
server.closeAllConnections();
server.close();

const window = (end.at - mark.at) / 1000;
const rate = (end.requests - mark.requests) / window;
const cpu = end.cpu - mark.cpu;
console.log(`instance fake, ${clients} instances (--min-sleep=1 --max-sleep=2: one check per instance per second), ${seconds} s`);
console.log(`requests          ${requests} in all; ${rate.toFixed(0)}/s over the last ${window.toFixed(1)} s (ideal ${clients}/s)`);
console.log(`CLI CPU           ${cpu.toFixed(2)} s in ${window.toFixed(1)} s = ${((cpu / window) * 100).toFixed(0)}% of one core; ${((cpu / (end.requests - mark.requests)) * 1e6).toFixed(0)} µs per request`);
console.log(`CLI memory        ${end.rss.toFixed(0)} MB resident`);
console.log(`CLI output        ${stdoutLines} stdout lines, ${stderrLines} stderr lines${firstError ? ` (first: ${firstError})` : ''}`);
console.log(`CLI stop          ${how === 'timeout' ? 'did not exit within 10 s (killed)' : `exited (${how}) ${stopMs.toFixed(0)} ms after SIGTERM`}`);
console.log(`responder CPU     ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(2)} s (this process)`);
