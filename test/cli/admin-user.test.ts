import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tabulate } from '../../src/cli/tabwriter.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { NO_PROFILES_CONFIG_HOME, asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const OTHER_APP = '5b810680-e36a-4879-b98a-4f989e80b899';
const USERS = {
  users: [{ user: 'admin', role: 'admin' }, { user: 'ci', role: 'editor', apps: [APP_ID, OTHER_APP] }, { user: 'audit', role: 'viewer' }],
};

/** Runs the CLI with stdout on a terminal. */
async function runOnTerminal(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main('updateservicectl', argv, {
    stdout: { write: (t: string) => (stdout += t), isTTY: true, columns: 120 },
    stderr: { write: (t: string) => (stderr += t) },
    env: { XDG_CONFIG_HOME: NO_PROFILES_CONFIG_HOME },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

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

  it('creates an editor or viewer limited to some apps with --role and --apps, and prints only its key', async () => {
    server = await startRecordingServer({
      'POST /_ah/api/update/v1/admin/user': { body: { user: 'ci', token: '0a1b2c3d', role: 'editor', apps: [APP_ID, OTHER_APP] } },
    });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'create', '--role=editor', `--apps=${APP_ID}, ${OTHER_APP},`, 'ci']);
    expect(r).toEqual({ code: 0, stdout: '0a1b2c3d\n', stderr: '' });
    expect(server.requests[0]!.json).toEqual({ userName: 'ci', role: 'editor', apps: [APP_ID, OTHER_APP] });
    const viewer = await runCli([...asAdmin(server.url), 'admin-user', 'create', '-role', 'viewer', 'audit']);
    expect(viewer.code).toBe(0);
    expect(server.requests[1]!.json).toEqual({ userName: 'audit', role: 'viewer' });
  });

  it('refuses a role it does not know before sending anything', async () => {
    server = await startRecordingServer({});
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'create', '--role=root', 'ci']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('invalid value "root" for flag -role: must be admin, editor or viewer\n');
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl admin-user create <username>\n');
    expect(server.requests).toEqual([]);
  });

  it("keeps create's help in the original's layout: --role and --apps are told in its description", async () => {
    const r = await runCli(['admin-user', 'create', '--help']);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('OPTIONS:');
    expect(r.stdout).toMatch(/DESCRIPTION:\n\t.*--role=editor.*--apps=ID/);
  });

  it('lists names only in a pipe, whatever the roles, so scripts keep working', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/admin/user': { body: USERS } });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'list']);
    expect(r).toEqual({ code: 0, stdout: 'admin\nci\naudit\n', stderr: '' });
  });

  it('lists names, roles and apps on a terminal and in JSON', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/admin/user': { body: USERS } });
    const r = await runOnTerminal([...asAdmin(server.url), 'admin-user', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(tabulate(`User\tRole\tApps\nadmin\tadmin\tall\nci\teditor\t${APP_ID},${OTHER_APP}\naudit\tviewer\tall\n`));
    const json = await runCli([...asAdmin(server.url), '--output=json', 'admin-user', 'list']);
    expect(JSON.parse(json.stdout)).toEqual(USERS.users);
  });

  it("changes a user's role or apps with update, and needs one of them", async () => {
    server = await startRecordingServer({
      'PATCH /_ah/api/update/v1/admin/user/ci': (req) =>
        (req.json as { role?: string }).role === 'viewer' ? { body: { user: 'ci', role: 'viewer', apps: [APP_ID] } } : { body: { user: 'ci', role: 'editor' } },
    });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'update', '--role=viewer', 'ci']);
    expect(r).toEqual({ code: 0, stdout: `User ci updated: role viewer, apps ${APP_ID}\n`, stderr: '' });
    expect(server.requests[0]!.method).toBe('PATCH');
    expect(server.requests[0]!.json).toEqual({ role: 'viewer' });
    const every = await runCli([...asAdmin(server.url), 'admin-user', 'update', '--apps=', 'ci']);
    expect(every).toEqual({ code: 0, stdout: 'User ci updated: role editor, every app\n', stderr: '' });
    expect(server.requests[1]!.json).toEqual({ apps: [] });

    const neither = await runCli([...asAdmin(server.url), 'admin-user', 'update', 'ci']);
    expect(neither.code).toBe(2);
    expect(neither.stdout).toContain('USAGE:\n\tupdateservicectl admin-user update [--role=admin|editor|viewer] [--apps=ID,...] <username>\n');
    expect(server.requests).toHaveLength(2);
  });

  it('prints a refusal for want of a role as the API error it is, and exits 1', async () => {
    const message = 'only an admin may do this; ci is an editor';
    server = await startRecordingServer({
      'POST /_ah/api/update/v1/admin/user': {
        status: 403,
        body: { error: { code: 403, message, errors: [{ domain: 'global', reason: 'forbidden', message }] } },
      },
    });
    const r = await runCli([...asAdmin(server.url), 'admin-user', 'create', 'mallory']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe(`TS googleapi: Error 403: ${message}, forbidden\n`);
  });

  it('shows the family usage without a subcommand', async () => {
    const r = await runCli(['admin-user']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/COMMANDS:\n\tadmin-user create\t+.*\n\tadmin-user list\t+.*\n\tadmin-user delete\t+.*\n\tadmin-user update\t+.*\n/);
  });
});
