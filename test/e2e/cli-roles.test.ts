// Roles through our own CLI against a real `serve`: a CI key limited to one
// app promotes that app and nothing else; refusals print as the original
// printed any API error and exit 1; a viewer reads; the last admin stays.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminCli, APP_ID, cliAs, describeEngines, expectFailure, expectOk, startTestServer, table, type Cli, type TestServer } from './helpers.js';

const OTHER_APP = '5b810680-e36a-4879-b98a-4f989e80b899';

describeEngines('e2e: roles through the CLI', (engine) => {
  let t: TestServer;
  let cli: Cli;
  beforeAll(async () => {
    t = await startTestServer(engine);
    cli = adminCli(t);
    for (const id of [APP_ID, OTHER_APP]) {
      await t.client.insertApp({ id, label: id.slice(0, 4) });
      for (const version of ['1.0.0', '1.1.0']) await t.client.insertPackage(id, version, { url: `https://example.com/${version}/update.gz` });
      await t.client.insertChannel(id, { label: 'stable', version: '1.0.0', publish: true });
    }
  });
  afterAll(async () => t?.close());

  const keyOf = async (...argv: string[]) => {
    const r = await cli('admin-user', 'create', ...argv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return r.stdout.trim();
  };

  it('a CI key limited to one app promotes that app and nothing else', async () => {
    const ci = cliAs(t.url, 'ci', await keyOf('--role=editor', `--apps=${APP_ID}`, 'ci'));
    expectOk(await ci('app', 'list'), table([['Id', 'Label', 'Description'], [APP_ID, APP_ID.slice(0, 4), '']]));
    expectOk(await ci('channel', 'update', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.1.0', '--publish'), table([['Label', 'Version', 'Publish', 'Upstream'], ['stable', '1.1.0', true, '']]));

    expectFailure(
      await ci('channel', 'update', `--app-id=${OTHER_APP}`, '--channel=stable', '--version=1.1.0', '--publish'),
      `googleapi: Error 403: ci may not access app ${OTHER_APP}, forbidden`,
    );
    expectFailure(await ci('admin-user', 'list'), 'googleapi: Error 403: only an admin may do this; ci is an editor, forbidden');
    expectFailure(await ci('upstream', 'sync'), 'googleapi: Error 403: only an admin may do this; ci is an editor, forbidden');
    // Nothing changed in the other app.
    expectOk(await cli('channel', 'list', `--app-id=${OTHER_APP}`), table([['Label', 'Version', 'Publish', 'Upstream'], ['stable', '1.0.0', true, '']]));
  });

  it('a viewer reads and changes nothing', async () => {
    const audit = cliAs(t.url, 'audit', await keyOf('--role=viewer', 'audit'));
    expect((await audit('app', 'list')).code).toBe(0);
    expectFailure(await audit('app', 'delete', `--app-id=${OTHER_APP}`), 'googleapi: Error 403: audit is a viewer and may not change anything, forbidden');
    expect((await cli('app', 'list')).stdout).toContain(OTHER_APP);
  });

  it('admin-user list prints names in a pipe and roles in JSON; update changes a role; the last admin stays', async () => {
    expectOk(await cli('admin-user', 'list'), 'admin\nci\naudit\n');
    const json = JSON.parse((await cli('--output=json', 'admin-user', 'list')).stdout);
    expect(json).toEqual([
      { user: 'admin', role: 'admin' },
      { user: 'ci', role: 'editor', apps: [APP_ID] },
      { user: 'audit', role: 'viewer' },
    ]);
    expectOk(await cli('admin-user', 'update', '--role=editor', `--apps=${OTHER_APP}`, 'audit'), `User audit updated: role editor, apps ${OTHER_APP}\n`);
    expectFailure(await cli('admin-user', 'update', '--role=viewer', 'admin'), 'googleapi: Error 409: cannot demote the last admin, conflict');
    expectFailure(await cli('admin-user', 'delete', 'admin'), 'googleapi: Error 409: cannot delete the last admin, conflict');
  });
});
