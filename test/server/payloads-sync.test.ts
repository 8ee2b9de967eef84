import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request } from 'undici';
import { APP_ID, apiError, describeEngines, startTestServer, type TestServer } from './helpers.js';

function multipart(field: string, fileName: string, content: Buffer) {
  const boundary = randomBytes(16).toString('hex');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  // Streamed in small chunks (chunked transfer encoding), as the Go client sends it.
  const whole = Buffer.concat([head, content, tail]);
  const chunks = Array.from({ length: Math.ceil(whole.length / 4096) }, (_, i) => whole.subarray(i * 4096, (i + 1) * 4096));
  return { body: Readable.from(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEngines('payload upload and download', (engine) => {
  let t: TestServer;
  let off: TestServer;
  beforeAll(async () => {
    [t, off] = await Promise.all([startTestServer(engine, { enablePackageUploads: true }), startTestServer(engine)]);
  });
  afterAll(async () => Promise.all([t?.close(), off?.close()]));

  it('stores an upload under the packages dir and serves it at /packages/<name>', async () => {
    const payload = randomBytes(300_000);
    const { body, contentType } = multipart('file', 'update.gz', payload);
    const reply = await t.client.send('POST', t.client.serverUrl('/package-upload'), { body, headers: { 'content-type': contentType } });
    expect(reply.status).toBe(200);
    const info = (await reply.body.json()) as Record<string, string>;
    expect(info).toEqual({
      name: 'update.gz',
      url: `${t.url}/packages/update.gz`,
      size: String(payload.length),
      sha1Sum: createHash('sha1').update(payload).digest('base64'),
      sha256Sum: createHash('sha256').update(payload).digest('base64'),
    });

    const download = await request(`${t.url}/packages/update.gz`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-length']).toBe(String(payload.length));
    expect(Buffer.from(await download.body.arrayBuffer()).equals(payload)).toBe(true);

    const part = await request(`${t.url}/packages/update.gz`, { headers: { range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${payload.length}`);
    expect(Buffer.from(await part.body.arrayBuffer()).equals(payload.subarray(100, 200))).toBe(true);

    expect((await request(`${t.url}/packages/nope.gz`)).statusCode).toBe(404);
    expect((await request(`${t.url}/packages/..%2Fupdateservice.sqlite`)).statusCode).toBe(404);
  });

  it('rejects unsafe names and wrong fields, and answers 403 when uploads are disabled', async () => {
    const evil = multipart('file', '../../etc/x', Buffer.from('x'));
    const r1 = await t.client.send('POST', t.client.serverUrl('/package-upload'), { body: evil.body, headers: { 'content-type': evil.contentType } });
    // The base name is kept: "x" is a safe name.
    expect(r1.status).toBe(200);
    expect(((await r1.body.json()) as { name: string }).name).toBe('x');
    const hidden = multipart('file', '.hidden', Buffer.from('x'));
    const r2 = await t.client.send('POST', t.client.serverUrl('/package-upload'), { body: hidden.body, headers: { 'content-type': hidden.contentType } });
    expect(r2.status).toBe(400);
    await r2.body.dump();
    const wrong = multipart('payload', 'a.gz', Buffer.from('x'));
    const r3 = await t.client.send('POST', t.client.serverUrl('/package-upload'), { body: wrong.body, headers: { 'content-type': wrong.contentType } });
    expect(r3.status).toBe(400);
    await r3.body.dump();

    const disabled = multipart('file', 'update.gz', Buffer.from('x'));
    const r4 = await off.client.send('POST', off.client.serverUrl('/package-upload'), { body: disabled.body, headers: { 'content-type': disabled.contentType } });
    expect(r4.status).toBe(403);
    expect(await r4.body.text()).toBe('uploads disabled');
  });
});

describeEngines('upstream sync between two running services', (engine) => {
  let upstream: TestServer;
  let mirror: TestServer;
  beforeAll(async () => {
    [upstream, mirror] = await Promise.all([startTestServer(engine), startTestServer(engine)]);
  });
  afterAll(async () => Promise.all([upstream?.close(), mirror?.close()]));

  it('manages upstreams', async () => {
    const u = await mirror.client.insertUpstream({ url: `${upstream.url}/`, label: 'Upstream' });
    expect(u).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), url: upstream.url, label: 'Upstream' });
    expect((await apiError(() => mirror.client.insertUpstream({ url: upstream.url }))).code).toBe(409);
    expect((await apiError(() => mirror.client.insertUpstream({ url: 'ftp://x' }))).code).toBe(400);
    expect(await mirror.client.updateUpstream(u.id!, { id: u.id, url: upstream.url, label: 'Renamed' })).toMatchObject({ label: 'Renamed' });
    expect((await mirror.client.listUpstreams()).items).toHaveLength(1);
    const extra = await mirror.client.insertUpstream({ url: 'http://127.0.0.1:9' });
    expect(await mirror.client.deleteUpstream(extra.id!)).toMatchObject({ id: extra.id });
    expect((await apiError(() => mirror.client.deleteUpstream(extra.id!))).code).toBe(404);
  });

  it('adds missing packages, creates and moves following channels, for apps that exist locally', async () => {
    await upstream.client.insertApp({ id: APP_ID, label: 'CoreOS' });
    await upstream.client.insertApp({ id: 'only-upstream', label: 'x' });
    for (const v of ['1.0.0', '1.1.0']) {
      await upstream.client.insertPackage(APP_ID, v, { url: `https://example.com/${v}/update.gz`, size: '1024', sha1Sum: 'abc=' });
    }
    await upstream.client.insertPackage('only-upstream', '1.0.0', { url: 'https://example.com/x' });
    await upstream.client.insertChannel(APP_ID, { label: 'stable', version: '1.0.0', publish: true });
    await upstream.client.insertChannel(APP_ID, { label: 'secret', version: '1.1.0', publish: false });
    await upstream.client.insertChannel('only-upstream', { label: 'stable', version: '1.0.0', publish: true });

    await mirror.client.insertApp({ id: APP_ID, label: 'CoreOS mirror' });
    let result = await mirror.client.syncUpstreams();
    expect(result).toEqual({ status: 'ok', detail: 'synced 1 channels, 1 packages' });
    expect((await mirror.client.listPackages(APP_ID)).items!.map((p) => p.version)).toEqual(['1.0.0']);
    expect((await mirror.client.listChannels(APP_ID)).items).toEqual([
      expect.objectContaining({ label: 'stable', version: '1.0.0', upstream: upstream.url, publish: false }),
    ]);
    expect((await apiError(() => mirror.client.getApp('only-upstream'))).code).toBe(404);

    // The upstream moves stable to 1.1.0: the mirror follows.
    await upstream.client.updateChannel(APP_ID, 'stable', { version: '1.1.0', publish: true });
    result = await mirror.client.syncUpstreams();
    expect(result.detail).toBe('synced 1 channels, 1 packages');
    expect((await mirror.client.listChannels(APP_ID)).items![0]).toMatchObject({ version: '1.1.0' });
    expect((await mirror.client.listPackages(APP_ID)).items![0]).toMatchObject({ version: '1.1.0', size: '1024', sha1Sum: 'abc=' });
    // Nothing new: nothing changes.
    expect((await mirror.client.syncUpstreams()).detail).toBe('synced 0 channels, 0 packages');
  });

  it('a sync with an unreachable upstream fails with 502 and changes nothing', async () => {
    await upstream.client.insertPackage(APP_ID, '1.2.0', { url: 'https://example.com/1.2.0/update.gz' });
    await upstream.client.updateChannel(APP_ID, 'stable', { version: '1.2.0', publish: true });
    const dead = await mirror.client.insertUpstream({ url: 'http://127.0.0.1:9' });
    const err = await apiError(() => mirror.client.syncUpstreams());
    expect(err.code).toBe(502);
    expect(err.message).toContain('127.0.0.1:9');
    expect((await mirror.client.listChannels(APP_ID)).items![0]).toMatchObject({ version: '1.1.0' });
    await mirror.client.deleteUpstream(dead.id!);
  });
});
