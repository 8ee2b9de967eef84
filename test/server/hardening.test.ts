// Findings of an adversarial review, each kept fixed: refused input changes
// nothing, payloads never leave their folder, one Hawk MAC is good for one
// resource, and a malformed URL gets the API's own error shape.
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMac, hawkHeader } from '../../src/api/hawk.js';
import { startServer } from '../../src/server/server.js';
import { APP_ID, apiError, describeEngines, startTestServer, type TestServer } from './helpers.js';
import { setUpApp, SHA1, SHA256 } from './omaha-helpers.js';

describeEngines('refused input changes nothing', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await setUpApp(t.client);
  });
  afterAll(() => t?.close());

  const pkg = (url: string) => t.client.insertPackage(APP_ID, '9.9.9', { url, size: '1', sha1Sum: SHA1, sha256Sum: SHA256 });

  it('package URLs: http(s) and container images only; javascript:, data:, file: get 400', async () => {
    for (const url of ['javascript:alert(1)', 'javascript:alert', 'JavaScript://x/%0aalert(1)', 'data:text/html,<script>1</script>', 'file:///etc/passwd', 'ftp://host/u.gz', 'vbscript:x', '//host/u.gz', 'https://']) {
      const e = await apiError(() => pkg(url));
      expect(e.code, url).toBe(400);
      expect(e.message).toContain('invalid url');
    }
    const versions = (await t.client.listPackages(APP_ID)).items?.map((p) => p.version);
    expect(versions).not.toContain('9.9.9');
    for (const [i, url] of ['https://example.com/u.gz', 'http://[::1]:8080/p', 'coreos/example:1.0.0', 'quay.io:443/coreos/etcd:v3.5@sha256:' + 'a'.repeat(64), 'docker://coreos/example-apache:1.0'].entries()) {
      await expect(t.client.insertPackage(APP_ID, `8.0.${i}`, { url, size: '1', sha1Sum: SHA1, sha256Sum: SHA256 }), url).resolves.toBeDefined();
    }
  });

  /** A signed request with `json` sent as written (our client, like Go's, would replace a lone surrogate). */
  async function sendRaw(method: string, apiPath: string, json: string) {
    const url = new URL(`${t.url}/_ah/api/update/v1/${apiPath}?alt=json`);
    const res = await request(url, { method: method as 'POST', headers: { authorization: hawkHeader('admin', t.key, method, url), 'content-type': 'application/json' }, body: json });
    return { status: res.statusCode, body: (await res.body.json()) as { error?: { message: string } } };
  }

  it('a string with a lone surrogate gets 400 naming the field; a paired one is stored exactly', async () => {
    const lone = await sendRaw('PATCH', `apps/${APP_ID}`, '{"label":"x\\ud800y","description":"ok"}');
    expect(lone.status).toBe(400);
    expect(lone.body.error?.message).toContain('invalid label');
    expect((await sendRaw('POST', 'apps', '{"id":"sur","label":"l","description":"\\udc00"}')).status).toBe(400);
    expect((await sendRaw('POST', 'apps', '{"id":"sur","label":"l","\\udc00":"key"}')).status).toBe(400);
    expect((await t.client.getApp(APP_ID)).label).toBe('FakeApp');
    expect((await apiError(() => t.client.getApp('sur'))).code).toBe(404);
    expect((await sendRaw('PATCH', `apps/${APP_ID}`, '{"label":"rocket \\ud83d\\ude80","description":""}')).status).toBe(200);
    expect((await t.client.getApp(APP_ID)).label).toBe('rocket \ud83d\ude80');
  });

  it('a user name with " or \\ gets 400: Hawk could never carry it', async () => {
    for (const name of ['a"b', 'back\\slash']) {
      const e = await apiError(() => t.client.createUser({ userName: name }));
      expect(e.code, name).toBe(400);
      expect(e.message).toContain('invalid userName');
    }
    const names = (await t.client.listUsers()).users?.map((u) => u.user);
    expect(names).toEqual(['admin']);
  });

  it('upstream and channel upstream URLs: http(s) only, no user info, no fragment', async () => {
    for (const url of ['https://user:pw@up.example.com/', 'https://up.example.com/#frag', 'ftp://up.example.com/', 'coreos/example:1.0.0']) {
      expect((await apiError(() => t.client.insertUpstream({ url }))).code, url).toBe(400);
      expect((await apiError(() => t.client.updateChannel(APP_ID, 'stable', { appId: APP_ID, label: 'stable', version: '1.1.0', upstream: url }))).code, url).toBe(400);
    }
    expect((await t.client.listUpstreams()).items ?? []).toEqual([]);
  });
});

