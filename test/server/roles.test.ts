// Roles: admin (everything), editor (apps and what is in them, uploads),
// viewer (reads), optionally limited to some apps; refusals are 403 in the
// API's error shape and change nothing.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/client.js';
import { ROUTE_RULES } from '../../src/server/auth/permissions.js';
import { openSqlite, openStore } from '../../src/server/db/connect.js';
import { migrationProvider } from '../../src/server/db/migrations.js';
import { APP_ID, apiError, createPgDatabase, describeEngines, startTestServer, type TestServer } from './helpers.js';

const OTHER_APP = '5b810680-e36a-4879-b98a-4f989e80b899';
const NEW_APP = '3a4c9a6e-8f3e-4d38-9a59-64d1d0b0c7f1';

/** Expects `call` to be refused with 403 in the shape the CLI prints as `googleapi: Error 403: …, forbidden`. */
async function expectForbidden(call: () => Promise<unknown>, message?: RegExp): Promise<void> {
  const err = await apiError(call);
  expect(err.code).toBe(403);
  expect(err.message).toMatch(/^googleapi: Error 403: .+, forbidden$/);
  if (message) expect(err.message).toMatch(message);
  expect(JSON.parse(err.body)).toMatchObject({ error: { code: 403, errors: [{ domain: 'global', reason: 'forbidden' }] } });
}

