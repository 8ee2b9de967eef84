// The fuzz target: a real `serve` on a loopback port (SQLite, or PostgreSQL
// with TEST_DATABASE_URL), requests sent byte for byte and Hawk-signed with
// the admin key, and the checks every reply must pass: no 5xx, the service
// still healthy, and nothing changed by a request it refused. Also the
// settings (seed, runs, time) and the runner that reports a failure's seed.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { Pool } from 'undici';
import { computeMac, hawkHeader, newNonce } from '../../src/api/hawk.js';
import { API_BASE_PATH } from '../../src/api/types.js';
import { APP_ID, startTestServer, type Engine, type TestServer } from '../server/helpers.js';
import { SHA1, SHA256 } from '../server/omaha-helpers.js';
import { UPSTREAM_PLACEHOLDER } from './api-generators.js';
import { cut, describeRequest, type FuzzRequest } from './request.js';

// ---- settings: seed, runs and time, from the environment -------------------------

const envInt = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
};

export interface FuzzSettings {
  seed: number;
  /** Runs per property; each run is a short sequence of requests. */
  numRuns: number;
  /** Wall-clock budget per property, in milliseconds. */
  timeLimitMs: number;
}

/** The seed of this process: FUZZ_SEED to replay one, otherwise a fresh one (printed). */
export const FUZZ_SEED = envInt('FUZZ_SEED') ?? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;

/**
 * A property's settings: `runs` and `seconds` are the CI defaults; FUZZ_RUNS
 * and FUZZ_SECONDS (both or either) override them for a longer run by hand.
 */
export function fuzzSettings(defaults: { runs: number; seconds: number }): FuzzSettings {
  const runs = envInt('FUZZ_RUNS') ?? defaults.runs;
  const seconds = envInt('FUZZ_SECONDS') ?? (process.env.FUZZ_RUNS ? 24 * 3600 : defaults.seconds);
  return { seed: FUZZ_SEED, numRuns: runs, timeLimitMs: seconds * 1000 };
}

/** The vitest timeout for a property with these settings: its budget plus room to shrink and close. */
export const testTimeout = (s: FuzzSettings) => Math.min(s.timeLimitMs, 2 ** 31 - 1 - 60_000) + 60_000;

/**
 * Runs a property with the settings and, when it fails, says how to replay
 * it: the seed is the whole story, because every run starts from the state
 * the earlier runs of the same seed left behind.
 */
export async function assertProperty<Ts>(name: string, property: fc.IAsyncProperty<Ts>, s: FuzzSettings): Promise<void> {
  const started = Date.now();
  const details = await fc.check(property, { seed: s.seed, numRuns: s.numRuns, interruptAfterTimeLimit: s.timeLimitMs, markInterruptAsFailure: false });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (details.failed) {
    const report = (await fc.asyncDefaultReportMessage(details)) ?? 'failed';
    throw new Error(`${name}: failed after ${details.numRuns} runs (${seconds} s); replay with FUZZ_SEED=${s.seed}\n${report}`, { cause: details.errorInstance });
  }
  console.log(`[fuzz] ${name}: ${details.numRuns} runs in ${seconds} s${details.interrupted ? ' (time limit)' : ''}, seed ${s.seed}`);
}

// ---- the target ------------------------------------------------------------------

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Tables that hold what the API manages; a refused request must leave them as they were. */
const WATCHED_TABLES = ['users', 'apps', 'channels', 'packages', 'groups', 'rollout_frames', 'upstreams'] as const;

/** A reply slower than this is a hung server. */
const POOL_OPTIONS = { connections: 4, headersTimeout: 20_000, bodyTimeout: 20_000 };

/** Past this size, the data is cleared before the next run (see ensureBaseline). */
const TRIM_SNAPSHOT_CHARS = 2_000_000;

