import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request } from 'undici';
import { computeMac, hawkHeader } from '../../src/api/hawk.js';
import { APP_ID, describeEngines, startTestServer, type TestServer } from './helpers.js';

describeEngines('Hawk authentication', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => t?.close());

  const apiUrl = (path: string) => new URL(`${t.url}/_ah/api/update/v1/${path}?alt=json`);

  function sign(method: string, url: URL, opts: { ts?: number; nonce?: string; key?: string; resource?: string } = {}) {
    const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
    const nonce = opts.nonce ?? Math.random().toString(36).slice(2, 10);
    const mac = computeMac(opts.key ?? t.key, {
      ts, nonce, method, resource: opts.resource ?? decodeURIComponent(url.pathname) + url.search, host: url.hostname, port: url.port,
    });
    return `Hawk id="admin", mac="${mac}", ts="${ts}", nonce="${nonce}"`;
  }

  async function send(method: string, url: URL, authorization?: string, body?: unknown) {
    const res = await request(url, {
      method: method as 'GET',
      headers: { ...(authorization ? { authorization } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }

  it('rejects a request without Authorization: 401 and WWW-Authenticate: Hawk', async () => {
    const r = await send('GET', apiUrl('apps'));
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Hawk');
    expect(r.json.error).toMatchObject({ code: 401, errors: [expect.objectContaining({ reason: 'authError' })] });
  });

  it('rejects a bad MAC, an unknown user and another scheme', async () => {
    const url = apiUrl('apps');
    const wrongKey = await send('GET', url, sign('GET', url, { key: 'not-the-key' }));
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.headers['www-authenticate']).toMatch(/^Hawk/);
    const unknown = await send('GET', url, hawkHeader('mallory', t.key, 'GET', url));
    expect(unknown.status).toBe(401);
    expect((await send('GET', url, 'Basic YWRtaW46eA==')).status).toBe(401);
    // A MAC for another method or path does not carry over.
    expect((await send('DELETE', apiUrl(`apps/${APP_ID}`), sign('GET', url))).status).toBe(401);
  });

  it('answers a stale timestamp with ts and tsm so the client can correct its clock', async () => {
    const url = apiUrl('apps');
    const r = await send('GET', url, sign('GET', url, { ts: Math.floor(Date.now() / 1000) - 3600 }));
    expect(r.status).toBe(401);
    const header = String(r.headers['www-authenticate']);
    const m = /^Hawk ts="(\d+)", tsm="([^"]+)", error="Stale timestamp"$/.exec(header);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]) - Date.now() / 1000)).toBeLessThan(5);
    const expected = createHmac('sha256', t.key).update(`hawk.1.ts\n${m![1]}\n`).digest('base64');
    expect(m![2]).toBe(expected);
    // Within the ±60 s window is fine.
    expect((await send('GET', url, sign('GET', url, { ts: Math.floor(Date.now() / 1000) - 50 }))).status).toBe(200);
  });

  it('refuses a replayed nonce and the replay changes nothing', async () => {
    const url = apiUrl('apps');
    const auth = sign('POST', url, { nonce: 'Dzg4N9tu' });
    const first = await send('POST', url, auth, { id: 'replayed-app', label: 'first' });
    expect(first.status).toBe(200);
    await send('DELETE', apiUrl('apps/replayed-app'), sign('DELETE', apiUrl('apps/replayed-app')));
    const replay = await send('POST', url, auth, { id: 'replayed-app', label: 'first' });
    expect(replay.status).toBe(401);
    expect(replay.headers['www-authenticate']).toMatch(/^Hawk/);
    expect((await t.client.listApps()).items ?? []).not.toContainEqual(expect.objectContaining({ id: 'replayed-app' }));
  });

  it('accepts a MAC over the decoded path and over the raw path', async () => {
    await t.client.createUser({ userName: 'jane doe/x' });
    const url = apiUrl(`admin/user/${encodeURIComponent('jane doe/x')}`);
    const decoded = await send('GET', url, sign('GET', url));
    expect(decoded.status).toBe(200);
    expect(decoded.json).toEqual({ user: 'jane doe/x', role: 'admin' });
    const raw = await send('GET', url, sign('GET', url, { resource: url.pathname + url.search }));
    expect(raw.status).toBe(200);
  });

  it('protects /db/backup and /package-upload too, but not /admin/v1/init or /health', async () => {
    expect((await send('GET', new URL(`${t.url}/db/backup`))).status).toBe(401);
    expect((await send('POST', new URL(`${t.url}/package-upload`))).status).toBe(401);
    const init = await request(`${t.url}/admin/v1/init`);
    expect(init.statusCode).toBe(409);
    expect(await init.body.text()).toBe('already initialized');
    expect((await request(`${t.url}/health`)).statusCode).toBe(200);
  });
});
