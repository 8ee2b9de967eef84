import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import { ApiClient } from '../../src/api/client.js';
import { readConfigFile, resolveConfig, withDefaults } from '../../src/server/config.js';
import { APP_ID, createPgDatabase, describeEngines, PG_URL, runServe, withCapturedServe } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Vitest puts Vite's BASE_URL=/ (and MODE, DEV…) into process.env; BASE_URL is also a serve setting.
const SERVE_VARIABLES = ['LISTEN_ADDRESS', 'BASE_URL', 'DATA_DIR', 'DB_URL', 'STATIC_PACKAGES_DIR', 'ENABLE_PACKAGE_UPLOADS', 'UPSTREAM_SYNC_INTERVAL', 'ADMIN_KEY'];
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of SERVE_VARIABLES) delete env[k];
  return env;
}
const root = path.resolve(here, '../..');

describe('serve settings', () => {
  it('flag beats environment beats file, with defaults', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'us-config-'));
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, 'listen: "127.0.0.1:9000"\nDATA_DIR: /from/file\nenable-package-uploads: true\nupstreamSyncInterval: 30\n');
    const c = resolveConfig({
      file: readConfigFile(file),
      env: { listen: '127.0.0.1:9001', dataDir: '/from/env' },
      flags: { listen: '127.0.0.1:9002' },
    });
    expect(c).toMatchObject({
      listen: '127.0.0.1:9002',
      dataDir: '/from/env',
      packagesDir: '/from/env/packages',
      enablePackageUploads: true,
      upstreamSyncInterval: 30,
    });
    expect(withDefaults({})).toMatchObject({ listen: ':8000', dataDir: './updateservice-data', enablePackageUploads: false, upstreamSyncInterval: 0 });
    await writeFile(file, 'bogus: 1\n');
    expect(() => readConfigFile(file)).toThrow(/unknown setting "bogus"/);
    expect(() => withDefaults({ listen: 'nope' })).toThrow(/listen address/);
    await rm(dir, { recursive: true, force: true });
  });

  it('serve prints where it listens and the admin key once, and stops on SIGTERM', async () => {
    await withCapturedServe(async ({ dataDir: dir, lines }) => {
      const run = (key?: string) =>
        runServe(['--listen', '127.0.0.1:0', '--data-dir', dir, '--log-level', 'silent', ...(key ? ['--admin-key', key] : [])]);
      let done = run('k'.repeat(32));
      await vi.waitFor(() => expect(lines.join('')).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\n/), { timeout: 10_000 });
      expect(lines).toContain(`admin key: ${'k'.repeat(32)}\n`);
      process.emit('SIGTERM');
      expect(await done).toBe(0);

      lines.length = 0;
      done = run();
      await vi.waitFor(() => expect(lines.join('')).toMatch(/listening on/), { timeout: 10_000 });
      expect(lines.join('')).not.toMatch(/admin key/);
      process.emit('SIGINT');
      expect(await done).toBe(0);
      expect(await runServe(['--listen', 'nope'])).toBe(2);
    });
  });
});

describeEngines('durability: kill -9 loses no acknowledged write', (engine) => {
  let bundle: string;
  let dataDir: string;
  let pgDb: Awaited<ReturnType<typeof createPgDatabase>> | undefined;
  const key = 'd3b07384d113edec49eaa6238ad5ff00';

  beforeAll(async () => {
    const out = path.join(root, 'node_modules/.cache/updateservice-test', `server-${process.pid}.mjs`);
    await build({ entryPoints: [path.join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: out, logLevel: 'silent' });
    bundle = pathToFileURL(out).href;
    dataDir = await mkdtemp(path.join(tmpdir(), 'us-durable-'));
    if (engine === 'postgres' && PG_URL) pgDb = await createPgDatabase();
  });
  afterAll(async () => {
    await pgDb?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function launch(): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
    const args = ['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--admin-key', key, '--log-level', 'warn'];
    if (pgDb) args.push('--db-url', pgDb.url);
    const child = spawn(process.execPath, [path.join(here, 'fixtures/serve-child.mjs'), bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    });
    return { child, url, exited };
  }

  it('keeps every acknowledged write after SIGKILL, and exits 0 on SIGTERM', async () => {
    let server = await launch();
    let client = new ApiClient({ server: server.url, user: 'admin', key });
    await client.insertApp({ id: APP_ID, label: 'durable' });
    let acknowledged = 0;
    const writer = (async () => {
      for (let i = 0; ; i++) {
        try {
          await client.insertPackage(APP_ID, `1.0.${i}`, { url: `https://example.com/${i}` });
          acknowledged = i + 1;
        } catch {
          return;
        }
      }
    })();
    while (acknowledged < 30) await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGKILL');
    await server.exited;
    await writer;
    await client.close();

    server = await launch();
    client = new ApiClient({ server: server.url, user: 'admin', key });
    const total = (await client.listPackages(APP_ID)).total!;
    expect(total).toBeGreaterThanOrEqual(acknowledged);
    expect(total).toBeLessThanOrEqual(acknowledged + 1);
    expect((await request(`${server.url}/health`)).statusCode).toBe(200);
    await client.close();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
