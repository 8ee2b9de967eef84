// Package lists are sorted and paged in the database and streamed: `limit`
// and `skip` read only their rows, the order is the version order, and a list
// far larger than a page never sits in the server's memory at once.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hawkHeader } from '../../src/api/hawk.js';
import { SQLITE_FILE_NAME } from '../../src/server/db/connect.js';
import { versionSortKey } from '../../src/server/versions.js';
import { childEnv, stopChild } from '../e2e/processes.js';
import { APP_ID, describeEngines, startTestServer, type TestServer } from './helpers.js';
import { setUpApp, SHA1, SHA256 } from './omaha-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describeEngines('package list', (engine) => {
  let t: TestServer;
  // Inserted out of order; listed newest first.
  const versions = ['1.0.0', '1.10.0', '1.2.0', '2.0.0-rc.1', '2.0.0-beta.2', '2.0.0-beta.11', '2.0.0', '0.9', '1.0.1'];
  const newestFirst = ['2.0.0', '2.0.0-rc.1', '2.0.0-beta.11', '2.0.0-beta.2', '1.10.0', '1.2.0', '1.0.1', '1.0.0', '0.9'];
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.client.insertApp({ id: APP_ID, label: 'List' });
    for (const v of versions) await t.client.insertPackage(APP_ID, v, { url: `https://example.com/${v}.gz`, size: '1', sha1Sum: SHA1, sha256Sum: SHA256 });
  });
  afterAll(() => t?.close());

  it('lists newest version first, with the total', async () => {
    const list = await t.client.listPackages(APP_ID);
    expect(list.items?.map((p) => p.version)).toEqual(newestFirst);
    expect(list.total).toBe(versions.length);
  });

  it('limit and skip page through the same order; version picks one', async () => {
    const pages: string[] = [];
    for (let skip = 0; skip < versions.length; skip += 2) {
      const page = await t.client.listPackages(APP_ID, { limit: 2, skip });
      expect(page.total).toBe(versions.length);
      pages.push(...(page.items ?? []).map((p) => String(p.version)));
    }
    expect(pages).toEqual(newestFirst);
    expect((await t.client.listPackages(APP_ID, { skip: 100 })).items).toEqual([]);
    const one = await t.client.listPackages(APP_ID, { version: '1.2.0' });
    expect(one.items?.map((p) => p.version)).toEqual(['1.2.0']);
    expect(one.total).toBe(1);
  });

  it('the streamed reply is exactly the JSON of the whole list', async () => {
    const url = new URL(`${t.url}/_ah/api/update/v1/apps/${APP_ID}/packages?alt=json`);
    const res = await request(url, { headers: { authorization: hawkHeader('admin', t.key, 'GET', url) } });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const text = await res.body.text();
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    expect(JSON.parse(text)).toEqual({ items: expect.any(Array), total: versions.length });
    expect((await t.client.listPackages('no-such-app').catch((e: { code: number }) => e.code))).toBe(404);
  });
});

