// Every request each command sends, pinned byte for byte: method, path and
// query as sent, content type, and the body exactly as the original's Go
// client wrote it (struct fields in alphabetical order, empty ones left out,
// Go's escapes, a trailing newline). Where the clone deliberately differs
// from the original (see the conformance notes), the case says so.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordedRequest, type RecordingServer, type Routes } from '../helpers/recording-server.js';
import { asAdmin, runCli } from '../helpers/run-cli.js';

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const API = '/_ah/api/update/v1';
const PAYLOAD = Buffer.from('FAKE-COREOS-UPDATE-PAYLOAD-0123456789abcdef\n'.repeat(24).slice(0, 1024));
const SHA1 = 'm4eqJIl18nb4SPWQVCdVCLTwAxE=';
const SHA256 = 'YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=';

/** A group as a service with both API generations stores it: 2.1.0 and 1.4.0 fields, and some it adds. */
const STORED_GROUP = {
  id: 'fake1',
  appId: APP,
  channelId: 'master',
  label: 'Fake Group 1',
  oemBlacklist: 'azure',
  updatesPaused: false,
  updatePercent: 50,
  rolloutActive: true,
  updateCount: 5,
  updateInterval: 300,
  updatePooling: true,
  dateCreated: '2014-05-02T17:15:06.000Z',
};
const GROUP_ROUTES: Routes = {
  [`GET ${API}/apps/[^/]+/groups/fake1`]: { body: STORED_GROUP },
  [`PATCH ${API}/apps/[^/]+/groups/fake1`]: (req) => ({ body: req.json }),
};

let server: RecordingServer | undefined;
let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'bodies-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(work, { recursive: true, force: true });
});

/** One request as text: `METHOD path?query [content-type]` and the body on the next line. */
function wire(req: RecordedRequest): string {
  const type = req.headers['content-type'] ? ` [${req.headers['content-type']}]` : '';
  return `${req.method} ${req.path}${req.search}${type}\n${req.body.toString('utf8')}`;
}

/** Runs a command against a recording server and returns what went over the wire. */
async function sent(argv: string[], routes: Routes = {}, program = 'updateservicectl'): Promise<string[]> {
  server = await startRecordingServer(routes);
  const r = await runCli([...asAdmin(server.url), ...argv], { cwd: work, program });
  expect(r.code, r.stderr).toBe(0);
  return server.requests.map(wire);
}

const JSON_TYPE = ' [application/json]';

