import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

const ID = '9a8d4d4c-2bb0-4a4c-9e8b-2c5c2ab1c7a1';
const PUBLIC = { id: ID, url: 'https://public.update.core-os.net', label: 'CoreOS Public' };
const TABLE_ONE = 'Id\t\t\t\t\tUrl\t\t\t\t\tLabel\n' + `${ID}\thttps://public.update.core-os.net\tCoreOS Public\n`;

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('upstream', () => {
  it('creates an upstream from --url and --label', async () => {
    server = await startRecordingServer({ 'POST /_ah/api/update/v1/upstream': { body: PUBLIC } });
    const r = await runCli([...asAdmin(server.url), 'upstream', 'create', `--url=${PUBLIC.url}`, `--label=${PUBLIC.label}`]);
    expect(r).toEqual({ code: 0, stdout: TABLE_ONE, stderr: '' });
    expect(server.requests[0]!.json).toEqual({ label: 'CoreOS Public', url: 'https://public.update.core-os.net' });
  });

  it('leaves an empty label out of the request', async () => {
    server = await startRecordingServer({ 'POST /_ah/api/update/v1/upstream': { body: { id: 'u1', url: 'http://x' } } });
    const r = await runCli([...asAdmin(server.url), 'upstream', 'create', '--url=http://x']);
    expect(r.code).toBe(0);
    expect(server.requests[0]!.json).toEqual({ url: 'http://x' });
  });

  it('requires --url to create', async () => {
    const r = await runCli(['upstream', 'create', '--label=x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl upstream create [OPTION]...\n');
    expect(r.stdout).toMatch(/\t--label=\t/);
    expect(r.stdout).toMatch(/\t--url=\t/);
  });

  it('updates an upstream with PUT upstream/<id>', async () => {
    server = await startRecordingServer({ 'PUT /_ah/api/update/v1/upstream/[^/]+': { body: PUBLIC } });
    const r = await runCli([...asAdmin(server.url), 'upstream', 'update', `--id=${ID}`, `--url=${PUBLIC.url}`, `--label=${PUBLIC.label}`]);
    expect(r).toEqual({ code: 0, stdout: TABLE_ONE, stderr: '' });
    const req = server.requests[0]!;
    expect(req.method).toBe('PUT');
    expect(req.path).toBe(`/_ah/api/update/v1/upstream/${ID}`);
    expect(req.json).toEqual(PUBLIC);
  });

  it('requires --id and --url to update', async () => {
    for (const args of [['--url=http://x'], [`--id=${ID}`]]) {
      const r = await runCli(['upstream', 'update', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/OPTIONS:\n\t--id=\t+.*\n\t--label=\t+.*\n\t--url=\t+.*\n/);
    }
  });

  it('lists upstreams, empty labels included', async () => {
    server = await startRecordingServer({
      'GET /_ah/api/update/v1/upstream': {
        body: { items: [PUBLIC, { id: '0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011', url: 'http://10.0.0.5:8000', label: '' }] },
      },
    });
    const r = await runCli([...asAdmin(server.url), 'upstream', 'list']);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: TABLE_ONE + '0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011\thttp://10.0.0.5:8000\t\t\t\n',
    });
  });

  it('prints the header for no upstreams', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/upstream': { body: {} } });
    const r = await runCli([...asAdmin(server.url), 'upstream', 'list']);
    expect(r.stdout).toBe('Id\tUrl\tLabel\n');
  });

  it('deletes an upstream and prints what was deleted', async () => {
    server = await startRecordingServer({ 'DELETE /_ah/api/update/v1/upstream/[^/]+': { body: PUBLIC } });
    const r = await runCli([...asAdmin(server.url), 'upstream', 'delete', `--id=${ID}`]);
    expect(r).toEqual({ code: 0, stdout: TABLE_ONE, stderr: '' });
    expect(server.requests[0]!.path).toBe(`/_ah/api/update/v1/upstream/${ID}`);
  });

  it('requires --id to delete', async () => {
    const r = await runCli(['upstream', 'delete']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl upstream delete \n');
  });

  it('syncs and prints the detail only when there is one', async () => {
    server = await startRecordingServer({
      'POST /_ah/api/update/v1/upstream/sync': { body: { status: 'ok', detail: 'synced 2 channels, 3 packages' } },
    });
    let r = await runCli([...asAdmin(server.url), 'upstream', 'sync']);
    expect(r).toEqual({ code: 0, stdout: 'Status: ok\nDetail: synced 2 channels, 3 packages\n', stderr: '' });
    expect(server.requests[0]!.body.length).toBe(0);
    await server.close();

    server = await startRecordingServer({ 'POST /_ah/api/update/v1/upstream/sync': { body: { status: 'ok', detail: '' } } });
    r = await runCli([...asAdmin(server.url), 'upstream', 'sync']);
    expect(r).toEqual({ code: 0, stdout: 'Status: ok\n', stderr: '' });
  });

  it('logs a non-JSON error reply', async () => {
    server = await startRecordingServer({ 'POST /_ah/api/update/v1/upstream/sync': { status: 500, body: 'boom' } });
    const r = await runCli([...asAdmin(server.url), 'upstream', 'sync']);
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe('TS googleapi: got HTTP response code 500 with body: boom\n');
  });
});
