#!/usr/bin/env node
// Rollup and listing latency on a database seeded with 1,000,000 instances
// and 10,000,000 events (embedded SQLite, through the built service's HTTP
// API with Hawk, loopback). Seeding writes the tables directly in big
// transactions, then derives the rollup counters with SQL, as the service
// would have accumulated them.
//
// Usage: npx tsup && node bench/rollups.mjs [instances=1000000] [events=10000000] [repeat=5]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';

const INSTANCES = Number(process.argv[2] ?? 1_000_000);
const EVENTS = Number(process.argv[3] ?? 10_000_000);
const REPEAT = Number(process.argv[4] ?? 5);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const GROUPS = ['alpha', 'beta', 'stable', 'edge'];
const VERSIONS = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '2.0.0'];
const OEMS = ['qemu', 'azure', 'gce', 'ec2', 'fakeclient'];
const PAIRS = [[3, 2], [3, 2], [3, 2], [13, 1], [14, 1], [3, 1], [3, 0], [1, 0]];
const KEY = 'k'.repeat(32);
const DAYS = 30;

const dataDir = mkdtempSync(path.join(tmpdir(), 'us-rollup-bench-'));
const file = path.join(dataDir, 'updateservice.sqlite');
const env = { ...process.env };
for (const k of ['LISTEN_ADDRESS', 'BASE_URL', 'DATA_DIR', 'DB_URL']) delete env[k];

function startServe() {
  const child = spawn(process.execPath, [path.join(root, 'bin/updateservicectl'), 'serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--admin-key', KEY, '--log-level', 'warn', '--retention-days', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const url = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1].replace('localhost', '127.0.0.1'));
    });
    child.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { child, url };
}
const stop = (s) => new Promise((r) => { s.child.once('exit', r); s.child.kill('SIGTERM'); });

// 1. Create the schema (the service migrates on start), then stop it.
let s = startServe();
await s.url;
await stop(s);

// 2. Seed.
const t0 = performance.now();
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
db.pragma('cache_size = -262144');
const now = Date.now();
const nowS = Math.floor(now / 1000);
db.prepare('INSERT INTO apps (id, label, description, created_at) VALUES (?, ?, ?, ?)').run(APP, 'Bench', '', now);
for (const g of GROUPS) {
  db.prepare(`INSERT INTO groups (app_id, id, label, channel_id, oem_blacklist, updates_paused, update_percent, update_count, update_interval, update_pooling, rollout_active, rollout_started_at, created_at)
    VALUES (?, ?, ?, '', '', 0, 100, 0, 0, 0, 0, NULL, ?)`).run(APP, g, g, now);
}
// mulberry32: deterministic and well spread.
let seed = 12345;
const rand = (n) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
};
const machine = (i) => `m${String(i).padStart(31, '0')}`;
const insInstance = db.prepare(`INSERT INTO instances (app_id, id, group_id, version, oem, ip, status, error_code, last_event_type, last_event_result, granted_version, granted_at, last_seen, created_at)
  VALUES (?, ?, ?, ?, ?, '10.0.0.1', 'complete', NULL, 3, 2, NULL, NULL, ?, ?)`);
db.transaction(() => {
  for (let i = 0; i < INSTANCES; i++) {
    const seen = now - rand(DAYS * 86400) * 1000;
    insInstance.run(APP, machine(i), GROUPS[i % GROUPS.length], VERSIONS[rand(VERSIONS.length)], OEMS[rand(OEMS.length)], seen, seen - 86400000);
  }
})();
const tInstances = performance.now();
const insEvent = db.prepare(`INSERT INTO events (app_id, group_id, instance_id, version, previous_version, event_type, event_result, error_code, install_source, created_at)
  VALUES (?, ?, ?, ?, '', ?, ?, ?, 'scheduler', ?)`);
