// Limits hold exactly under concurrency: 1,000 simultaneous update checks
// against updateCount=2 grant exactly two, in one process on SQLite, and
// across two `serve` processes sharing one database (PostgreSQL; SQLite too).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { requests } from './fixtures/omaha-requests.js';
import { APP_ID, createPgDatabase, PG_URL, startTestServer } from './helpers.js';
import { machineId, postOmaha, setUpApp } from './omaha-helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const KEY = 'd3b07384d113edec49eaa6238ad5ff00';
const CHECKS = 1000;

/** Fires `n` update checks at once, spread over `urls`; returns how many were granted. */
async function stampede(urls: string[], n: number, track: string): Promise<number> {
  const bodies = Array.from({ length: n }, () => requests.updateEngineCheck({ appId: APP_ID, version: '1.0.0', track, machineId: machineId() }));
  const replies = await Promise.all(bodies.map((body, i) => postOmaha(urls[i % urls.length]!, body)));
  for (const r of replies) expect(r.status, r.text).toBe(200);
  const statuses = replies.map((r) => r.parsed!.apps[0]!.updateCheck!.status);
  expect(statuses.every((s) => s === 'ok' || s === 'noupdate')).toBe(true);
  return statuses.filter((s) => s === 'ok').length;
}

describe('1,000 concurrent checks, updateCount=2, one process on SQLite', () => {
  it('grants exactly 2', async () => {
    const t = await startTestServer('sqlite');
    try {
      await setUpApp(t.client, { group: { updateCount: 2, updateInterval: 3600 } });
      expect(await stampede([t.url], CHECKS, 'fake1')).toBe(2);
      const grants = await t.server.store.db.selectFrom('grants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(grants.n)).toBe(2);
    } finally {
      await t.close();
    }
  });
});

interface Child {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

async function launch(bundle: string, args: string[]): Promise<Child> {
  const env = { ...process.env };
  for (const k of ['LISTEN_ADDRESS', 'BASE_URL', 'DATA_DIR', 'DB_URL', 'ADMIN_KEY']) delete env[k];
  const child = spawn(process.execPath, [path.join(here, 'fixtures/serve-child.mjs'), bundle, '--listen', '127.0.0.1:0', '--admin-key', KEY, '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { child, url, exited };
}

for (const engine of ['postgres', 'sqlite'] as const) {
  describe.skipIf(engine === 'postgres' && !PG_URL)(`1,000 concurrent checks, updateCount=2, two serve processes on one ${engine} database`, () => {
    let bundle: string;
    let dataDir: string;
    let pgDb: Awaited<ReturnType<typeof createPgDatabase>> | undefined;
    const children: Child[] = [];

    beforeAll(async () => {
      const out = path.join(root, 'node_modules/.cache/updateservice-test', `omaha-server-${process.pid}.mjs`);
      await build({ entryPoints: [path.join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: out, logLevel: 'silent' });
      bundle = pathToFileURL(out).href;
      dataDir = await mkdtemp(path.join(tmpdir(), 'us-omaha-conc-'));
      if (engine === 'postgres') pgDb = await createPgDatabase();
    });
    afterAll(async () => {
      for (const c of children) {
        c.child.kill('SIGTERM');
        await c.exited;
      }
      await pgDb?.drop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('grant exactly 2 between them', async () => {
      const args = engine === 'postgres' ? ['--db-url', pgDb!.url, '--data-dir', dataDir] : ['--data-dir', dataDir];
      children.push(await launch(bundle, args));
      children.push(await launch(bundle, args));
      const client = new ApiClient({ server: children[0]!.url, user: 'admin', key: KEY });
      try {
        await setUpApp(client, { group: { updateCount: 2, updateInterval: 3600 } });
        expect(await stampede(children.map((c) => c.url), CHECKS, 'fake1')).toBe(2);
        // A second wave in the same window grants nothing more.
        expect(await stampede(children.map((c) => c.url), 200, 'fake1')).toBe(0);
      } finally {
        await client.close();
      }
    }, 60_000);
  });
}
