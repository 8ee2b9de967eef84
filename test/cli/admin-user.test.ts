import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('admin-user', () => {
  it('creates a user and prints only its key', async () => {
    server = await startRecordingServer({
      'POST /_ah/api/update/v1/admin/user': { body: { user: 'bob', token: '5f4dcc3b5aa765d61d8327deb882cf99' } },
    });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'create', 'bob']);
    expect(r).toEqual({ code: 0, stdout: '5f4dcc3b5aa765d61d8327deb882cf99\n', stderr: '' });
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.query.get('alt')).toBe('json');
    expect(req.json).toEqual({ userName: 'bob' });
    expect(req.headers.authorization).toMatch(/^Hawk id="admin", mac="[^"]+", ts="\d+", nonce="[^"]{8}"$/);
  });

  it('needs exactly one user name', async () => {
    for (const args of [[], ['a', 'b']]) {
      const r = await runCli(['admin-user', 'create', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('USAGE:\n\tupdateservicectl admin-user create <username>\n');
    }
    const r = await runCli(['admin-user', 'delete']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl admin-user delete <username>\n');
  });

  it('lists one user name a line', async () => {
    server = await startRecordingServer({
      'GET /_ah/api/update/v1/admin/user': {
        body: { users: [{ user: 'admin', token: 'd3b0' }, { user: 'bob', token: '5f4d' }] },
      },
    });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'list']);
    expect(r).toEqual({ code: 0, stdout: 'admin\nbob\n', stderr: '' });
  });

  it('prints nothing for an empty user list', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/admin/user': { body: {} } });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'list']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('escapes the user name as one path segment on delete', async () => {
    server = await startRecordingServer({
      'DELETE /_ah/api/update/v1/admin/user/.+': { body: { user: 'jane doe/x' } },
    });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'delete', 'jane doe/x']);
    expect(r).toEqual({ code: 0, stdout: 'User jane doe/x deleted\n', stderr: '' });
    expect(server.requests[0]!.method).toBe('DELETE');
    expect(server.requests[0]!.path).toBe('/_ah/api/update/v1/admin/user/jane%20doe%2Fx');
  });

  it('logs API errors and exits 1', async () => {
    server = await startRecordingServer({
      'DELETE /_ah/api/update/v1/admin/user/.+': {
        status: 404,
        body: { error: { code: 404, message: 'user not found', errors: [{ reason: 'notFound', message: 'user not found' }] } },
      },
    });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'delete', 'ghost']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe('TS googleapi: Error 404: user not found, notFound\n');
  });

  it('shows the family usage without a subcommand', async () => {
    const r = await runCli(['admin-user']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/COMMANDS:\n\tadmin-user create\t+.*\n\tadmin-user list\t+.*\n\tadmin-user delete\t+.*\n/);
  });
});
