// Test harness: a real server on an ephemeral loopback port with a real
// database: SQLite in a temp dir, or a fresh PostgreSQL database per server
// when TEST_DATABASE_URL is set (see .ci/postgres.sh).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, vi } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { main } from '../../src/cli/main.js';
import { startServer, type RunningServer, type StartConfig } from '../../src/server/server.js';

export type Engine = 'sqlite' | 'postgres';
export const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) console.log('[postgres] skipped: TEST_DATABASE_URL not set (start one with: eval "$(.ci/postgres.sh)")');

/** Runs `body` once per engine; the PostgreSQL run is skipped, visibly, without TEST_DATABASE_URL. */
export function describeEngines(title: string, body: (engine: Engine) => void): void {
  describe(`${title} [sqlite]`, () => body('sqlite'));
  describe.skipIf(!PG_URL)(`${title} [postgres]${PG_URL ? '' : ' — skipped: TEST_DATABASE_URL not set'}`, () => body('postgres'));
}

export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `us_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestServer {
  server: RunningServer;
  client: ApiClient;
  url: string;
  key: string;
  dataDir: string;
  dbUrl?: string;
  /** A client for another user/key. */
  clientFor(user: string, key: string): ApiClient;
  close(): Promise<void>;
}

export async function startTestServer(engine: Engine, extra: StartConfig = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'us-server-test-'));
  const pgDb = engine === 'postgres' ? await createPgDatabase() : undefined;
  const key = randomBytes(16).toString('hex');
  const server = await startServer({
    listen: '127.0.0.1:0',
    dataDir,
    dbUrl: pgDb?.url,
    adminKey: key,
    logLevel: process.env.TEST_SERVER_LOG ?? 'silent',
    ...extra,
  });
  const url = server.url.replace('localhost', '127.0.0.1');
  const clients: ApiClient[] = [];
  const clientFor = (user: string, k: string) => {
    const c = new ApiClient({ server: url, user, key: k });
    clients.push(c);
    return c;
  };
  return {
    server,
    client: clientFor('admin', key),
    url,
    key,
    dataDir,
    dbUrl: pgDb?.url,
    clientFor,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      await pgDb?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` and returns the GoogleApiError-like error it throws. */
export async function apiError(fn: () => Promise<unknown>): Promise<{ code: number; message: string; body: string }> {
  try {
    await fn();
  } catch (err) {
    return err as { code: number; message: string; body: string };
  }
  throw new Error('expected the call to fail');
}

export const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';

/** `updateservicectl serve ARGS` through the CLI, in this process, on the process's own (possibly mocked) streams. */
export function runServe(args: string[]): Promise<number> {
  return main('updateservicectl', ['serve', ...args], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}

/**
 * Runs `updateservicectl serve` in this process with its stdout captured and stderr
 * silenced, in a fresh data dir. Vitest puts Vite's BASE_URL=/ into
 * process.env, which is also a serve setting: it is removed meanwhile.
 */
export async function withCapturedServe(
  body: (serve: { dataDir: string; lines: string[] }) => Promise<void>,
): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'us-serve-'));
  const lines: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const savedBaseUrl = process.env.BASE_URL;
  delete process.env.BASE_URL;
  try {
    await body({ dataDir, lines });
  } finally {
    if (savedBaseUrl !== undefined) process.env.BASE_URL = savedBaseUrl;
    out.mockRestore();
    err.mockRestore();
    await rm(dataDir, { recursive: true, force: true });
  }
}