/** Uploads a small payload as `client` signs: the reply's status and body. */
async function uploadAs(client: ApiClient): Promise<{ status: number; text: string }> {
  const boundary = randomBytes(8).toString('hex');
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="update.gz"\r\n\r\npayload\r\n--${boundary}--\r\n`;
  const reply = await client.send('POST', client.serverUrl('/package-upload'), {
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  return { status: reply.status, text: await reply.body.text() };
}

describeEngines('roles', (engine) => {
  let t: TestServer;
  /** A client signing as a new user with this role (and apps). */
  let as: (name: string, role?: 'admin' | 'editor' | 'viewer', apps?: string[]) => Promise<ApiClient>;
  beforeAll(async () => {
    t = await startTestServer(engine, { enablePackageUploads: true });
    as = async (name, role, apps) => {
      const created = await t.client.createUser({ userName: name, role, apps });
      return t.clientFor(name, created.token!);
    };
    for (const [id, label] of [[APP_ID, 'Mine'], [OTHER_APP, 'Theirs']] as const) {
      await t.client.insertApp({ id, label });
      await t.client.insertChannel(id, { label: 'stable', version: '1.0.0', publish: true });
      await t.client.insertGroup(id, { id: 'prod', label: 'Production', channelId: 'stable' });
      await t.client.insertPackage(id, '1.0.0', { url: 'https://example.com/1.0.0/update.gz', size: '1' });
    }
  });
  afterAll(async () => t?.close());

  it('makes a user created without a role an admin, as the original service did', async () => {
    const legacy = await t.client.createUser({ userName: 'legacy' });
    expect(legacy).toMatchObject({ user: 'legacy', role: 'admin' });
    expect(legacy).not.toHaveProperty('apps');
    const client = t.clientFor('legacy', legacy.token!);
    expect(await client.whoAmI()).toEqual({ user: 'legacy', role: 'admin' });
    // An admin may manage users and upstreams and take backups.
    await client.createUser({ userName: 'made-by-legacy' });
    await client.deleteUser('made-by-legacy');
    expect((await client.listUpstreams()).items ?? []).toEqual([]);
    const backup = await client.send('GET', client.serverUrl('/db/backup'));
    expect(backup.status).toBe(200);
    await backup.body.dump();
  });

  it('lists every user with its role, and its apps when it is limited to some', async () => {
    await as('lister-editor', 'editor', [APP_ID.toUpperCase(), APP_ID]);
    await as('lister-viewer', 'viewer');
    const users = (await t.client.listUsers()).users ?? [];
    expect(users.find((u) => u.user === 'admin')).toEqual({ user: 'admin', role: 'admin' });
    // App ids are kept canonical (lower case UUIDs) and without repeats.
    expect(users.find((u) => u.user === 'lister-editor')).toEqual({ user: 'lister-editor', role: 'editor', apps: [APP_ID] });
    expect(users.find((u) => u.user === 'lister-viewer')).toEqual({ user: 'lister-viewer', role: 'viewer' });
    expect(await t.client.getUser('lister-editor')).toEqual({ user: 'lister-editor', role: 'editor', apps: [APP_ID] });
    expect(users.every((u) => u.token === undefined)).toBe(true);
  });

  it('refuses a role it does not know and apps on an admin, with 400', async () => {
    expect((await apiError(() => t.client.createUser({ userName: 'root', role: 'root' as 'admin' }))).message).toBe(
      'googleapi: Error 400: invalid role: must be one of admin, editor, viewer, invalid',
    );
    expect((await apiError(() => t.client.createUser({ userName: 'scoped-admin', role: 'admin', apps: [APP_ID] }))).code).toBe(400);
    expect((await apiError(() => t.client.createUser({ userName: 'bad-apps', role: 'editor', apps: 'x' as unknown as string[] }))).code).toBe(400);
    expect((await apiError(() => t.client.createUser({ userName: 'bad-app', role: 'editor', apps: ['a/b'] }))).message).toMatch(/invalid apps\[0\]/);
    const names = ((await t.client.listUsers()).users ?? []).map((u) => u.user);
    expect(names).not.toEqual(expect.arrayContaining(['root']));
    expect(names.filter((n) => ['root', 'scoped-admin', 'bad-apps', 'bad-app'].includes(n!))).toEqual([]);
  });

  it('lets an editor change apps, channels, groups, packages and rollouts, but not users, backups or upstreams', async () => {
    const editor = await as('editor', 'editor');
    expect(await editor.whoAmI()).toEqual({ user: 'editor', role: 'editor' });
    await editor.insertApp({ id: NEW_APP, label: 'By the editor' });
    await editor.insertPackage(NEW_APP, '2.0.0', { url: 'https://example.com/2.0.0/update.gz', size: '2' });
    await editor.insertChannel(NEW_APP, { label: 'beta', version: '2.0.0', publish: false });
    await editor.updateChannel(NEW_APP, 'beta', { version: '2.0.0', publish: true });
    await editor.insertGroup(NEW_APP, { id: 'canary', label: 'Canary', channelId: 'beta' });
    await editor.setRollout(NEW_APP, 'canary', { rollout: [{ percent: 10, duration: '60' }, { percent: 100, duration: '0' }] });
    await editor.setRolloutActive(NEW_APP, 'canary', { active: true });
    expect((await editor.listApps()).items?.map((a) => a.id)).toEqual([APP_ID, OTHER_APP, NEW_APP]);
    await editor.deleteGroup(NEW_APP, 'canary');
    await editor.deleteApp(NEW_APP);

    await expectForbidden(() => editor.listUsers(), /only an admin may do this; editor is an editor/);
    await expectForbidden(() => editor.createUser({ userName: 'by-editor' }));
    await expectForbidden(() => editor.updateUser('editor', { role: 'admin' }));
    await expectForbidden(() => editor.listUpstreams());
    await expectForbidden(() => editor.insertUpstream({ url: 'http://127.0.0.1:1/', label: 'probe' }));
    await expectForbidden(() => editor.syncUpstreams());
    const backup = await editor.send('GET', editor.serverUrl('/db/backup'));
    expect(backup.status).toBe(403);
    expect(JSON.parse(await backup.body.text())).toMatchObject({ error: { code: 403, errors: [{ reason: 'forbidden' }] } });
    expect(((await t.client.listUsers()).users ?? []).map((u) => u.user)).not.toContain('by-editor');
    expect((await t.client.listUpstreams()).items ?? []).toEqual([]);
    expect(await t.client.getUser('editor')).toEqual({ user: 'editor', role: 'editor' });
  });

  it('lets a viewer read everything an editor may change, and change nothing', async () => {
    const viewer = await as('viewer', 'viewer');
    expect((await viewer.listApps()).items).toHaveLength(2);
    expect((await viewer.listChannels(APP_ID)).items).toHaveLength(1);
    expect((await viewer.listGroups(APP_ID)).items).toHaveLength(1);
    expect((await viewer.listPackages(APP_ID)).items).toHaveLength(1);
    expect(await viewer.getRollout(APP_ID, 'prod')).toMatchObject({ appId: APP_ID, groupId: 'prod' });
    expect(await viewer.clientUpdateCount({})).toEqual({ count: 0 });

    await expectForbidden(() => viewer.insertApp({ id: NEW_APP, label: 'x' }), /viewer is a viewer and may not change anything/);
    await expectForbidden(() => viewer.updateApp(APP_ID, { label: 'changed' }));
    await expectForbidden(() => viewer.deleteApp(APP_ID));
    await expectForbidden(() => viewer.insertPackage(APP_ID, '9.9.9', { url: 'https://example.com/u.gz' }));
    await expectForbidden(() => viewer.patchGroup(APP_ID, 'prod', { updatesPaused: true }));
    await expectForbidden(() => viewer.setRolloutActive(APP_ID, 'prod', { active: true }));
    await expectForbidden(() => viewer.deleteChannel(APP_ID, 'stable'));
    const upload = await uploadAs(viewer);
    expect(upload.status).toBe(403);
    expect(upload.text).toMatch(/viewer is a viewer and may not change anything/);

    expect((await t.client.getApp(APP_ID)).label).toBe('Mine');
    expect((await t.client.listApps()).items?.map((a) => a.id)).toEqual([APP_ID, OTHER_APP]);
    expect((await t.client.listPackages(APP_ID)).items?.map((p) => p.version)).toEqual(['1.0.0']);
    expect((await t.client.getGroup(APP_ID, 'prod')).updatesPaused).toBeFalsy();
  });

  it('keeps a scoped editor (a CI key) to its apps: it sees and changes only those', async () => {
    const ci = await as('ci', 'editor', [APP_ID]);
    expect(await ci.whoAmI()).toEqual({ user: 'ci', role: 'editor', apps: [APP_ID] });
    // Listings show its apps only.
    expect((await ci.listApps()).items?.map((a) => a.id)).toEqual([APP_ID]);
    await ci.insertPackage(APP_ID, '1.1.0', { url: 'https://example.com/1.1.0/update.gz', size: '3' });
    await ci.updateChannel(APP_ID, 'stable', { version: '1.1.0', publish: true });
    expect((await t.client.listChannels(APP_ID)).items?.[0]?.version).toBe('1.1.0');
    // The app id may be written in any case, or in braces, as clients send it.
    expect((await ci.getApp(`{${APP_ID.toUpperCase()}}`)).id).toBe(APP_ID);

    // Another app is refused whether it exists or not.
    await expectForbidden(() => ci.getApp(OTHER_APP), new RegExp(`ci may not access app ${OTHER_APP}`));
    await expectForbidden(() => ci.listPackages(OTHER_APP));
    await expectForbidden(() => ci.insertPackage(OTHER_APP, '6.6.6', { url: 'https://example.com/x.gz' }));
    await expectForbidden(() => ci.updateChannel(OTHER_APP, 'stable', { version: '6.6.6' }));
    await expectForbidden(() => ci.deleteApp(OTHER_APP));
    await expectForbidden(() => ci.getApp(NEW_APP));
    await expectForbidden(() => ci.insertApp({ id: NEW_APP, label: 'not mine' }));
    await expectForbidden(() => ci.insertApp({ label: 'no id' }), /limited to some apps: name one of them/);
    await expectForbidden(() => ci.clientUpdates({ appId: OTHER_APP }));
    // An upload may replace any app's payload (one shared folder): not for a scoped user.
    const upload = await uploadAs(ci);
    expect(upload.status).toBe(403);
    expect(upload.text).toMatch(/this needs access to every app/);

    expect((await t.client.listChannels(OTHER_APP)).items?.[0]?.version).toBe('1.0.0');
    expect((await t.client.listPackages(OTHER_APP)).items?.map((p) => p.version)).toEqual(['1.0.0']);
    expect((await t.client.listApps()).items?.map((a) => a.id)).toEqual([APP_ID, OTHER_APP]);
  });

  it('lets a scoped editor create an app it is limited to that does not exist yet', async () => {
    const ci = await as('ci-new', 'editor', [NEW_APP]);
    await ci.insertApp({ id: NEW_APP.toUpperCase(), label: 'Created by CI' });
    expect((await ci.listApps()).items?.map((a) => a.id)).toEqual([NEW_APP]);
    await t.client.deleteApp(NEW_APP);
  });

  it('narrows instance queries across apps to a scoped user\'s apps', async () => {
    // One machine checks in for each app.
    const check = (appId: string, machine: string, version: string) =>
      t.client.send('POST', t.client.serverUrl('/v1/update/'), {
        sign: false,
        headers: { 'content-type': 'text/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?><request protocol="3.0"><app appid="{${appId}}" version="${version}" track="prod" machineid="${machine}"><updatecheck/><event eventtype="3" eventresult="1"/></app></request>`,
      });
    for (const [appId, machine, version] of [[APP_ID, 'machine-a', '1.0.0'], [OTHER_APP, 'machine-b', '0.9.0'], [OTHER_APP, 'machine-a', '0.9.0']] as const) {
      const r = await check(appId, machine, version);
      expect(r.status).toBe(200);
      await r.body.dump();
    }
    const scoped = await as('instances-viewer', 'viewer', [APP_ID]);
    expect(await t.client.clientUpdateCount({})).toEqual({ count: 3 });
    expect(await scoped.clientUpdateCount({})).toEqual({ count: 1 });
    expect((await scoped.clientUpdates({})).items?.map((u) => [u.appId, u.clientId])).toEqual([[APP_ID, 'machine-a']]);
    expect((await scoped.appVersions({})).items?.map((v) => v.appId)).toEqual([APP_ID]);
    expect(await scoped.clientUpdateCount({ appId: APP_ID })).toEqual({ count: 1 });
    // History items carry no app: the other app's machine ran 0.9.0.
    const history = (await scoped.clientHistory('machine-a')).items ?? [];
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((e) => e.version === '1.0.0')).toBe(true);
    expect(((await t.client.clientHistory('machine-a')).items ?? []).some((e) => e.version === '0.9.0')).toBe(true);
  });

  it('lets a user rotate its own key, and nobody but an admin rotate or delete another user', async () => {
    const editor = await as('rotating-editor', 'editor');
    const viewer = await as('rotating-viewer', 'viewer');
    await expectForbidden(() => editor.newToken('admin'), /only an admin may manage other users/);
    await expectForbidden(() => viewer.newToken('rotating-editor'));
    await expectForbidden(() => editor.deleteUser('admin'));
    await expectForbidden(() => viewer.deleteUser('rotating-viewer'));
    await expectForbidden(() => editor.getUser('admin'));
    // The admin's key still works.
    expect((await t.client.listUsers()).users?.map((u) => u.user)).toContain('rotating-editor');

    expect(await editor.getUser('rotating-editor')).toEqual({ user: 'rotating-editor', role: 'editor' });
    const renewed = await editor.newToken('rotating-editor');
    expect(renewed.token).toMatch(/^[0-9a-f]{32}$/);
    expect((await apiError(() => editor.listApps())).code).toBe(401);
    const again = t.clientFor('rotating-editor', renewed.token!);
    expect(await again.whoAmI()).toEqual({ user: 'rotating-editor', role: 'editor' });
  });

  it('changes a role or apps with PATCH admin/user/<name>, keeping the key', async () => {
    const user = await as('promoted', 'viewer', [APP_ID]);
    expect(await t.client.updateUser('promoted', { role: 'editor' })).toEqual({ user: 'promoted', role: 'editor', apps: [APP_ID] });
    await user.updateApp(APP_ID, { label: 'Mine' });
    expect(await t.client.updateUser('promoted', { apps: [] })).toEqual({ user: 'promoted', role: 'editor' });
    expect((await user.listApps()).items).toHaveLength(2);
    // Becoming an admin drops the apps.
    await t.client.updateUser('promoted', { apps: [OTHER_APP] });
    expect(await t.client.updateUser('promoted', { role: 'admin' })).toEqual({ user: 'promoted', role: 'admin' });
    expect(await user.whoAmI()).toEqual({ user: 'promoted', role: 'admin' });
    expect((await apiError(() => t.client.updateUser('nobody', { role: 'viewer' }))).code).toBe(404);
    expect((await apiError(() => t.client.updateUser('promoted', { role: 'owner' as 'admin' }))).code).toBe(400);
  });

  it('keeps the last admin: it can be neither deleted nor demoted', async () => {
    // Every other admin goes first.
    for (const u of (await t.client.listUsers()).users ?? []) {
      if (u.role === 'admin' && u.user !== 'admin') await t.client.deleteUser(u.user!);
    }
    expect((await apiError(() => t.client.deleteUser('admin'))).message).toBe('googleapi: Error 409: cannot delete the last admin, conflict');
    expect((await apiError(() => t.client.updateUser('admin', { role: 'editor' }))).message).toBe(
      'googleapi: Error 409: cannot demote the last admin, conflict',
    );
    expect(await t.client.whoAmI()).toEqual({ user: 'admin', role: 'admin' });

    // With a second admin, either may go, but not both at once.
    const second = await as('second-admin', 'admin');
    expect(await t.client.updateUser('second-admin', { role: 'viewer' })).toMatchObject({ role: 'viewer' });
    await t.client.updateUser('second-admin', { role: 'admin' });
    const results = await Promise.allSettled([t.client.deleteUser('second-admin'), second.deleteUser('admin')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const admins = ((await (results[0].status === 'fulfilled' ? t.client : second).listUsers()).users ?? []).filter((u) => u.role === 'admin');
    expect(admins).toHaveLength(1);
  });
});

