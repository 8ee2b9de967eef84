import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { restoreBackup } from '../../src/server/db/backup.js';
import { openStore } from '../../src/server/db/connect.js';
import { startServer } from '../../src/server/server.js';
import { ApiClient } from '../../src/api/client.js';
import { APP_ID, createPgDatabase, describeEngines, startTestServer, type TestServer } from './helpers.js';

describeEngines('database backup and restore', (engine) => {
  let t: TestServer;
  let work: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    work = await mkdtemp(path.join(tmpdir(), 'us-backup-test-'));
    await t.client.insertApp({ id: APP_ID, label: 'FakeApp' });
    await t.client.insertChannel(APP_ID, { label: 'master', version: '1.0.0', publish: true });
  });
  afterAll(async () => {
    await t?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('takes a consistent snapshot while writes keep running, and restores it', async () => {
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await t.client.insertPackage(APP_ID, `1.0.${written}`, { url: `https://example.com/${written}/update.gz`, size: String(written) });
        written++;
      }
    })();
    while (written < 20) await new Promise((r) => setTimeout(r, 5));

    const reply = await t.client.send('GET', t.client.serverUrl('/db/backup'));
    expect(reply.status).toBe(200);
    const file = path.join(work, engine === 'sqlite' ? 'backup.sqlite' : 'backup.ndjson');
    await pipeline(reply.body, createWriteStream(file));
    const writtenAtEnd = written;
    writing = false;
    await writer;
    expect((await stat(file)).size).toBeGreaterThan(0);

    let snapshotPackages: number;
    if (engine === 'sqlite') {
      expect(String(reply.headers['content-type'])).toContain('application/vnd.sqlite3');
      const snap = new BetterSqlite3(file, { readonly: true });
      expect(snap.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(snap.prepare('select id, label from apps').all()).toEqual([{ id: APP_ID, label: 'FakeApp' }]);
      snapshotPackages = (snap.prepare('select count(*) n from packages').get() as { n: number }).n;
      // Consistent: the packages form a prefix of what the writer inserted.
      const sizes = (snap.prepare('select size from packages order by size').all() as { size: number }[]).map((r) => r.size);
      expect(sizes).toEqual([...Array(snapshotPackages).keys()]);
      snap.close();
    } else {
      expect(String(reply.headers['content-type'])).toContain('application/x-ndjson');
      snapshotPackages = -1;
    }

    // Restore into an empty database, start a service on it, and read the rows back through the API.
    const target = await mkdtemp(path.join(work, 'restored-'));
    const pgTarget = engine === 'postgres' ? await createPgDatabase() : undefined;
    const store = await openStore({ dataDir: target, dbUrl: pgTarget?.url });
    const counts = await restoreBackup(store, file);
    await store.close();
    expect(counts.apps).toBe(1);
    expect(counts.users).toBe(1);
    if (snapshotPackages >= 0) expect(counts.packages).toBe(snapshotPackages);
    expect(counts.packages).toBeGreaterThanOrEqual(20);
    expect(counts.packages).toBeLessThanOrEqual(writtenAtEnd);

    const restored = await startServer({ listen: '127.0.0.1:0', dataDir: target, dbUrl: pgTarget?.url, logLevel: 'silent' });
    expect(restored.adminKey).toBeUndefined(); // users came back with the backup
    const client = new ApiClient({ server: restored.url, user: 'admin', key: t.key });
    try {
      expect((await client.listApps()).items).toEqual([{ id: APP_ID, label: 'FakeApp', description: '' }]);
      expect((await client.listPackages(APP_ID)).total).toBe(counts.packages);
      expect((await client.listChannels(APP_ID)).items![0]).toMatchObject({ label: 'master', publish: true });
      // A restored database is not empty: restoring again is refused.
      const again = await openStore({ dataDir: target, dbUrl: pgTarget?.url });
      await expect(restoreBackup(again, file)).rejects.toThrow(/not empty/);
      await again.close();
    } finally {
      await client.close();
      await restored.close();
      await pgTarget?.drop();
    }
  });
});
