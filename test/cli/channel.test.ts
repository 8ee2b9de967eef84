import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer, type Routes } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const CHANNELS = `/_ah/api/update/v1/apps/${APP}/channels`;
const MASTER = { appId: APP, dateCreated: '2014-05-02T17:15:06.000Z', label: 'master', publish: true, upstream: '', version: '1.1.0' };
const BETA = { appId: APP, dateCreated: '2014-05-01T10:00:00.000Z', label: 'beta', publish: false, upstream: 'https://public.update.core-os.net', version: '1.0.0' };
const HEADER = 'Label\tVersion\tPublish\tUpstream\n';

let server: RecordingServer;
afterEach(() => server?.close());

async function serve(routes: Routes): Promise<RecordingServer> {
  server = await startRecordingServer(routes);
  return server;
}

const channel = (...args: string[]) => runCli([...asAdmin(server.url), 'channel', ...args]);

describe('channel list', () => {
  it('prints label, version, publish state and upstream', async () => {
    await serve({ 'GET /_ah/api/update/v1/apps/[^/]+/channels': { body: { items: [MASTER, BETA] } } });
    const r = await channel('list', `--app-id=${APP}`);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: HEADER + 'master\t1.1.0\ttrue\t\n' + 'beta\t1.0.0\tfalse\thttps://public.update.core-os.net\n',
    });
    expect(server.requests[0]!.method).toBe('GET');
    expect(server.requests[0]!.path).toBe(CHANNELS);
    expect(server.requests[0]!.query.toString()).toBe('alt=json');
  });

  it('needs --app-id', async () => {
    const r = await runCli(['channel', 'list']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl channel list [OPTION]...');
  });
});

describe('channel create', () => {
  it("posts to the app's channels (not the channel label's, as the original did)", async () => {
    await serve({ 'POST /_ah/api/update/v1/apps/[^/]+/channels': { body: MASTER } });
    const r = await channel('create', `--app-id=${APP}`, '--channel=master', '--version=1.1.0', '--publish');
    expect(r).toEqual({ code: 0, stderr: '', stdout: HEADER + 'master\t1.1.0\ttrue\t\n' });
    expect(server.requests[0]!.method).toBe('POST');
    expect(server.requests[0]!.path).toBe(CHANNELS);
    expect(server.requests[0]!.json).toEqual({ appId: APP, label: 'master', publish: true, version: '1.1.0' });
  });

  it('leaves publish out when not given', async () => {
    await serve({ 'POST .*': { body: { ...MASTER, publish: false } } });
    await channel('create', `--app-id=${APP}`, '--channel=master', '--version=1.1.0');
    expect(server.requests[0]!.json).toEqual({ appId: APP, label: 'master', version: '1.1.0' });
  });

  it('needs --version', async () => {
    await serve({});
    const r = await channel('create', `--app-id=${APP}`, '--channel=master');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('\t--publish=false\t');
    expect(server.requests).toHaveLength(0);
  });
});

describe('channel update', () => {
  it('patches version and publish state', async () => {
    await serve({ 'PATCH /_ah/api/update/v1/apps/[^/]+/channels/[^/]+': { body: MASTER } });
    const r = await channel('update', `--app-id=${APP}`, '--channel=master', '--version=1.1.0', '--publish=true');
    expect(r).toEqual({ code: 0, stderr: '', stdout: HEADER + 'master\t1.1.0\ttrue\t\n' });
    expect(server.requests[0]!.method).toBe('PATCH');
    expect(server.requests[0]!.path).toBe(`${CHANNELS}/master`);
    expect(server.requests[0]!.json).toEqual({ publish: true, version: '1.1.0' });
  });

  it('without --publish sends only the version (the channel ends up unpublished)', async () => {
    await serve({ 'PATCH .*': { body: { ...MASTER, publish: false, version: '1.0.0' } } });
    const r = await channel('update', `--app-id=${APP}`, '--channel=master', '--version=1.0.0');
    expect(server.requests[0]!.json).toEqual({ version: '1.0.0' });
    expect(r.stdout).toBe(HEADER + 'master\t1.0.0\tfalse\t\n');
  });

  it('`--publish false` makes `false` a positional: later flags are not parsed, usage, exit 2', async () => {
    await serve({});
    const r = await channel('update', `--app-id=${APP}`, '--channel=master', '--publish', 'false', '--version=1.1.0');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^NAME:\n\tchannel update - /);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a bad boolean', async () => {
    const r = await runCli(['channel', 'update', '--publish=maybe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('invalid boolean value "maybe" for -publish: parse error\n');
  });
});

describe('channel delete', () => {
  it('deletes and names the channel and application', async () => {
    await serve({ 'DELETE .*': { body: { appId: APP, label: 'master', version: '1.1.0', publish: true } } });
    const r = await channel('delete', `--app-id=${APP}`, '--channel=master');
    expect(r).toEqual({ code: 0, stderr: '', stdout: `deleted channel: master, for application: ${APP}\n` });
    expect(server.requests[0]!.method).toBe('DELETE');
    expect(server.requests[0]!.path).toBe(`${CHANNELS}/master`);
  });

  it('logs a missing channel and exits 1', async () => {
    await serve({
      'DELETE .*': { status: 404, body: { error: { code: 404, message: 'channel not found', errors: [{ reason: 'notFound', message: 'channel not found' }] } } },
    });
    const r = await channel('delete', `--app-id=${APP}`, '--channel=nope');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe('TS googleapi: Error 404: channel not found, notFound\n');
  });
});

describe('channel family usage', () => {
  it('lists the subcommands in the original order', async () => {
    const r = await runCli(['channel', '--help']);
    expect(r.code).toBe(2);
    expect([...r.stdout.matchAll(/^\t(channel \w+)\t/gm)].map((m) => m[1])).toEqual(['channel list', 'channel update', 'channel create', 'channel delete']);
    expect((await runCli(['help', 'channel'])).code).toBe(0);
  });
});
