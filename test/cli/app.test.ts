import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
let server: RecordingServer;
afterEach(() => server?.close());

describe('app', () => {
  it('lists apps in the original table layout', async () => {
    server = await startRecordingServer({
      'GET /_ah/api/update/v1/apps': {
        body: {
          items: [
            { id: APP_ID, label: 'CoreOS', description: 'Linux for Massively Parallel Deployments' },
            { id: '72834a2b-ad86-4d8e-9a4c-bf4fd4c8d1ff', label: 'etcd-test', description: '' },
          ],
        },
      },
    });
    const r = await runCli([...asAdmin(server.url), 'app', 'list']);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Id\t\t\t\t\tLabel\t\tDescription\n' +
        `${APP_ID}\tCoreOS\t\tLinux for Massively Parallel Deployments\n` +
        '72834a2b-ad86-4d8e-9a4c-bf4fd4c8d1ff\tetcd-test\t\n',
    });
    expect(server.requests[0]!.query.get('alt')).toBe('json');
    expect(server.requests[0]!.headers.authorization).toMatch(/^Hawk id="admin", mac="[^"]+", ts="\d+", nonce="[^"]{8}"$/);
  });

  it('prints a header even for an empty list', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/apps': { body: {} } });
    const r = await runCli([...asAdmin(server.url), 'app', 'list']);
    expect(r.stdout).toBe('Id\tLabel\tDescription\n');
  });

  it('creates an app with a random id when none is given', async () => {
    server = await startRecordingServer({
      'POST /_ah/api/update/v1/apps': { body: { id: 'x', label: 'L', description: 'D' } },
    });
    const r = await runCli([...asAdmin(server.url), 'app', 'create', '--label=L', '--description=D']);
    expect(r.code).toBe(0);
    const body = server.requests[0]!.json as Record<string, string>;
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body).toMatchObject({ label: 'L', description: 'D' });
  });

  it('requires --app-id, --label and --description for update', async () => {
    const r = await runCli(['app', 'update', `--app-id=${APP_ID}`, '--label=x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl app update [OPTION]...');
  });

  it('reports API errors the way the original did', async () => {
    server = await startRecordingServer({
      'DELETE /_ah/api/update/v1/apps/.*': {
        status: 404,
        body: { error: { code: 404, message: 'app not found', errors: [{ reason: 'notFound', message: 'app not found' }] } },
      },
    });
    const r = await runCli([...asAdmin(server.url), 'app', 'delete', `--app-id=${APP_ID}`]);
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe('TS googleapi: Error 404: app not found, notFound\n');
  });

  it('refuses a server address that is not an http(s) URL, clearly', async () => {
    const r = await runCli(['--server=notaurl', 'app', 'list']);
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe('TS invalid server URL "notaurl": expected http://host[:port][/path] or https://…\n');
    const ftp = await runCli(['--server=ftp://x', 'app', 'list']);
    expect(maskStamps(ftp.stderr)).toBe('TS unsupported protocol scheme "ftp" in server URL "ftp://x"\n');
  });
});