describe('every signed route has a permission rule', () => {
  it('lists each route once, with a need the hook knows', () => {
    for (const [route, rule] of Object.entries(ROUTE_RULES)) {
      expect(route).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \//);
      expect(['read', 'write', 'admin', 'selfOrAdmin', 'signedIn']).toContain(rule.need);
    }
  });
});

describeEngines('roles migration', (engine) => {
  it('makes the users that existed before roles admins', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'us-roles-migration-'));
    const pgDb = engine === 'postgres' ? await createPgDatabase() : undefined;
    try {
      const before: Kysely<any> =
        engine === 'sqlite'
          ? (openSqlite(path.join(dataDir, 'updateservice.sqlite')).db as Kysely<any>)
          : new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: pgDb!.url, max: 1 }) }) });
      const migrated = await new Migrator({ db: before, provider: migrationProvider(engine) }).migrateTo('0002_omaha');
      expect(migrated.error).toBeUndefined();
      const key = randomBytes(16).toString('hex');
      await before.insertInto('users').values({ name: 'old-timer', key, created_at: 1 }).execute();
      await before.destroy();

      const store = await openStore({ dataDir, dbUrl: pgDb?.url });
      try {
        expect(await store.db.selectFrom('users').select(['name', 'key', 'role', 'apps']).execute()).toEqual([
          { name: 'old-timer', key, role: 'admin', apps: '[]' },
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await pgDb?.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
