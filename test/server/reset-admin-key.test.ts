// `serve --reset-admin-key`: a lost admin key recovered offline. It sets a new
// key for `admin` (creating the user if it is gone, an admin of every app
// again), prints it, and exits 0 without serving; the old key stops working.
import { expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { openStore } from '../../src/server/db/connect.js';
import { startServer } from '../../src/server/server.js';
import { deleteUser, getUser, setUserAccess } from '../../src/server/store/users.js';
import { createPgDatabase, describeEngines, runServe, withCapturedServe } from './helpers.js';

describeEngines('serve --reset-admin-key', (engine) => {
  it('gives admin a new key offline, creating it if missing; the old key no longer signs', async () => {
    const pg = engine === 'postgres' ? await createPgDatabase() : undefined;
    try {
      await withCapturedServe(async ({ dataDir, lines }) => {
        const where = { dataDir, dbUrl: pg?.url };
        const db = pg ? [`--db-url=${pg.url}`] : [];
        const keyOf = (text: string) => /^admin key: (\S+)$/m.exec(text)?.[1];

        // A database whose admin key was lost (and whose admin was limited to one app).
        const first = await startServer({ ...where, listen: '127.0.0.1:0', adminKey: 'a'.repeat(32), logLevel: 'silent' });
        await setUserAccess(first.store.db, 'admin', { role: 'viewer', apps: '["x"]' });
        await first.close();

        expect(await runServe([`--data-dir=${dataDir}`, ...db, '--reset-admin-key'])).toBe(0);
        const key = keyOf(lines.join(''));
        expect(key).toMatch(/^[0-9a-f]{32}$/);
        expect(lines.join('')).not.toContain('listening on');

        lines.length = 0;
        expect(await runServe([`--data-dir=${dataDir}`, ...db, '--reset-admin-key', `--admin-key=${'b'.repeat(32)}`])).toBe(0);
        expect(keyOf(lines.join(''))).toBe('b'.repeat(32));

        const store = await openStore(where);
        try {
          expect(await getUser(store.db, 'admin')).toMatchObject({ key: 'b'.repeat(32), role: 'admin', apps: '[]' });
          await deleteUser(store.db, 'admin');
        } finally {
          await store.close();
        }
        // Gone altogether: created again.
        lines.length = 0;
        expect(await runServe([`--data-dir=${dataDir}`, ...db, '--reset-admin-key'])).toBe(0);
        const recreated = keyOf(lines.join(''))!;

        const server = await startServer({ ...where, listen: '127.0.0.1:0', logLevel: 'silent' });
        try {
          const url = server.url.replace('localhost', '127.0.0.1');
          const withNew = new ApiClient({ server: url, user: 'admin', key: recreated });
          const withOld = new ApiClient({ server: url, user: 'admin', key: 'a'.repeat(32) });
          expect((await withNew.listUsers()).users?.map((u) => u.user)).toEqual(['admin']);
          await expect(withOld.listUsers()).rejects.toMatchObject({ code: 401 });
          await withNew.close();
          await withOld.close();
        } finally {
          await server.close();
        }
      });
    } finally {
      await pg?.drop();
    }
  });

  it('a bad value or an unusable data dir: one line on stderr and a non-zero exit, nothing served', async () => {
    await withCapturedServe(async ({ lines }) => {
      expect(await runServe(['--reset-admin-key=maybe'])).toBe(2);
      expect(await runServe(['--data-dir=/dev/null/sub', '--reset-admin-key'])).toBe(1);
      expect(lines.join('')).toBe('');
    });
  });
});