/** Hosts an upstream may name while the fuzzer runs: `upstream/sync` fetches them. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class FuzzTarget {
  readonly engine: Engine;
  private readonly t: TestServer;
  private pool: Pool;
  private readonly origin: URL;
  /** Requests sent, per family and status class, for the report. */
  readonly tally = new Map<string, number>();
  /** The admin key as of the last repair: a fuzzed token/new may replace it. */
  private adminKey: string;
  /**
   * The snapshot of the data as it is now, while known: a refused request or
   * a read changes nothing (that is checked), so its after-snapshot is the
   * next request's before-snapshot. Anything else forgets it.
   */
  private current?: string;

  private constructor(engine: Engine, t: TestServer) {
    this.engine = engine;
    this.t = t;
    this.origin = new URL(t.url);
    this.pool = new Pool(t.url, POOL_OPTIONS);
    this.adminKey = t.key;
  }

  static async start(engine: Engine): Promise<FuzzTarget> {
    const t = await startTestServer(engine, { enablePackageUploads: true });
    const target = new FuzzTarget(engine, t);
    await target.ensureBaseline();
    return target;
  }

  get url(): string {
    return this.t.url;
  }

  get packagesDir(): string {
    return path.join(this.t.dataDir, 'packages');
  }

  async close(): Promise<void> {
    await this.pool.destroy();
    await this.t.close();
  }

  /** A fresh connection pool, after a request the client library itself choked on. */
  private async renewPool(): Promise<void> {
    const old = this.pool;
    this.pool = new Pool(this.t.url, POOL_OPTIONS);
    await old.destroy().catch(() => undefined);
  }

  private get db() {
    return this.t.server.store.db;
  }

  /**
   * Puts back what the fuzzer must keep to go on, outside the requests under
   * test: the `admin` user with full rights (a fuzzed delete may remove it),
   * and no upstream outside this machine (`upstream/sync` would fetch it).
   */
  async repair(): Promise<void> {
    this.current = undefined;
    const admin = (await this.db.selectFrom('users').selectAll().where('name', '=', 'admin').executeTakeFirst()) as Record<string, unknown> | undefined;
    if (!admin) {
      await this.db.insertInto('users').values({ name: 'admin', key: this.t.key, created_at: Date.now() } as never).execute();
    } else if ('role' in admin && admin.role !== 'admin') {
      // Roles: a fuzzed call may demote admin; it must stay able to do everything.
      await this.db.updateTable('users').set({ role: 'admin', apps: '[]' } as never).where('name', '=', 'admin').execute();
    }
    this.adminKey = typeof admin?.key === 'string' ? admin.key : this.t.key;
    for (const u of await this.db.selectFrom('upstreams').select(['id', 'url']).execute()) {
      let host = '';
      try {
        host = new URL(u.url).host.replace(/:\d+$/, '');
      } catch {
        // not a URL: sync cannot fetch it either
      }
      if (host && !LOOPBACK_HOSTS.has(host)) await this.db.deleteFrom('upstreams').where('id', '=', u.id).execute();
    }
  }

  /** A signed, well-formed API call of the harness itself (baseline set-up). */
  private async adminCall(method: string, apiPath: string, body?: unknown): Promise<Reply> {
    return this.send({
      family: 'baseline',
      method,
      target: `${API_BASE_PATH}${apiPath}?alt=json`,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      sign: { kind: 'client' },
    });
  }

  /**
   * The objects most generated names refer to, re-created when a fuzzed
   * delete removed them: app, packages 1.0.0-1.2.0, channel `stable`, group
   * `fake1`, and an upstream pointing back at this server.
   */
  async ensureBaseline(): Promise<void> {
    const size = (this.current ?? (await this.snapshot())).length;
    await this.repair();
    const db = this.db;
    // A long run piles up apps, packages and users, and every snapshot reads them all: start over now and then.
    if (size > TRIM_SNAPSHOT_CHARS) {
      for (const app of await db.selectFrom('apps').select('id').execute()) await this.adminCall('DELETE', `apps/${encodeURIComponent(app.id)}`);
      for (const user of await db.selectFrom('users').select('name').where('name', '!=', 'admin').execute()) {
        await this.adminCall('DELETE', `admin/user/${encodeURIComponent(user.name)}`);
      }
    }
    const exists = async (query: { executeTakeFirst(): Promise<unknown> }) => (await query.executeTakeFirst()) !== undefined;
    const calls: [string, string, unknown][] = [];
    if (!(await exists(db.selectFrom('apps').select('id').where('id', '=', APP_ID)))) calls.push(['POST', 'apps', { id: APP_ID, label: 'FakeApp' }]);
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
      if (await exists(db.selectFrom('packages').select('version').where('app_id', '=', APP_ID).where('version', '=', v))) continue;
      const body = { url: `https://example.com/packages/${v}/update.gz`, size: '1024', sha1Sum: SHA1, sha256Sum: SHA256 };
      calls.push(['POST', `apps/${APP_ID}/packages/${v}`, body]);
    }
    if (!(await exists(db.selectFrom('channels').select('label').where('app_id', '=', APP_ID).where('label', '=', 'stable')))) {
      calls.push(['POST', `apps/${APP_ID}/channels`, { appId: APP_ID, label: 'stable', version: '1.1.0' }]);
    }
    if (!(await exists(db.selectFrom('groups').select('id').where('app_id', '=', APP_ID).where('id', '=', 'fake1')))) {
      calls.push(['POST', `apps/${APP_ID}/groups`, { id: 'fake1', label: 'Fake Group 1', channelId: 'stable' }]);
    }
    if (!(await exists(db.selectFrom('upstreams').select('id')))) calls.push(['POST', 'upstream', { url: this.t.url, label: 'self' }]);
    for (const [method, apiPath, body] of calls) {
      const reply = await this.adminCall(method, apiPath, body);
      if (reply.status !== 200) throw new Error(`baseline ${method} ${apiPath}: ${reply.status} ${cut(reply.text)}`);
    }
  }

  /** The id of an upstream that exists, for targets naming `{{upstream}}`. */
  private async upstreamId(): Promise<string> {
    const row = await this.db.selectFrom('upstreams').select('id').orderBy('created_at').executeTakeFirst();
    return row?.id ?? 'no-upstream';
  }

  private async authorization(r: FuzzRequest, target: string): Promise<string | undefined> {
    const key = this.adminKey;
    const host = this.origin.hostname;
    const port = this.origin.port;
    const raw = (user: string, k: string, ts: number, nonce = newNonce()) => {
      const mac = computeMac(k, { ts: String(ts), nonce, method: r.method, resource: target, host, port });
      return `Hawk id="${user}", mac="${mac}", ts="${ts}", nonce="${nonce}"`;
    };
    const now = Math.floor(Date.now() / 1000);
    switch (r.sign.kind) {
      case 'none':
        return undefined;
      case 'client': {
        let url: URL;
        try {
          url = new URL(target, this.origin);
        } catch {
          return raw('admin', key, now);
        }
        return hawkHeader('admin', key, r.method, url);
      }
      case 'raw':
        return raw('admin', key, now);
      case 'forged':
        switch (r.sign.how) {
          case 'bad-mac':
            return `Hawk id="admin", mac="${Buffer.from(newNonce() + newNonce()).toString('base64')}", ts="${now}", nonce="${newNonce()}"`;
          case 'wrong-key':
            return raw('admin', `${key}x`, now);
          case 'stale':
            return raw('admin', key, now - 3600);
          case 'future':
            return raw('admin', key, now + 3600);
          case 'missing-nonce':
            return raw('admin', key, now).replace(/, nonce="[^"]*"/, '');
          case 'basic':
            return `Basic ${Buffer.from(`admin:${key}`).toString('base64')}`;
          case 'unknown-user':
            return raw(`${r.sign.text ?? 'x'}-not-a-user`, key, now);
          case 'garbage':
            return r.sign.text ?? '';
        }
    }
  }

  /** Sends the request as generated; transport failures are thrown (the server hung up or hung). */
  async send(r: FuzzRequest): Promise<Reply> {
    const target = r.target.includes(UPSTREAM_PLACEHOLDER) ? r.target.replaceAll(UPSTREAM_PLACEHOLDER, await this.upstreamId()) : r.target;
    const headers: Record<string, string> = { ...r.headers };
    const auth = await this.authorization(r, target);
    if (auth !== undefined) headers.authorization = auth;
    const hasBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
    const res = await this.pool.request({
      path: target,
      method: r.method as 'GET',
      headers,
      body: hasBody ? (typeof r.body === 'string' ? r.body : Buffer.from(r.body!)) : undefined,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  }

  /** The watched tables and the payload folder, as text that compares equal when nothing changed. */
  async snapshot(): Promise<string> {
    const parts: string[] = [];
    for (const table of WATCHED_TABLES) {
      const rows = await this.db.selectFrom(table).selectAll().execute();
      parts.push(`## ${table}`, ...rows.map((row) => JSON.stringify(row)).sort());
    }
    const files = await readdir(this.packagesDir).catch(() => [] as string[]);
    parts.push('## packages folder', ...files.sort());
    return parts.join('\n');
  }

  async healthy(): Promise<boolean> {
    const res = await this.pool.request({ path: '/health', method: 'GET' });
    const text = await res.body.text();
    return res.statusCode === 200 && /"ok"/.test(text);
  }

  /**
   * Sends one fuzzed request and checks its reply: no 5xx (except a 502 for
   * an upstream sync whose upstream failed: that is another service's
   * failure, reported as such), API errors in the API's error shape, no
   * success without a valid signature where one is required, and nothing
   * changed by a refused request or a read.
   */
  async exchange(r: FuzzRequest): Promise<Reply> {
    if (this.current === undefined) await this.repair();
    const before = this.current ?? (await this.snapshot());
    this.current = undefined;
    let reply: Reply;
    try {
      reply = await this.send(r);
    } catch (err) {
      await this.renewPool();
      throw new Error(`no reply (${(err as Error).message}) to ${describeRequest(r)}`);
    }
    const cls = `${Math.floor(reply.status / 100)}xx`;
    const key = `${r.family} ${cls}`;
    this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
    const fail = (why: string) => {
      throw new Error(`${why}\n  request: ${describeRequest(r)}\n  reply:   ${reply.status} ${cut(reply.text, 400)}`);
    };

    if (reply.status >= 500 && !isUpstreamFailure(r, reply)) fail(`server error ${reply.status}`);
    if (r.target.startsWith('/_ah/api/') && reply.status >= 400 && r.method.toUpperCase() !== 'HEAD') {
      const error = parseGoogleError(reply.text);
      if (!error) fail('an API error not in the API error shape {"error":{"code","message"}}');
      else if (error.code !== reply.status) fail(`error code ${error.code} in the body, ${reply.status} on the status line`);
      else if (/[\r\n]/.test(error.message)) fail('an error message of more than one line');
    }
    if (needsSignature(r.target) && r.sign.kind !== 'client' && r.sign.kind !== 'raw' && reply.status < 300) {
      fail('a signed route answered success without a valid signature');
    }
    const readOnly = isReadOnly(r);
    if (reply.status >= 400 || readOnly) {
      const after = await this.snapshot();
      const what = reply.status >= 400 ? `a refused request (${reply.status})` : `a read (${r.method} ${reply.status})`;
      if (after !== before) fail(`${what} changed the data:\n${snapshotDiff(before, after)}`);
      this.current = after;
    }
    return reply;
  }

  /** PRAGMA integrity_check on SQLite; PostgreSQL keeps its own. */
  async integrity(): Promise<string> {
    const sqlite = this.t.server.store.sqlite;
    if (!sqlite) return 'ok';
    return (sqlite.pragma('integrity_check', { simple: true }) as string) ?? '';
  }

  summary(): string {
    return [...this.tally].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`).join(', ');
  }
}

/**
 * Requests that must leave the watched data alone whatever their status:
 * reads (except `/admin/v1/init`, a GET that may create admin), and Omaha
 * exchanges, which record instances and events but never touch apps,
 * channels, packages, groups or users.
 */
function isReadOnly(r: FuzzRequest): boolean {
  if (r.target.startsWith('/v1/update')) return true;
  return ['GET', 'HEAD', 'OPTIONS'].includes(r.method.toUpperCase()) && !r.target.startsWith('/admin/v1/init');
}

/**
 * Whether the target can only be a route that requires Hawk. Conservative: a
 * path that might reach a public route (public/*, util/uuid) after the
 * router's decoding and slash rules counts as public.
 */
export function needsSignature(target: string): boolean {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // kept as sent
  }
  if (path === '/package-upload' || path === '/db/backup') return true;
  return path.startsWith(API_BASE_PATH) && !/public|util/i.test(path);
}

function isUpstreamFailure(r: FuzzRequest, reply: Reply): boolean {
  if (reply.status !== 502 || !/upstream/.test(r.target)) return false;
  return parseGoogleError(reply.text)?.reason === 'upstreamError';
}

function parseGoogleError(text: string): { code: number; message: string; reason?: string } | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; errors?: { reason?: string }[] } };
    const e = body.error;
    if (!e || typeof e.code !== 'number' || typeof e.message !== 'string' || e.message === '') return undefined;
    return { code: e.code, message: e.message, reason: e.errors?.[0]?.reason };
  } catch {
    return undefined;
  }
}

/** Lines only in one of the two snapshots, with the table each is in. */
function snapshotDiff(before: string, after: string): string {
  const tableOf = (lines: string[]) => {
    let table = '';
    return lines.map((l) => (l.startsWith('## ') ? ((table = l.slice(3)), l) : `${table}: ${l}`));
  };
  const a = tableOf(before.split('\n'));
  const b = tableOf(after.split('\n'));
  const sa = new Set(a);
  const sb = new Set(b);
  const lines = [...a.filter((l) => !sb.has(l)).map((l) => `  - ${cut(l, 300)}`), ...b.filter((l) => !sa.has(l)).map((l) => `  + ${cut(l, 300)}`)];
  return lines.slice(0, 20).join('\n');
}