describe('the Omaha-free edges of the HTTP layer', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    await setUpApp(t.client);
  });
  afterAll(() => t?.close());

  it('a malformed percent-escape gets the Google-shaped 400, not the framework body', async () => {
    const res = await request(`${t.url}/_ah/api/update/v1/apps/%ZZ?alt=json`);
    const body = (await res.body.json()) as { error?: { code: number; message: string; errors: Array<{ reason: string }> } };
    expect(res.statusCode).toBe(400);
    expect(body.error?.code).toBe(400);
    expect(body.error?.errors[0]?.reason).toBe('badRequest');
    expect(body.error?.message).toContain('malformed URL');
  });

  it('a MAC over a decoded `?` does not pass for the path with %3F: one MAC, one resource', async () => {
    const url = new URL(`${t.url}/_ah/api/update/v1/apps/${APP_ID}%3Falt=json`);
    const ts = String(Math.floor(Date.now() / 1000));
    // What a client signs for DELETE apps/<id>?alt=json, sent to another path.
    const mac = computeMac(t.key, { ts, nonce: 'n1', method: 'DELETE', resource: `/_ah/api/update/v1/apps/${APP_ID}?alt=json`, host: url.hostname, port: url.port });
    const res = await request(url, { method: 'DELETE', headers: { authorization: `Hawk id="admin", mac="${mac}", ts="${ts}", nonce="n1"` } });
    await res.body.text();
    expect(res.statusCode).toBe(401);
    expect((await t.client.getApp(APP_ID)).id).toBe(APP_ID);
  });
});

describe('payload folder rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'us-payload-rules-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves regular files inside the folder (also through a link inside it), never a link out of it; partial uploads go at start', async () => {
    const packages = path.join(dir, 'packages');
    const outside = path.join(dir, 'secret.txt');
    await mkdir(packages, { recursive: true });
    await writeFile(outside, 'root:x:0:0\n');
    await writeFile(path.join(packages, 'update.gz'), 'payload');
    await symlink(outside, path.join(packages, 'passwd'));
    await symlink(path.join(packages, 'update.gz'), path.join(packages, 'alias.gz'));
    await symlink(packages, path.join(packages, 'loop'));
    await writeFile(path.join(packages, '.upload-1b4e28ba-2fa1-11d2-883f-0016d3cca427'), 'half an upload');

    const t = await startTestServer('sqlite', { dataDir: dir, packagesDir: packages });
    try {
      expect((await readdir(packages)).filter((n) => n.startsWith('.upload-'))).toEqual([]);
      const get = async (name: string) => {
        const res = await request(`${t.url}/packages/${name}`);
        return { status: res.statusCode, text: await res.body.text() };
      };
      expect(await get('update.gz')).toEqual({ status: 200, text: 'payload' });
      expect(await get('alias.gz')).toEqual({ status: 200, text: 'payload' });
      expect((await get('passwd')).status).toBe(404);
      expect((await get('loop')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('start-up', () => {
  it('prints no admin key when the port is taken: the key comes after the bind', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'us-port-taken-'));
    const keys: string[] = [];
    try {
      await expect(startServer({ listen: `127.0.0.1:${port}`, dataDir, logLevel: 'silent', onAdminKey: (k) => keys.push(k) })).rejects.toThrow(/EADDRINUSE/);
      expect(keys).toEqual([]);
    } finally {
      blocker.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