describe('2.1.0 commands send the original request bodies', () => {
  it('admin-user', async () => {
    expect(await sent(['admin-user', 'create', 'bob'])).toEqual([`POST ${API}/admin/user?alt=json${JSON_TYPE}\n{"userName":"bob"}\n`]);
    expect(await sent(['admin-user', 'list'])).toEqual([`GET ${API}/admin/user?alt=json\n`]);
    expect(await sent(['admin-user', 'delete', 'jane doe/x'])).toEqual([`DELETE ${API}/admin/user/jane%20doe%2Fx?alt=json\n`]);
  });

  it('app create: id, label and description in field order, with Go escapes', async () => {
    expect(await sent(['app', 'create', `--app-id=${APP}`, '--label=<Fake & App>', '--description=fake\u2028app'])).toEqual([
      `POST ${API}/apps?alt=json${JSON_TYPE}\n{"description":"fake\\u2028app","id":"${APP}","label":"\\u003cFake \\u0026 App\\u003e"}\n`,
    ]);
  });

  it('app update: the id only in the path, label and description in the body', async () => {
    expect(await sent(['app', 'update', `--app-id=${APP}`, '--label=FakeApp', '--description=Fake app'])).toEqual([
      `PATCH ${API}/apps/${APP}?alt=json${JSON_TYPE}\n{"description":"Fake app","label":"FakeApp"}\n`,
    ]);
  });

  it('app list and delete', async () => {
    expect(await sent(['app', 'list'])).toEqual([`GET ${API}/apps?alt=json\n`]);
    expect(await sent(['app', 'delete', `--app-id=${APP}`])).toEqual([`DELETE ${API}/apps/${APP}?alt=json\n`]);
  });

  it('channel', async () => {
    expect(await sent(['channel', 'list', `--app-id=${APP}`])).toEqual([`GET ${API}/apps/${APP}/channels?alt=json\n`]);
    // deliberate: posted under the app id (the original put the channel label in the path)
    expect(await sent(['channel', 'create', `--app-id=${APP}`, '--channel=master', '--version=1.1.0', '--publish'])).toEqual([
      `POST ${API}/apps/${APP}/channels?alt=json${JSON_TYPE}\n{"appId":"${APP}","label":"master","publish":true,"version":"1.1.0"}\n`,
    ]);
    expect(await sent(['channel', 'update', `--app-id=${APP}`, '--channel=master', '--version=1.0.0'])).toEqual([
      `PATCH ${API}/apps/${APP}/channels/master?alt=json${JSON_TYPE}\n{"version":"1.0.0"}\n`,
    ]);
    expect(await sent(['channel', 'update', `--app-id=${APP}`, '--channel=master', '--version=1.1.0', '--publish=true'])).toEqual([
      `PATCH ${API}/apps/${APP}/channels/master?alt=json${JSON_TYPE}\n{"publish":true,"version":"1.1.0"}\n`,
    ]);
    expect(await sent(['channel', 'delete', `--app-id=${APP}`, '--channel=master'])).toEqual([`DELETE ${API}/apps/${APP}/channels/master?alt=json\n`]);
  });

  it('group list, create and delete', async () => {
    expect(await sent(['group', 'list', `--app-id=${APP}`])).toEqual([`GET ${API}/apps/${APP}/groups?alt=json\n`]);
    expect(await sent(['group', 'create', `--app-id=${APP}`, '--group-id=fake1', '--channel=master', '--label=Fake Group 1'])).toEqual([
      `POST ${API}/apps/${APP}/groups?alt=json${JSON_TYPE}\n{"channelId":"master","id":"fake1","label":"Fake Group 1"}\n`,
    ]);
    expect(await sent(['group', 'delete', `--app-id=${APP}`, '--group-id=fake1'])).toEqual([`DELETE ${API}/apps/${APP}/groups/fake1?alt=json\n`]);
  });

  it('group update, pause and unpause send back the fetched 2.1.0 group, nothing more', async () => {
    const get = `GET ${API}/apps/${APP}/groups/fake1?alt=json\n`;
    const patch = `PATCH ${API}/apps/${APP}/groups/fake1?alt=json${JSON_TYPE}\n`;
    const fields = `"appId":"${APP}","channelId":"master","id":"fake1"`;
    expect(await sent(['group', 'update', `--app-id=${APP}`, '--group-id=fake1', '--label=Renamed', '--oem-blacklist=gce'], GROUP_ROUTES)).toEqual([
      get,
      `${patch}{${fields},"label":"Renamed","oemBlacklist":"gce","rolloutActive":true,"updatePercent":50}\n`,
    ]);
    expect(await sent(['group', 'pause', `--app-id=${APP}`, '--group-id=fake1'], GROUP_ROUTES)).toEqual([
      get,
      `${patch}{${fields},"label":"Fake Group 1","oemBlacklist":"azure","rolloutActive":true,"updatePercent":50,"updatesPaused":true}\n`,
    ]);
    // deliberate: `false` is sent (the original dropped it, so it could not unpause a server with patch semantics)
    expect(await sent(['group', 'unpause', `--app-id=${APP}`, '--group-id=fake1'], GROUP_ROUTES)).toEqual([
      get,
      `${patch}{${fields},"label":"Fake Group 1","oemBlacklist":"azure","rolloutActive":true,"updatePercent":50,"updatesPaused":false}\n`,
    ]);
  });

  it('group update with the 1.4.0 rate-limit flags adds the 1.4.0 fields', async () => {
    expect(await sent(['group', 'update', `--app-id=${APP}`, '--group-id=fake1', '--update-count=2', '--update-interval=60'], GROUP_ROUTES)).toEqual([
      `GET ${API}/apps/${APP}/groups/fake1?alt=json\n`,
      `PATCH ${API}/apps/${APP}/groups/fake1?alt=json${JSON_TYPE}\n` +
        `{"appId":"${APP}","channelId":"master","id":"fake1","label":"Fake Group 1","oemBlacklist":"azure","rolloutActive":true,` +
        '"updateCount":2,"updateInterval":60,"updatePercent":50,"updatePooling":true}\n',
    ]);
  });

  it('group percent, events and versions', async () => {
    expect(await sent(['group', 'percent', `--app-id=${APP}`, '--group-id=fake1', '--update-percent=12.5'])).toEqual([
      `POST ${API}/apps/${APP}/groups/fake1?alt=json${JSON_TYPE}\n{"appId":"${APP}","id":"fake1","updatePercent":12.5}\n`,
    ]);
    expect(await sent(['group', 'events', `--app-id=${APP}`, '--group-id=fake1', '--start=1399050000', '--end=1399060000'])).toEqual([
      `GET ${API}/apps/${APP}/groups/fake1/requests/events/1399050000/1399060000?alt=json&resolution=60\n`,
    ]);
    expect(await sent(['group', 'versions', `--app-id=${APP}`, '--group-id=fake1', '--resolution=3600'])).toEqual([
      `GET ${API}/apps/${APP}/groups/fake1/requests/versions/0/0?alt=json&resolution=3600\n`,
    ]);
  });

  it('instance list-updates and list-app-versions', async () => {
    expect(await sent(['instance', 'list-updates', `--app-id=${APP}`, '--group-id=fake1'])).toEqual([
      `GET ${API}/clientupdates?alt=json&appId=${APP}&dateEnd=0&dateStart=0&groupId=fake1\n`,
    ]);
    expect(await sent(['instance', 'list-app-versions', `--app-id=${APP}`, '--start=1399050000'])).toEqual([
      `GET ${API}/appversions?alt=json&appId=${APP}&dateStart=1399050000\n`,
    ]);
  });

  it('package create: url, size and digests of the file; no app id or version in the body', async () => {
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    const created = await sent(['package', 'create', `--app-id=${APP}`, '--version=1.1.0', '--url=https://example.com/packages/update.gz?a=1&b=2', '--file=update.gz']);
    expect(created).toEqual([
      `POST ${API}/apps/${APP}/packages/1.1.0?alt=json${JSON_TYPE}\n` +
        `{"sha1Sum":"${SHA1}","sha256Sum":"${SHA256}","size":"1024","url":"https://example.com/packages/update.gz?a=1\\u0026b=2"}\n`,
    ]);
  });

  it('package create with --meta and --release-notes adds the metadata and the notes', async () => {
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    await writeFile(join(work, 'update.meta'), '{"metadata_size":"420","metadata_signature_rsa":"c2ln"}');
    await writeFile(join(work, 'notes.txt'), 'Fixes\tthings\n');
    expect(await sent(['package', 'create', `--app-id=${APP}`, '--version=1.1.0', '--file=update.gz', '--meta=update.meta', '--release-notes=notes.txt'])).toEqual([
      `POST ${API}/apps/${APP}/packages/1.1.0?alt=json${JSON_TYPE}\n` +
        `{"metadataSignatureRsa":"c2ln","metadataSize":"420","releaseNotes":"Fixes\\tthings\\n","sha1Sum":"${SHA1}","sha256Sum":"${SHA256}","size":"1024"}\n`,
    ]);
  });

  it('package create bulk re-encodes each info file as a Package: known fields only, in field order', async () => {
    const dir = join(work, 'dl');
    await mkdir(dir);
    const info = {
      version: '1.1.0',
      url: 'https://example.com/packages/update.gz',
      appId: APP,
      size: '1024',
      sha256Sum: SHA256,
      sha1Sum: SHA1,
      required: false,
      releaseNotes: '',
      dateCreated: '2014-05-02T17:15:06.000Z',
      unknownField: 'dropped',
    };
    await writeFile(join(dir, `${APP}_1.1.0_info.json`), JSON.stringify(info));
    expect(await sent(['package', 'create', 'bulk', `--dir=${dir}`, '--base-url=https://mirror.example.com/pkgs'])).toEqual([
      `POST ${API}/apps/${APP}/packages/1.1.0?alt=json${JSON_TYPE}\n` +
        `{"appId":"${APP}","dateCreated":"2014-05-02T17:15:06.000Z","sha1Sum":"${SHA1}","sha256Sum":"${SHA256}","size":"1024",` +
        `"url":"https://mirror.example.com/pkgs/${APP}_1.1.0_update.gz","version":"1.1.0"}\n`,
    ]);
  });

  it('package list, delete, download and upload', async () => {
    expect(await sent(['package', 'list', `--app-id=${APP}`])).toEqual([`GET ${API}/apps/${APP}/packages?alt=json\n`]);
    expect(await sent(['package', 'delete', `--app-id=${APP}`, '--version=1.1.0'])).toEqual([`DELETE ${API}/apps/${APP}/packages/1.1.0?alt=json\n`]);

    server = await startRecordingServer({ 'GET /payloads/update.gz': { body: PAYLOAD, contentType: 'application/octet-stream' } });
    const pkg = { appId: APP, version: '1.1.0', url: `${server.url}/payloads/update.gz`, size: '1024', sha1Sum: SHA1, sha256Sum: SHA256 };
    const publicList = { body: { items: [{ AppId: APP, packages: [pkg] }] } };
    const payloads = server;
    const download = await sent(['package', 'download', `--dir=${work}`], { [`GET ${API}/public/packages`]: publicList });
    await payloads.close();
    expect(download).toEqual([`GET ${API}/public/packages?alt=json\n`]);
    expect(payloads.requests.map(wire)).toEqual(['GET /payloads/update.gz\n']);

    await writeFile(join(work, 'update.gz'), PAYLOAD);
    const [upload] = await sent(['package', 'upload', '--file=update.gz']);
    const boundary = /boundary=([0-9a-f]{60})\]/.exec(upload!)?.[1];
    expect(boundary).toBeDefined();
    expect(upload).toBe(
      `POST /package-upload [multipart/form-data; boundary=${boundary}]\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="update.gz"\r\nContent-Type: application/octet-stream\r\n\r\n` +
        `${PAYLOAD.toString()}\r\n--${boundary}--\r\n`,
    );
  });

  it('rollout', async () => {
    const path = `${API}/apps/${APP}/groups/fake1/rollout`;
    const ids = [`--app-id=${APP}`, '--group-id=fake1'];
    expect(await sent(['rollout', ...ids])).toEqual([`GET ${path}?alt=json\n`]);
    expect(await sent(['rollout', 'create', 'linear', ...ids, '--frame-size=100', '--duration=300'])).toEqual([
      `POST ${path}?alt=json${JSON_TYPE}\n{"appId":"${APP}","groupId":"fake1","rollout":[` +
        '{"duration":"100","percent":33.333333333333336},{"duration":"100","percent":66.66666666666667},{"duration":"100","percent":100},{"percent":100}]}\n',
    ]);
    const active = { [`POST ${path}/active`]: (req: RecordedRequest) => ({ body: req.json }) };
    expect(await sent(['rollout', 'activate', ...ids], active)).toEqual([`POST ${path}/active?alt=json${JSON_TYPE}\n{"active":true}\n`]);
    // deliberate: `false` is sent (the original's body was `{}`)
    expect(await sent(['rollout', 'deactivate', ...ids], active)).toEqual([`POST ${path}/active?alt=json${JSON_TYPE}\n{"active":false}\n`]);
  });

  it('upstream', async () => {
    const id = '9a8d4d4c-2bb0-4a4c-9e8b-2c5c2ab1c7a1';
    const url = 'https://public.update.core-os.net';
    expect(await sent(['upstream', 'create', `--url=${url}`, '--label=CoreOS Public'])).toEqual([
      `POST ${API}/upstream?alt=json${JSON_TYPE}\n{"label":"CoreOS Public","url":"${url}"}\n`,
    ]);
    expect(await sent(['upstream', 'update', `--id=${id}`, `--url=${url}`, '--label=CoreOS Public'])).toEqual([
      `PUT ${API}/upstream/${id}?alt=json${JSON_TYPE}\n{"id":"${id}","label":"CoreOS Public","url":"${url}"}\n`,
    ]);
    expect(await sent(['upstream', 'list'])).toEqual([`GET ${API}/upstream?alt=json\n`]);
    expect(await sent(['upstream', 'delete', `--id=${id}`])).toEqual([`DELETE ${API}/upstream/${id}?alt=json\n`]);
    expect(await sent(['upstream', 'sync'], { [`POST ${API}/upstream/sync`]: { body: { status: 'ok' } } })).toEqual([`POST ${API}/upstream/sync?alt=json\n`]);
  });

  it('database init and backup', async () => {
    expect(await sent(['database', 'init'], { 'GET /admin/v1/init': { body: 'ok', contentType: 'text/plain' } })).toEqual(['GET /admin/v1/init\n']);
    expect(await sent(['database', 'backup', join(work, 'backup.sql')], { 'GET /db/backup': { body: 'x', contentType: 'application/octet-stream' } })).toEqual([
      'GET /db/backup\n',
    ]);
  });
});

