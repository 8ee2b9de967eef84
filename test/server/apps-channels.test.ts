import { afterAll, beforeAll, expect, it } from 'vitest';
import { request } from 'undici';
import { hawkHeader } from '../../src/api/hawk.js';
import { APP_ID, apiError, describeEngines, startTestServer, type TestServer } from './helpers.js';

describeEngines('apps, channels, packages, users', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => t?.close());

  it('creates, lists, updates and deletes apps', async () => {
    const app = await t.client.insertApp({ id: APP_ID, label: 'FakeApp', description: 'Fake app for testing' });
    expect(app).toEqual({ id: APP_ID, label: 'FakeApp', description: 'Fake app for testing' });
    const generated = await t.client.insertApp({ label: 'Generated' });
    expect(generated.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.client.listApps()).items!.map((a) => a.id)).toEqual([APP_ID, generated.id]);

    const dup = await apiError(() => t.client.insertApp({ id: APP_ID }));
    expect(dup.code).toBe(409);
    expect(JSON.parse(dup.body)).toEqual({
      error: { code: 409, message: 'app already exists', errors: [{ domain: 'global', reason: 'conflict', message: 'app already exists' }] },
    });

    // Patch semantics: absent fields keep their value.
    expect(await t.client.updateApp(generated.id!, { label: 'Renamed' })).toEqual({ id: generated.id, label: 'Renamed', description: '' });
    // App ids that are UUIDs match in any case and with braces.
    expect((await t.client.getApp(`{${APP_ID.toUpperCase()}}`)).id).toBe(APP_ID);

    expect(await t.client.deleteApp(generated.id!)).toMatchObject({ id: generated.id });
    const gone = await apiError(() => t.client.deleteApp(generated.id!));
    expect(gone.code).toBe(404);
    expect(gone.message).toBe('googleapi: Error 404: app not found, notFound');
  });

  it('PATCH on a missing app creates it (0.x update-app walkthroughs)', async () => {
    const id = '72834a2b-ad86-4d8e-9a4c-bf4fd4c8d1ff';
    expect(await t.client.updateApp(id, { id, label: 'Example App', description: 'd' })).toEqual({ id, label: 'Example App', description: 'd' });
    expect((await t.client.getApp(id)).label).toBe('Example App');
    await t.client.deleteApp(id);
  });

  it('rejects invalid input with a 400 naming the field, changing nothing', async () => {
    const bad = await apiError(() => t.client.insertApp({ id: 'a/b' }));
    expect(bad.code).toBe(400);
    expect(JSON.parse(bad.body).error.errors[0]).toMatchObject({ reason: 'invalid', location: 'id' });
    const long = await apiError(() => t.client.insertApp({ id: 'x', label: 'l'.repeat(300) }));
    expect(long.code).toBe(400);
    expect(long.message).toContain('label');
    await apiError(() => t.client.getApp('x'));
  });

  it('channels: create via the original path quirk, update, list, delete', async () => {
    // The original CLI posts to apps/<channel>/channels with the real app in the body.
    const created = await t.client.insertChannel('master', { appId: APP_ID, label: 'master', version: '1.0.0' });
    expect(created).toMatchObject({ appId: APP_ID, label: 'master', version: '1.0.0', publish: false, upstream: '' });
    expect(new Date(created.dateCreated!).toISOString()).toBe(created.dateCreated);
    const dup = await apiError(() => t.client.insertChannel(APP_ID, { appId: APP_ID, label: 'master', version: '1.0.0' }));
    expect(dup.code).toBe(409);
    const noApp = await apiError(() => t.client.insertChannel('nope', { appId: 'nope2', label: 'x', version: '1.0.0' }));
    expect(noApp.code).toBe(404);
    const badVersion = await apiError(() => t.client.insertChannel(APP_ID, { label: 'beta', version: 'banana' }));
    expect(badVersion.code).toBe(400);
    expect(badVersion.message).toContain('version');

    // publish absent = false; version absent = kept.
    expect(await t.client.updateChannel(APP_ID, 'master', { version: '1.1.0', publish: true })).toMatchObject({ version: '1.1.0', publish: true });
    expect(await t.client.updateChannel(APP_ID, 'master', { version: '1.1.0' })).toMatchObject({ publish: false });
    // 0.x update-channel on a channel that was never created creates it.
    expect(await t.client.updateChannel(APP_ID, 'stable', { version: '1.0' })).toMatchObject({ label: 'stable', version: '1.0' });
    expect((await t.client.listChannels(APP_ID)).items!.map((c) => c.label)).toEqual(['master', 'stable']);
    expect(await t.client.deleteChannel(APP_ID, 'stable')).toEqual({ appId: APP_ID, label: 'stable', version: '1.0', publish: false });
    const missing = await apiError(() => t.client.deleteChannel(APP_ID, 'nope'));
    expect(missing.message).toBe('googleapi: Error 404: channel not found, notFound');
  });

  it('packages: create, list newest first, 409, delete refused while a channel uses it', async () => {
    const pkg = await t.client.insertPackage(APP_ID, '1.1.0', {
      url: 'https://example.com/packages/update.gz',
      size: '1024',
      sha1Sum: 'm4eqJIl18nb4SPWQVCdVCLTwAxE=',
      sha256Sum: 'YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=',
    });
    expect(pkg).toMatchObject({
      appId: APP_ID,
      version: '1.1.0',
      size: '1024',
      required: false,
      metadataSignatureRsa: '',
      metadataSize: '',
      releaseNotes: '',
    });
    // A container image reference is a valid package location (seed 003).
    await t.client.insertPackage(APP_ID, '1.0.0', { url: 'coreos/example:1.0.0' });
    await t.client.insertPackage(APP_ID, '1.10.0', { url: 'https://example.com/1.10.0/update.gz', size: '5' });
    const list = await t.client.listPackages(APP_ID);
    expect(list.total).toBe(3);
    expect(list.items!.map((p) => p.version)).toEqual(['1.10.0', '1.1.0', '1.0.0']);
    expect((await t.client.listPackages(APP_ID, { limit: 1, skip: 1 })).items!.map((p) => p.version)).toEqual(['1.1.0']);

    expect((await apiError(() => t.client.insertPackage(APP_ID, '1.1.0', { url: 'https://x/y' }))).code).toBe(409);
    const badSize = await apiError(() => t.client.insertPackage(APP_ID, '2.0.0', { url: 'https://x/y', size: 'big' }));
    expect(badSize.code).toBe(400);
    expect(JSON.parse(badSize.body).error.errors[0].location).toBe('size');
    expect((await apiError(() => t.client.insertPackage(APP_ID, '2.0.0', { url: 'has space' }))).code).toBe(400);

    const inUse = await apiError(() => t.client.deletePackage(APP_ID, '1.1.0'));
    expect(inUse.code).toBe(409);
    expect(await t.client.deletePackage(APP_ID, '1.10.0')).toMatchObject({ version: '1.10.0' });
    expect((await apiError(() => t.client.deletePackage(APP_ID, '1.10.0'))).code).toBe(404);
  });

  it('public channels and packages list what is published, without auth', async () => {
    await t.client.updateChannel(APP_ID, 'master', { version: '1.1.0', publish: true });
    const anonymous = t.clientFor('', '');
    const channels = await anonymous.publicChannels();
    expect(channels.items).toEqual([expect.objectContaining({ appId: APP_ID, label: 'master', version: '1.1.0', publish: true })]);
    const packages = await anonymous.publicPackages();
    expect(packages.items).toEqual([{ AppId: APP_ID, packages: [expect.objectContaining({ version: '1.1.0', size: '1024' })] }]);
    expect((await anonymous.uuid()).uuid).toMatch(/^[0-9a-f-]{36}$/);
    // Everything else needs a signature.
    expect((await apiError(() => anonymous.listApps())).code).toBe(401);
  });

  it('users: create, list, new token, delete (not the last one)', async () => {
    const bob = await t.client.createUser({ userName: 'jane doe/x' });
    expect(bob.user).toBe('jane doe/x');
    expect(bob.token).toMatch(/^[0-9a-f]{32}$/);
    const asJane = t.clientFor('jane doe/x', bob.token!);
    expect((await asJane.listUsers()).users).toEqual([{ user: 'admin', role: 'admin' }, { user: 'jane doe/x', role: 'admin' }]);
    expect((await apiError(() => t.client.createUser({ userName: 'admin' }))).code).toBe(409);
    expect((await apiError(() => t.client.createUser({}))).code).toBe(400);

    const renewed = await t.client.newToken('jane doe/x');
    expect(renewed.token).not.toBe(bob.token);
    expect((await apiError(() => asJane.listApps())).code).toBe(401);
    expect((await t.clientFor('jane doe/x', renewed.token!).getUser('jane doe/x'))).toEqual({ user: 'jane doe/x', role: 'admin' });

    expect(await t.client.deleteUser('jane doe/x')).toEqual({ user: 'jane doe/x' });
    expect((await apiError(() => t.client.deleteUser('jane doe/x'))).code).toBe(404);
    expect((await apiError(() => t.client.deleteUser('admin'))).code).toBe(409);
  });

  it('accepts JSON under any or no content type, alt=json, and answers 404 in Google shape', async () => {
    const url = new URL(`${t.url}/_ah/api/update/v1/apps?alt=json`);
    for (const contentType of [undefined, 'text/plain', 'application/json']) {
      const id = `ct-${contentType ?? 'none'}`.replace(/[^a-z-]/g, '-');
      const res = await request(url, {
        method: 'POST',
        headers: { authorization: hawkHeader('admin', t.key, 'POST', url), ...(contentType ? { 'content-type': contentType } : {}) },
        body: JSON.stringify({ id, label: 'x' }),
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toMatchObject({ id });
    }
    const badJson = await request(url, {
      method: 'POST',
      headers: { authorization: hawkHeader('admin', t.key, 'POST', url), 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(badJson.statusCode).toBe(400);
    expect(((await badJson.body.json()) as any).error.code).toBe(400);

    const missing = new URL(`${t.url}/_ah/api/update/v1/nothing-here?alt=json`);
    const res = await request(missing, { headers: { authorization: hawkHeader('admin', t.key, 'GET', missing) } });
    expect(res.statusCode).toBe(404);
    expect(((await res.body.json()) as any).error.errors[0].reason).toBe('notFound');

    const health = await request(`${t.url}/health`);
    expect(await health.body.json()).toEqual({ status: 'ok' });
  });
});
