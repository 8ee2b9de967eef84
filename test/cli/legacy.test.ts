// The 0.x `updatectl` verbs: requests and exact output against a recording
// server, the 0.x parsing (flags after the arguments, -s/-u/-k), help, and
// every `updatectl …` line of seed 002 as the seed writes it.
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_VERBS } from '../../src/cli/legacy/index.js';
import { LEGACY_VERB_NAMES } from '../../src/cli/registry.js';
import { startRecordingServer, type RecordingServer, type Routes } from '../helpers/recording-server.js';
import { ADMIN_KEY, maskStamps, runCli } from '../helpers/run-cli.js';

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const API = '/_ah/api/update/v1';
const FAKE1 = {
  appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1', oemBlacklist: '',
  updateCount: 5, updateInterval: 300, updatePooling: true, updatesPaused: false,
};

let server: RecordingServer;
afterEach(() => server?.close());

/** Runs `updatectl` with the 0.x short globals pointing at the recording server. */
async function updatectl(routes: Routes, ...argv: string[]) {
  server = await startRecordingServer(routes);
  const r = await runCli(['-s', server.url, '-u', 'admin', '-k', ADMIN_KEY, ...argv], { program: 'updatectl' });
  return { ...r, stderr: maskStamps(r.stderr), requests: server.requests.map((q) => ({ method: q.method, path: q.path, body: q.json })) };
}