describe('0.x verbs send the 0.x request bodies', () => {
  const updatectl = (argv: string[], routes: Routes = {}) => sent(argv, routes, 'updatectl');

  it('apps', async () => {
    expect(await updatectl(['create-app', APP, 'FakeApp', 'Fake app'])).toEqual([
      `POST ${API}/apps?alt=json${JSON_TYPE}\n{"description":"Fake app","id":"${APP}","label":"FakeApp"}\n`,
    ]);
    expect(await updatectl(['update-app', APP, 'FakeApp', 'Fake app'])).toEqual([
      `PATCH ${API}/apps/${APP}?alt=json${JSON_TYPE}\n{"description":"Fake app","label":"FakeApp"}\n`,
    ]);
  });

  it('groups: the 0.x Group fields only', async () => {
    expect(await updatectl(['new-group', APP, 'master', 'fake1', 'Fake Group 1'])).toEqual([
      `POST ${API}/apps/${APP}/groups?alt=json${JSON_TYPE}\n{"channelId":"master","id":"fake1","label":"Fake Group 1"}\n`,
    ]);
    expect(await updatectl(['update-group', APP, 'fake1', '--label=Renamed'], GROUP_ROUTES)).toEqual([
      `GET ${API}/apps/${APP}/groups/fake1?alt=json\n`,
      `PATCH ${API}/apps/${APP}/groups/fake1?alt=json${JSON_TYPE}\n` +
        `{"appId":"${APP}","channelId":"master","id":"fake1","label":"Renamed","updateCount":5,"updateInterval":300,"updatePooling":true}\n`,
    ]);
  });

  it('channels: only the version', async () => {
    expect(await updatectl(['update-channel', APP, 'master', '1.1.0'])).toEqual([
      `PATCH ${API}/apps/${APP}/channels/master?alt=json${JSON_TYPE}\n{"version":"1.1.0"}\n`,
    ]);
  });
});
