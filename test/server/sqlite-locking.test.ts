// Lock contention on the SQLite file never reaches a client: an API write
// transaction takes the write lock before its first read, so a commit by
// another connection in between (the write-behind worker, another process)
// cannot make it fail with SQLITE_BUSY, and under many writers beside a
// stream of Omaha reports every write is answered 2xx.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GoogleApiError } from '../../src/api/errors.js';
import { openStore, SQLITE_FILE_NAME, type Store } from '../../src/server/db/connect.js';
import { inTransaction } from '../../src/server/db/tx.js';
import { APP_ID, startTestServer, type TestServer } from './helpers.js';
import { machineId, postOmaha, setUpApp, SHA1, SHA256 } from './omaha-helpers.js';

describe('SQLite write transactions', () => {
  let dir: string;
  let store: Store;
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hold the write lock from their first read: another connection cannot commit in between', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'us-locking-'));
    store = await openStore({ dataDir: dir });
    const other = new BetterSqlite3(path.join(dir, SQLITE_FILE_NAME));
    other.pragma('busy_timeout = 0');
    const now = Date.now();
    let otherError: unknown;
    try {
      await inTransaction(store, async (trx) => {
        await trx.selectFrom('apps').select('id').execute();
        // A deferred transaction would let this commit, then fail its own
        // write below with SQLITE_BUSY_SNAPSHOT.
        try {
          other.prepare("INSERT INTO apps (id, label, description, created_at) VALUES ('other', '', '', ?)").run(now);
        } catch (err) {
          otherError = err;
        }
        await trx.insertInto('apps').values({ id: 'mine', label: '', description: '', created_at: now }).execute();
      });
    } finally {
      other.close();
    }
    expect((otherError as { code?: string } | undefined)?.code).toMatch(/^SQLITE_BUSY/);
    const ids = (await store.db.selectFrom('apps').select('id').execute()).map((r) => r.id);
    expect(ids).toEqual(['mine']);
  });
});

describe('32 concurrent API writers beside a stream of Omaha reports', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    await setUpApp(t.client);
  });
  afterAll(() => t?.close());

  it('every write is answered 2xx', async () => {
    const notes = 'n'.repeat(20_000);
    const deadline = Date.now() + 20_000;
    let reporting = true;
    const reports = (async () => {
      let sent = 0;
      while (reporting && Date.now() < deadline && sent < 20_000) {
        await Promise.all(
          Array.from({ length: 16 }, () =>
            postOmaha(
              t.url,
              `<?xml version="1.0" encoding="UTF-8"?><request protocol="3.0"><app appid="{${APP_ID}}" version="1.0.0" track="fake1" machineid="${machineId()}"><event eventtype="3" eventresult="2"></event></app></request>`,
            ),
          ),
        );
        sent += 16;
      }
      return sent;
    })();
    const failures: string[] = [];
    let written = 0;
    await Promise.all(
      Array.from({ length: 32 }, async (_, writer) => {
        for (let i = 0; i < 40 && Date.now() < deadline; i++) {
          try {
            await t.client.insertPackage(APP_ID, `2.${writer}.${i}`, {
              url: 'https://example.com/u.gz', size: '1', sha1Sum: SHA1, sha256Sum: SHA256, releaseNotes: notes,
            });
            written++;
          } catch (err) {
            failures.push(err instanceof GoogleApiError ? err.message : String(err));
          }
        }
      }),
    );
    reporting = false;
    const sent = await reports;
    expect(failures).toEqual([]);
    expect(written).toBeGreaterThan(100);
    expect(sent).toBeGreaterThan(0);
  });
});