const CHUNK = 500_000;
for (let done = 0; done < EVENTS; done += CHUNK) {
  db.transaction(() => {
    for (let k = done; k < Math.min(EVENTS, done + CHUNK); k++) {
      const i = rand(INSTANCES);
      const [type, result] = PAIRS[rand(PAIRS.length)];
      // Events are denser in the recent past, like a live fleet's.
      const age = Math.floor((rand(DAYS * 86400) * rand(1000)) / 1000);
      insEvent.run(APP, GROUPS[i % GROUPS.length], machine(i), VERSIONS[rand(VERSIONS.length)], type, result, type === 3 && result === 0 ? 7 : null, (nowS - age) * 1000);
    }
  })();
}
const tEvents = performance.now();
// Rollup counters as the service accumulates them: distinct instances per
// version per bucket (every event counts as a report), events per pair.
for (const res of [60, 3600, 86400]) {
  db.exec(`INSERT INTO rollup_versions (app_id, group_id, resolution, bucket, version, count)
    SELECT app_id, group_id, ${res}, (created_at / 1000 / ${res}) * ${res} AS b, version, count(DISTINCT instance_id)
    FROM events GROUP BY app_id, group_id, b, version`);
  db.exec(`INSERT INTO rollup_events (app_id, group_id, resolution, bucket, version, event_type, event_result, count)
    SELECT app_id, group_id, ${res}, (created_at / 1000 / ${res}) * ${res} AS b, version, event_type, event_result, count(*)
    FROM events GROUP BY app_id, group_id, b, version, event_type, event_result`);
}
db.exec('ANALYZE');
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
const tRollups = performance.now();
const mb = (statSync(file).size / 1048576).toFixed(0);
console.log(`seeded ${INSTANCES} instances in ${((tInstances - t0) / 1000).toFixed(1)} s, ${EVENTS} events in ${((tEvents - tInstances) / 1000).toFixed(1)} s, rollup counters in ${((tRollups - tEvents) / 1000).toFixed(1)} s (${mb} MiB)`);

// 3. Serve it and time the API (Hawk-signed, like the CLI).
const clientFile = path.join(root, 'node_modules/.cache/updateservice-bench', `client-${process.pid}.mjs`);
await build({ entryPoints: [path.join(root, 'src/api/client.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: clientFile, logLevel: 'silent', absWorkingDir: root, nodePaths: [path.join(root, 'node_modules')] });
const { ApiClient } = await import(pathToFileURL(clientFile).href);
s = startServe();
const url = await s.url;
const client = new ApiClient({ server: url, user: 'admin', key: KEY });

const results = [];
async function time(name, fn) {
  await fn(); // warm
  const ms = [];
  let size = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const r = await fn();
    ms.push(performance.now() - t);
    size = r.items?.length ?? r.count ?? 0;
  }
  ms.sort((a, b) => a - b);
  const line = `${name.padEnd(58)} median ${ms[ms.length >> 1].toFixed(1).padStart(7)} ms   max ${ms[ms.length - 1].toFixed(1).padStart(7)} ms   (${size} rows/count)`;
  console.log(line);
  results.push(ms[ms.length >> 1]);
}
const S = String;
for (const res of [60, 3600, 86400]) {
  await time(`group requests versions  resolution ${res} (default window)`, () => client.rollupVersions(APP, 'stable', '0', '0', { resolution: S(res) }));
  await time(`group requests events    resolution ${res} (default window)`, () => client.rollupEvents(APP, 'stable', '0', '0', { resolution: S(res) }));
}
await time(`group requests versions  resolution 86400, 30 days explicit`, () => client.rollupVersions(APP, 'stable', S(nowS - DAYS * 86400), S(nowS), { resolution: '86400' }));
await time('appversions (app)', () => client.appVersions({ appId: APP }));
await time('appversions (app, group)', () => client.appVersions({ appId: APP, groupId: 'stable' }));
await time('clientupdates (newest 1000)', () => client.clientUpdates({}));
await time('clientupdates (app, group, newest 1000)', () => client.clientUpdates({ appId: APP, groupId: 'stable' }));
await time('clientupdates (app, group, version, newest 1000)', () => client.clientUpdates({ appId: APP, groupId: 'stable', version: '1.2.0' }));
await time('clientupdates (oem, newest 1000)', () => client.clientUpdates({ oem: 'azure' }));
await time('clientupdatecount (app)', () => client.clientUpdateCount({ appId: APP }));
await time('clientupdatecount (app, group, version)', () => client.clientUpdateCount({ appId: APP, groupId: 'stable', version: '1.2.0' }));
await time('clientupdatecount (app, last 24 h)', () => client.clientUpdateCount({ appId: APP, dateStart: S(nowS - 86400), dateEnd: '0' }));
await time('clientupdatecount (event 3/0)', () => client.clientUpdateCount({ eventType: '3', eventResult: '0' }));
await time('client/history (one instance)', () => client.clientHistory(machine(4242)));
console.log(`slowest median: ${Math.max(...results).toFixed(1)} ms (target < 250 ms)`);
await client.close();
await stop(s);
if (!process.env.KEEP) rmSync(dataDir, { recursive: true, force: true }); else console.log(dataDir);
rmSync(clientFile, { force: true });
