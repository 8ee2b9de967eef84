// A full disk, on a real 40 MB tmpfs (root mounts it): writes get 507 with a
// clear message, signed reads keep working, update checks answer noupdate
// rather than an update without a durable grant, a failed upload's connection
// is closed, shutdown finishes, and once space is freed everything resumes.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hawkHeader } from '../../src/api/hawk.js';
import { SQLITE_FILE_NAME } from '../../src/server/db/connect.js';
import { APP_ID, apiError, startTestServer, type TestServer } from './helpers.js';
import { machineId, postOmaha, setUpApp, SHA1, SHA256 } from './omaha-helpers.js';

describe('a full disk', () => {
  let mountPoint: string;
  let t: TestServer;
  const filler = () => path.join(mountPoint, 'filler');

  beforeAll(async () => {
    mountPoint = await mkdtemp(path.join(tmpdir(), 'us-full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=40m', 'tmpfs', mountPoint]);
    t = await startTestServer('sqlite', { dataDir: path.join(mountPoint, 'data'), enablePackageUploads: true, shutdownTimeout: 2 });
    await setUpApp(t.client, { version: '1.1.0' });
    // So that an upload fails in the middle of its body, not at mkdir.
    await mkdir(path.join(mountPoint, 'data', 'packages'), { recursive: true });
  });
  afterAll(async () => {
    await t?.close();
    if (mountPoint) {
      execFileSync('umount', ['-l', mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    }
  });

  it('refuses writes with 507, keeps reads and checks working, closes a failed upload, and recovers', async () => {
    // Fill the disk, then write until even small writes find no room.
    await writeFile(filler(), Buffer.alloc(36 * 2 ** 20));
    let code = 0;
    const notes = 'n'.repeat(60_000);
    for (let i = 0; i < 400 && code !== 507; i++) {
      code = await t.client
        .insertPackage(APP_ID, `5.0.${i}`, { url: 'https://example.com/u.gz', size: '1', sha1Sum: SHA1, sha256Sum: SHA256, releaseNotes: notes })
        .then(() => 200, (e: { code: number }) => e.code);
    }
    expect(code).toBe(507);
    for (let i = 0; i < 400; i++) {
      const small = await t.client.insertApp({ id: `tiny-${i}`, label: 'x' }).then(() => 200, (e: { code: number }) => e.code);
      if (small === 507) break;
    }
    const refused = await apiError(() => t.client.insertApp({ id: 'after-full', label: 'x' }));
    expect(refused.code).toBe(507);
    expect(refused.message).toContain('disk is full');

    // Signed reads still answer.
    expect((await t.client.getApp(APP_ID)).id).toBe(APP_ID);
    expect((await t.client.listGroups(APP_ID)).items?.length).toBeGreaterThan(0);

    // A machine behind: noupdate, never an update whose grant was not stored.
    const check = await postOmaha(
      t.url,
      `<?xml version="1.0" encoding="UTF-8"?><request protocol="3.0"><app appid="{${APP_ID}}" version="1.0.0" track="fake1" machineid="${machineId()}"><updatecheck></updatecheck></app></request>`,
    );
    expect(check.status).toBe(200);
    expect(check.parsed!.apps[0]!.updateCheck!.status).toBe('noupdate');

    // An upload that hits the full disk: 507, the connection closed, no partial file left.
    const url = new URL(`${t.url}/package-upload`);
    const boundary = `b${randomBytes(8).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.gz"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.alloc(8 * 2 ** 20, 1),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await request(url, {
      method: 'POST',
      headers: { authorization: hawkHeader('admin', t.key, 'POST', url), 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    const text = await upload.body.text();
    expect(upload.statusCode, text).toBe(507);
    expect(upload.headers.connection).toBe('close');
    const packages = await readdir(path.join(mountPoint, 'data', 'packages'));
    expect(packages.filter((n) => n.startsWith('.upload-') || n === 'big.gz')).toEqual([]);

    // Space freed: writes go through again, and the database is intact.
    await rm(filler());
    await t.client.insertApp({ id: 'after-free', label: 'x' });
    const db = new BetterSqlite3(path.join(mountPoint, 'data', SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 120_000);
});
