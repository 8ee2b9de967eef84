// The Omaha endpoint speaks what real clients send and answers what they accept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResponse } from '../../src/omaha/index.js';
import { splitPackageUrl, dayStart } from '../../src/server/omaha/reply.js';
import { requests } from './fixtures/omaha-requests.js';
import { APP_ID, describeEngines, startTestServer, type TestServer } from './helpers.js';
import { expectValidReply, machineId, postOmaha, setUpApp, SHA1, SHA256 } from './omaha-helpers.js';

describeEngines('Omaha endpoint: request shapes and replies', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await setUpApp(t.client, { version: '1.1.0' });
  });
  afterAll(async () => t?.close());

  const shape = (version = '1.0.0', extra: Partial<Parameters<typeof requests.fakeCheck>[0]> = {}) => ({
    appId: APP_ID, version, track: 'fake1', machineId: machineId(), ...extra,
  });

  it('instance fake check: grants 1.1.0 with everything update_engine needs', async () => {
    const body = requests.fakeCheck(shape());
    const reply = await postOmaha(t.url, body);
    const [app] = expectValidReply(body, reply);
    expect(app!.updateCheck!.status).toBe('ok');
    expect(app!.updateCheck!.urls).toEqual(['https://example.com/packages/1.1.0/']);
    expect(app!.updateCheck!.manifest).toMatchObject({
      version: '1.1.0',
      packages: [{ name: 'update.gz', hash: SHA1, size: 1024, required: false }],
      actions: [{ event: 'postinstall', sha256: SHA256, needsAdmin: false, isDelta: false, disablePayloadBackoff: true }],
    });
    expect(reply.text).not.toMatch(/MetadataSignatureRsa/);
  });

  it('every recorded shape gets a reply its client accepts', async () => {
    const id = machineId();
    const s = shape('1.0.0', { machineId: id });
    const bodies = [
      requests.fakeCheck(s),
      requests.fakeEvent(s, 13, 1),
      requests.fakeEvent(s, 14, 1),
      requests.fakeEvent(s, 3, 1),
      requests.fakeEvent(s, 3, 0, 2000),
      requests.fakePing(s),
      requests.fakeEvent({ ...s, version: '1.1.0' }, 3, 2),
      requests.watchCheck(shape('0.0.0')),
      requests.watchCheck(shape('1.1.0')),
      requests.updateEngineCheck(shape('1.0.0')),
      requests.updateEngineCheck(shape('1.0.0', { installSource: 'ondemandupdate' })),
      requests.updateEngineEvent(shape('1.0.0'), 13, 1),
      requests.updateEngineEvent(shape('1.0.0'), 3, 0, (1 << 28) | 7),
      requests.updateEngineEvent(shape('1.0.0'), 999, 42), // unknown pair: recorded and acknowledged
    ];
    for (const body of bodies) expectValidReply(body, await postOmaha(t.url, body));
  });

  it('watch posts to /v1/update without the slash, with braces in appid; echo is exact', async () => {
    const body = requests.watchCheck(shape('0.0.0'));
    const reply = await postOmaha(t.url, body, { path: '/v1/update' });
    const [app] = expectValidReply(body, reply);
    expect(app!.appId).toBe(`{${APP_ID}}`);
    expect(app!.updateCheck!.status).toBe('ok');
    const upper = requests.fakeCheck(shape('1.1.0', { appId: `{${APP_ID.toUpperCase()}}` }));
    const [same] = expectValidReply(upper, await postOmaha(t.url, upper));
    expect(same!.appId).toBe(`{${APP_ID.toUpperCase()}}`);
    expect(same!.updateCheck!.status).toBe('noupdate');
  });

  it('content type absent, text/xml or application/xml', async () => {
    const body = requests.fakeCheck(shape('1.1.0'));
    for (const contentType of [null, 'text/xml', 'application/xml; charset=utf-8', 'application/x-www-form-urlencoded']) {
      expectValidReply(body, await postOmaha(t.url, body, { contentType }));
    }
  });

  it('noupdate when up to date, or ahead (lenient versions)', async () => {
    for (const v of ['1.1.0', '1.1', '1.1.0.0', '1.2.0', '2.0']) {
      const body = requests.updateEngineCheck(shape(v));
      const [app] = expectValidReply(body, await postOmaha(t.url, body));
      expect(app!.updateCheck!.status, v).toBe('noupdate');
    }
    const body = requests.updateEngineCheck(shape('1.0'));
    expect(expectValidReply(body, await postOmaha(t.url, body))[0]!.updateCheck!.status).toBe('ok');
  });

  it('unknown application and unknown group: error status on app and updatecheck, events still acknowledged', async () => {
    const unknownApp = requests.updateEngineCheck(shape('1.0.0', { appId: '00000000-0000-0000-0000-000000000000' }));
    const [a] = expectValidReply(unknownApp, await postOmaha(t.url, unknownApp));
    expect(a!.status).toBe('error-unknownApplication');
    expect(a!.updateCheck!.status).toBe('error-unknownApplication');
    expect(a!.events).toEqual([{ status: 'ok' }]);
    const unknownGroup = requests.fakeCheck(shape('1.0.0', { track: 'no-such-group' }));
    const [g] = expectValidReply(unknownGroup, await postOmaha(t.url, unknownGroup));
    expect(g!.status).toBe('error-unknownGroup');
    expect(g!.updateCheck!.status).toBe('error-unknownGroup');
    const eventOnly = requests.fakeEvent(shape('1.0.0', { track: 'nope' }), 13, 1);
    const [e] = expectValidReply(eventOnly, await postOmaha(t.url, eventOnly));
    expect(e!.status).toBe('error-unknownGroup');
    expect(e!.updateCheck).toBeUndefined();
  });

  it('track names a group by id, by id in any case, or by label (legacy names)', async () => {
    await t.client.insertGroup(APP_ID, { id: 'f00dcafe-0000-4000-8000-000000000001', label: 'Stable', channelId: 'stable' });
    for (const track of ['fake1', 'FAKE1', 'stable', 'fake group 1']) {
      const body = requests.updateEngineCheck(shape('1.0.0', { track }));
      const [app] = expectValidReply(body, await postOmaha(t.url, body));
      expect(app!.status, track).toBe('ok');
    }
  });

  it('several apps in one request, each answered in order', async () => {
    const one = requests.fakeCheck(shape('1.0.0'));
    const body = one.replace('</request>', ` <app appid="not-an-app" version="1.0.0" track="x" machineid="${machineId()}"><updatecheck></updatecheck><ping></ping></app>\n</request>`);
    const apps = expectValidReply(body, await postOmaha(t.url, body));
    expect(apps.map((a) => [a.status, a.updateCheck?.status])).toEqual([
      ['ok', 'ok'],
      ['error-unknownApplication', 'error-unknownApplication'],
    ]);
  });

  it('metadata signature and size appear on the action when the package has them', async () => {
    await t.client.insertPackage(APP_ID, '1.3.0', {
      url: 'https://example.com/p/1.3.0/flatcar_production_update.gz', size: '465881871', sha1Sum: SHA1, sha256Sum: SHA256,
      metadataSignatureRsa: 'c2lnbmF0dXJl', metadataSize: '190',
    });
    await t.client.insertChannel(APP_ID, { appId: APP_ID, label: 'edge', version: '1.3.0' });
    await t.client.insertGroup(APP_ID, { id: 'edge', label: 'Edge', channelId: 'edge' });
    const body = requests.updateEngineCheck(shape('1.0.0', { track: 'edge' }));
    const [app] = expectValidReply(body, await postOmaha(t.url, body));
    expect(app!.updateCheck!.urls).toEqual(['https://example.com/p/1.3.0/']);
    expect(app!.updateCheck!.manifest!.packages[0]).toMatchObject({ name: 'flatcar_production_update.gz', size: 465881871 });
    expect(app!.updateCheck!.manifest!.actions[0]).toMatchObject({ metadataSignatureRsa: 'c2lnbmF0dXJl', metadataSize: 190 });
  });

  describe('hostile or broken bodies get 400 and change nothing', () => {
    const good = () => requests.fakeCheck(shape('1.0.0'));
    it.each([
      ['empty', ''],
      ['not XML', 'hello'],
      ['truncated', () => good().slice(0, 120)],
      ['DOCTYPE', () => `<!DOCTYPE request [<!ENTITY x SYSTEM "file:///etc/passwd">]>${good()}`],
      ['billion laughs', '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><request protocol="3.0"><app appid="&b;"></app></request>'],
      ['undeclared entity', '<request protocol="3.0"><app appid="&xxe;"></app></request>'],
      ['over 64 KiB', () => good().replace('<os ', `<os pad="${'x'.repeat(70_000)}" `)],
      ['too many apps', `<request protocol="3.0">${'<app appid="a"></app>'.repeat(65)}</request>`],
      ['too many events', `<request protocol="3.0"><app appid="a">${'<event eventtype="1" eventresult="1"></event>'.repeat(257)}</app></request>`],
      ['wrong root', '<response protocol="3.0"></response>'],
      ['machine id with spaces', () => good().replace(/machineid="[^"]*"/, 'machineid="a b"')],
      ['overlong machine id', () => good().replace(/machineid="[^"]*"/, `machineid="${'a'.repeat(200)}"`)],
      ['deep nesting', `<request protocol="3.0">${'<app appid="a">'.repeat(40)}${'</app>'.repeat(40)}</request>`],
    ])('%s', async (_name, body) => {
      const text = typeof body === 'function' ? body() : body;
      const before = await t.client.clientUpdateCount({});
      const reply = await postOmaha(t.url, text);
      expect(reply.status).toBe(400);
      expect(reply.text).toMatch(/^bad request/);
      expect(await t.client.clientUpdateCount({})).toEqual(before);
    });

    it('invalid UTF-8', async () => {
      const reply = await postOmaha(t.url, Buffer.from([0x3c, 0x72, 0xff, 0xfe, 0x3e]));
      expect(reply.status).toBe(400);
    });

    it('values are escaped when echoed', async () => {
      const body = requests.fakeCheck(shape('1.0.0', { appId: '&lt;script&gt;&amp;&quot;' }));
      const reply = await postOmaha(t.url, body);
      expect(reply.status).toBe(200);
      expect(reply.text).toContain('appid="&lt;script&gt;&amp;&quot;"');
      expect(reply.parsed!.apps[0]!.appId).toBe('<script>&"');
    });
  });
});

describe('reply pieces', () => {
  it('codebase is the URL directory, ending in /; relative URLs become absolute', () => {
    expect(splitPackageUrl('https://h/a/b/update.gz', 'http://s')).toEqual({ codebase: 'https://h/a/b/', name: 'update.gz' });
    expect(splitPackageUrl('/packages/x.gz', 'http://s:8000')).toEqual({ codebase: 'http://s:8000/packages/', name: 'x.gz' });
    expect(splitPackageUrl('https://h/dir/', 'http://s')).toEqual({ codebase: 'https://h/dir/', name: 'update.gz' });
  });

  it('daystart counts seconds since UTC midnight and days since 2007-01-01', () => {
    expect(dayStart(Date.UTC(2014, 4, 2, 17, 0, 5))).toEqual({ elapsedSeconds: 61205, elapsedDays: 2678 });
    expect(buildResponse({ protocol: '3.0', server: 'x', dayStart: dayStart(Date.UTC(2007, 0, 1)), apps: [] })).toContain(
      '<daystart elapsed_seconds="0" elapsed_days="0"></daystart>',
    );
  });
});