describe('updatectl 0.x verbs', () => {
  it('list-groups prints the 0.x table with unheaded count and interval columns', async () => {
    const r = await updatectl(
      { [`GET ${API}/apps/[^/]+/groups`]: { body: { items: [FAKE1, { appId: APP, channelId: 'beta', id: 'beta-group', label: 'Beta', updatesPaused: true }] } } },
      'list-groups', APP,
    );
    expect(r.stdout).toBe(
      'Label\t\tApp\t\t\t\t\tChannel\tId\t\tUpdatesPaused\n' +
        `Fake Group 1\t${APP}\tmaster\tfake1\t\tfalse\t5\t300\n` +
        `Beta\t\t${APP}\tbeta\tbeta-group\ttrue\t0\t0\n`,
    );
    expect(r.code).toBe(0);
  });

  it('a bare updatectl runs list-groups and says the app id is missing', async () => {
    const r = await runCli([], { program: 'updatectl' });
    expect(r).toEqual({ code: 1, stdout: 'AppId required\n', stderr: '' });
  });

  it('update-group GETs the group and PATCHes it back without its zero fields', async () => {
    const r = await updatectl(
      { [`GET ${API}/apps/[^/]+/groups/fake1`]: { body: FAKE1 }, [`PATCH ${API}/apps/[^/]+/groups/fake1`]: { body: { ...FAKE1, updateCount: 1, updateInterval: 60 } } },
      'update-group', APP, 'fake1', '--updateCount', '1', '--updateInterval=60',
    );
    expect(r.requests[1]).toEqual({
      method: 'PATCH', path: `${API}/apps/${APP}/groups/fake1`,
      body: { appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1', updateCount: 1, updateInterval: 60, updatePooling: true },
    });
    expect(r.stdout).toBe(`Fake Group 1\t${APP}\tmaster\tfake1\tfalse\t1\t60\n`);
  });

  it('pause-group sets updatesPaused', async () => {
    const r = await updatectl(
      { [`GET ${API}/apps/[^/]+/groups/fake1`]: { body: FAKE1 }, [`PATCH ${API}/.*`]: { body: { ...FAKE1, updatesPaused: true } } },
      'pause-group', APP, 'fake1',
    );
    expect((r.requests[1]!.body as { updatesPaused: boolean }).updatesPaused).toBe(true);
    expect(r.stdout).toBe(`Fake Group 1\t${APP}\tmaster\tfake1\ttrue\t5\t300\n`);
  });

  it('API errors read as the 0.x client printed them, without the reason', async () => {
    const error = { error: { code: 404, message: 'app not found', errors: [{ reason: 'notFound', message: 'app not found' }] } };
    const r = await updatectl({ [`GET ${API}/apps`]: { status: 404, body: error } }, 'list-apps');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'TS googleapi: Error 404: app not found\n' });
  });

  it('create-app without an id picks one; update-app and delete-app print the row', async () => {
    let r = await updatectl({ [`POST ${API}/apps`]: { body: { id: APP, label: 'L', description: 'D' } } }, 'create-app', 'L', 'D');
    expect(r.requests[0]!.body).toMatchObject({ label: 'L', description: 'D' });
    expect((r.requests[0]!.body as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stdout).toBe(`${APP}\tL\tD\n`);
    await server.close();
    r = await updatectl({ [`DELETE ${API}/apps/.*`]: { body: { id: APP, label: 'L' } } }, 'delete-app', APP);
    expect(r.stdout).toBe(`${APP}\tL\t\n`);
  });

  it('list-channels and update-channel', async () => {
    let r = await updatectl({ [`GET ${API}/apps/[^/]+/channels`]: { body: { items: [{ label: 'master', version: '1.0' }] } } }, 'list-channels', APP);
    expect(r.stdout).toBe('Label\tVersion\nmaster\t1.0\n');
    await server.close();
    r = await updatectl({ [`PATCH ${API}/.*`]: { body: { label: 'master', version: '2.0' } } }, 'update-channel', APP, 'master', '2.0');
    expect(r.requests[0]).toEqual({ method: 'PATCH', path: `${API}/apps/${APP}/channels/master`, body: { version: '2.0' } });
    expect(r.stdout).toBe('2.0\n');
  });

  it('list-packages aligns each row on its own, as the original flushed per row', async () => {
    const items = [{ version: '1.0', url: 'coreos/example-apache:1.0', size: '23' }, { version: '2.0.0', url: 'u', size: '1' }];
    const r = await updatectl({ [`GET ${API}/apps/[^/]+/packages`]: { body: { items } } }, 'list-packages', APP);
    expect(r.stdout).toBe('Version\t\t\t\t\tURL\tSize\n1.0\tcoreos/example-apache:1.0\t23\n2.0.0\tu\t1\n');
  });

  it('rollup-group-versions sends the dates in the path and the resolution', async () => {
    const r = await updatectl(
      { [`GET ${API}/.*`]: { body: { items: [{ version: '1.0', values: [{ timestamp: '60', count: '3' }] }] } } },
      'rollup-group-versions', APP, 'fake1', '--start', '0', '--end', '120', '--resolution', '3600',
    );
    expect(server.requests[0]!.path).toBe(`${API}/apps/${APP}/groups/fake1/requests/versions/0/120`);
    expect(server.requests[0]!.query.get('resolution')).toBe('3600');
    expect(r.stdout).toBe('Version\tTimestamp\tCount\n1.0\t60\t\t3\n');
  });

  it('list-clientupdates sends every filter, empty or not', async () => {
    const r = await updatectl({}, 'list-clientupdates', '--app-id', APP);
    expect(Object.fromEntries(server.requests[0]!.query)).toEqual({ alt: 'json', appId: APP, groupId: '', dateStart: '0', dateEnd: '0' });
    expect(r.stdout).toBe('AppID\tClientID\tVersion\tLastSeen\tGroup\tStatus\tOEM\n');
  });

  it('admin verbs', async () => {
    let r = await updatectl({ [`POST ${API}/admin/user`]: { body: { user: 'bob', token: 'KEY' } } }, 'admin-create-user', '-u', 'bob');
    expect(r.requests[0]!.body).toEqual({ userName: 'bob' });
    expect(r.stdout).toBe('KEY\n');
    await server.close();
    r = await updatectl({ [`DELETE ${API}/admin/user/bob`]: { body: { user: 'bob' } } }, 'admin-delete-user', 'bob');
    expect(r.stdout).toBe('User bob deleted\n');
  });

  it('a verb given the wrong number of arguments shows its help and exits 1', async () => {
    const r = await runCli(['update-app', APP], { program: 'updatectl' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NAME:\n {3}update-app - update-app <appId> <label> <description>\n/);
  });

  it('a bad flag prints Incorrect Usage and the help, exit 0 as in 0.x', async () => {
    const r = await runCli(['list-apps', '--bogus'], { program: 'updatectl' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Incorrect Usage\.\n\nNAME:\n {3}list-apps/);
  });

  it('--version prints the 0.x version line', async () => {
    const r = await runCli(['--version'], { program: 'updatectl' });
    expect(r.stdout).toMatch(/^updatectl version v\d+\.\d+\.\d+\S*\n$/);
  });

  it('--help lists every verb in the 0.x layout', async () => {
    const r = await runCli(['--help'], { program: 'updatectl' });
    expect(r.stdout).toContain('GLOBAL OPTIONS:\n   --server, -s \'http://localhost:8000\'\t');
    for (const v of LEGACY_VERBS) expect(r.stdout).toContain(`\n   ${v.name}\t`);
  });

  it('the registry knows every verb by name', () => {
    expect([...LEGACY_VERB_NAMES]).toEqual(LEGACY_VERBS.map((v) => v.name));
  });
});

describe('both names, both syntaxes', () => {
  it('updateservicectl runs 0.x verbs, with -s/-u/-k', async () => {
    server = await startRecordingServer({ [`GET ${API}/apps`]: { body: { items: [] } } });
    const r = await runCli(['-s', server.url, '-u', 'admin', '-k', ADMIN_KEY, 'list-apps']);
    expect(r).toEqual({ code: 0, stdout: 'Id\tLabel\tDescription\n', stderr: '' });
    expect(server.requests[0]!.headers.authorization).toMatch(/^Hawk id="admin"/);
  });

  it('updatectl runs 2.x families (seed 003)', async () => {
    server = await startRecordingServer({ [`PATCH ${API}/apps/.*`]: { body: { id: APP, label: 'Example', description: 'x' } } });
    const r = await runCli(['--server', server.url, 'app', 'update', `--app-id=${APP}`, '--label=Example', '--description=x'], { program: 'updatectl' });
    expect(r.code).toBe(0);
    expect(server.requests[0]!.body.toString()).toBe('{"description":"x","label":"Example"}\n');
  });

  it('updateservicectl help legacy lists the verbs; the main help does not', async () => {
    const legacy = await runCli(['help', 'legacy']);
    expect(legacy.code).toBe(0);
    for (const v of LEGACY_VERBS) expect(legacy.stdout).toContain(`\t${v.name}\t`);
    const main = await runCli(['--help']);
    expect(main.stdout).not.toContain('list-groups');
  });
});

// Seed 002 ("Example Update Workflow with Containers"), its updatectl lines as written.
const SEED_002 = [
  `updatectl update-app ${APP} "Example Apache" "Sample application to test container updates"`,
  `updatectl new-group ${APP} master 13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3 "Example Group"`,
  `updatectl new-package ${APP} 1.0 \\
        --name foobar \\
        --path coreos/example-apache:1.0 \\
        --size 23 \\
        --sha1sum fe7374bddde2ddf07f6bfcc728d115d14338964b \\
        --sha256sum b602d630f0a081840d0ca8fc4d35810e42806642b3127bb702d65c3df227d0f5 \\
        --signature ixi6Oebo \\
        --metadata-size 190`,
  `updatectl update-channel ${APP} master 1.0`,
  `updatectl new-package ${APP} 2.0 \\
	--name foobar \\
	--path coreos/example-apache:2.0 \\
	--size 23 \\
	--sha1sum fe7374bddde2ddf07f6bfcc728d115d14338964b \\
	--sha256sum b602d630f0a081840d0ca8fc4d35810e42806642b3127bb702d65c3df227d0f5 \\
	--signature ixi6Oebo \\
	--metadata-size 190`,
];

/** Shell words of a seed line: backslash-newlines joined, double quotes grouped. */
function words(line: string): string[] {
  const joined = line.replace(/\\\n\s*/g, ' ');
  return [...joined.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
}

const SHA1_B64 = Buffer.from('fe7374bddde2ddf07f6bfcc728d115d14338964b', 'hex').toString('base64');
const SHA256_B64 = Buffer.from('b602d630f0a081840d0ca8fc4d35810e42806642b3127bb702d65c3df227d0f5', 'hex').toString('base64');
const seedPackage = (v: string) => ({
  url: `coreos/example-apache:${v}`, size: '23', sha1Sum: SHA1_B64, sha256Sum: SHA256_B64, metadataSignatureRsa: 'ixi6Oebo', metadataSize: '190',
});

describe('seed 002, as written', () => {
  const expected = [
    { method: 'PATCH', path: `${API}/apps/${APP}`, body: { label: 'Example Apache', description: 'Sample application to test container updates' } },
    { method: 'POST', path: `${API}/apps/${APP}/groups`, body: { channelId: 'master', id: '13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3', label: 'Example Group' } },
    { method: 'POST', path: `${API}/apps/${APP}/packages/1.0`, body: seedPackage('1.0') },
    { method: 'PATCH', path: `${API}/apps/${APP}/channels/master`, body: { version: '1.0' } },
    { method: 'POST', path: `${API}/apps/${APP}/packages/2.0`, body: seedPackage('2.0') },
  ];
  SEED_002.forEach((line, i) => {
    it(line.split('\n')[0]!, async () => {
      server = await startRecordingServer({});
      const r = await runCli(words(line), { program: 'updatectl', env: { UPDATECTL_SERVER: server.url, UPDATECTL_USER: 'admin', UPDATECTL_KEY: ADMIN_KEY } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(server.requests.map((q) => ({ method: q.method, path: q.path, body: q.json }))).toEqual([expected[i]]);
    });
  });

  it('new-package prints the package, then the app id and version', async () => {
    server = await startRecordingServer({});
    const r = await runCli(words(SEED_002[2]!), { program: 'updatectl', env: { UPDATECTL_SERVER: server.url } });
    expect(r.stdout).toBe(
      '{\n' +
        ' "metadataSignatureRsa": "ixi6Oebo",\n "metadataSize": "190",\n' +
        ` "sha1Sum": "${SHA1_B64}",\n "sha256Sum": "${SHA256_B64}",\n` +
        ' "size": "23",\n "url": "coreos/example-apache:1.0"\n}\n' +
        `${APP} 1.0\n`,
    );
  });
});