describe('a package list larger than memory would like', () => {
  const PACKAGES = 4000;
  const NOTES = 60 * 1024; // 60 KB of release notes each: a 240 MB list
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'us-big-list-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // The server runs with a JavaScript heap far smaller than the list: holding
  // the rows, or the list's JSON text, would end it with "heap out of memory".
  const HEAP_MB = 128;

  it('is streamed: every row arrives from a server whose heap is half the list', async () => {
    const key = randomBytes(16).toString('hex');
    const args = [path.join(root, 'bin/updateservicectl'), 'serve', '--listen=127.0.0.1:0', `--data-dir=${dir}`, `--admin-key=${key}`, '--log-level=warn'];
    const start = () => {
      const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
      return new Promise<{ child: typeof child; url: string }>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve({ child, url: m[1]!.replace('localhost', '127.0.0.1') });
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
    };
    // First start creates the schema; the rows go straight into the file while it is stopped.
    const first = await start();
    await stopChild(first.child);
    const db = new BetterSqlite3(path.join(dir, SQLITE_FILE_NAME));
    const notes = 'n'.repeat(NOTES);
    db.prepare("INSERT INTO apps (id, label, description, created_at) VALUES (?, 'Big', '', 0)").run(APP_ID);
    const insert = db.prepare(
      `INSERT INTO packages (app_id, version, url, size, sha1_sum, sha256_sum, metadata_signature_rsa, metadata_size, release_notes, required, created_at, sort_key)
       VALUES (?, ?, 'https://example.com/p.gz', 1, '', '', '', '', ?, 0, 0, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < PACKAGES; i++) insert.run(APP_ID, `1.0.${i}`, notes, versionSortKey(`1.0.${i}`));
    })();
    db.close();

    const { child, url } = await start();
    try {
      const list = new URL(`${url}/_ah/api/update/v1/apps/${APP_ID}/packages?alt=json`);
      const res = await request(list, { headers: { authorization: hawkHeader('admin', key, 'GET', list) } });
      expect(res.statusCode).toBe(200);
      // Read as it streams, keeping only the versions.
      let bytes = 0;
      let tail = '';
      const seen: string[] = [];
      for await (const chunk of res.body) {
        bytes += chunk.length;
        const text = tail + chunk.toString('utf8');
        for (const m of text.matchAll(/"version":"([^"]+)"/g)) seen.push(m[1]!);
        tail = text.slice(-64);
      }
      const unique = new Set(seen);
      expect(unique.size).toBe(PACKAGES);
      expect(seen[0]).toBe(`1.0.${PACKAGES - 1}`);
      expect(bytes).toBeGreaterThan(PACKAGES * NOTES);
      expect(bytes / 2 ** 20).toBeGreaterThan(HEAP_MB * 1.5);
      expect(child.exitCode).toBeNull();
    } finally {
      await stopChild(child);
    }
  }, 120_000);
});

describeEngines('app and group lists', (engine) => {
  let t: TestServer;
  const GROUPS = 450; // more than two pages of PAGE_ROWS (store/pages.ts)
  beforeAll(async () => {
    t = await startTestServer(engine);
    await setUpApp(t.client);
    for (let i = 0; i < GROUPS; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => t.client.insertGroup(APP_ID, { id: `g${String(i + j).padStart(4, '0')}`, label: 'G', channelId: 'stable' })));
    }
    for (const id of ['a1', 'a2', 'a3']) await t.client.insertApp({ id, label: id });
  }, 120_000);
  afterAll(() => t?.close());

  it('groups: every one across pages, in creation order, each once; limit bounds them', async () => {
    const ids = (await t.client.listGroups(APP_ID)).items!.map((g) => g.id!);
    expect(ids).toHaveLength(GROUPS + 1); // and setUpApp's fake1
    expect(new Set(ids).size).toBe(GROUPS + 1);
    const created = await t.server.store.db.selectFrom('groups').select('id').orderBy('created_at').orderBy('id').execute();
    expect(ids).toEqual(created.map((r) => r.id));
    const url = new URL(`${t.url}/_ah/api/update/v1/apps/${APP_ID}/groups?alt=json&limit=3`);
    const res = await request(url, { headers: { authorization: hawkHeader('admin', t.key, 'GET', url) } });
    const body = (await res.body.json()) as { items: Array<{ id: string }> };
    expect(body.items.map((g) => g.id)).toEqual(ids.slice(0, 3));
    const bad = new URL(`${t.url}/_ah/api/update/v1/apps/${APP_ID}/groups?alt=json&limit=many`);
    const refused = await request(bad, { headers: { authorization: hawkHeader('admin', t.key, 'GET', bad) } });
    expect(refused.statusCode).toBe(400);
    await refused.body.text();
  });

  it('apps: all of them, oldest first', async () => {
    expect((await t.client.listApps()).items!.map((a) => a.id)).toEqual([APP_ID, 'a1', 'a2', 'a3']);
  });
});
