// Packages, payloads and upstreams through our own CLI against real `serve`
// instances (issue #3, item 6): package create (a real local file, and
// metadata only), list, delete; upload → publish → download; the downloaded
// folder registered and uploaded into a second, air-gapped service and
// downloaded from there again; and a third service syncing from the first
// as its upstream.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { maskStamps } from '../helpers/run-cli.js';
import { adminCli, APP_ID, describeEngines, expectFailure, expectOk, startTestServer, table, type Cli, type TestServer } from './helpers.js';

type Cell = string | number | boolean;
const packages = (...rows: Cell[][]) => table([['Version', 'URL', 'Size'], ...rows]);
const channels = (...rows: Cell[][]) => table([['Label', 'Version', 'Publish', 'Upstream'], ...rows]);
const upstreams = (...rows: Cell[][]) => table([['Id', 'Url', 'Label'], ...rows]);
/** `package create` prints the package it sends as Go's MarshalIndent with one space (keys sorted). */
const packageJson = (fields: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))), null, 1) + '\n';

const PAYLOAD = randomBytes(70_000);
const SHA1 = createHash('sha1').update(PAYLOAD).digest('base64');
const SHA256 = createHash('sha256').update(PAYLOAD).digest('base64');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describeEngines('e2e: packages, payloads, mirroring and upstreams through the CLI', (engine) => {
  let origin: TestServer; // uploads on: the service whose channel is published
  let airGapped: TestServer; // uploads on: filled from a download folder only
  let downstream: TestServer; // follows origin as its upstream
  let work: string;
  let cli: Cli; // admin of origin, working in `work`
  let payloadUrl: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'us-e2e-pkg-'));
    [origin, airGapped, downstream] = await Promise.all([
      startTestServer(engine, { enablePackageUploads: true }),
      startTestServer(engine, { enablePackageUploads: true }),
      startTestServer(engine),
    ]);
    cli = adminCli(origin, work);
    payloadUrl = `${origin.url}/packages/update.gz`;
    await writeFile(path.join(work, 'update.gz'), PAYLOAD);
    await writeFile(path.join(work, 'notes.txt'), 'Fixes the frobnicator.\n');
    await writeFile(path.join(work, 'meta.json'), JSON.stringify({ metadata_size: '420', metadata_signature_rsa: 'c2lnbmF0dXJl' }));
  });
  afterAll(async () => {
    await Promise.all([origin?.close(), airGapped?.close(), downstream?.close()]);
    await rm(work, { recursive: true, force: true });
  });

  it('package create from a real local file: size and hashes from the file; list shows it', async () => {
    expectOk(await cli('app', 'create', `--app-id=${APP_ID}`, '--label=CoreOS'), table([['Id', 'Label', 'Description'], [APP_ID, 'CoreOS', '']]));
    expectOk(await cli('package', 'list', `--app-id=${APP_ID}`), packages());
    const r = await cli(
      'package',
      'create',
      `--app-id=${APP_ID}`,
      '--version=1.1.0',
      `--url=${payloadUrl}`,
      '--file=update.gz',
      '--release-notes=notes.txt',
      '--meta=meta.json',
    );
    expectOk(
      r,
      packageJson({
        metadataSignatureRsa: 'c2lnbmF0dXJl',
        metadataSize: '420',
        releaseNotes: 'Fixes the frobnicator.\n',
        sha1Sum: SHA1,
        sha256Sum: SHA256,
        size: String(PAYLOAD.length),
        url: payloadUrl,
      }) + packages(['1.1.0', payloadUrl, PAYLOAD.length]),
    );
    const stored = (await origin.client.listPackages(APP_ID)).items!;
    expect(stored).toEqual([
      expect.objectContaining({
        appId: APP_ID,
        version: '1.1.0',
        url: payloadUrl,
        size: String(PAYLOAD.length),
        sha1Sum: SHA1,
        sha256Sum: SHA256,
        metadataSize: '420',
        metadataSignatureRsa: 'c2lnbmF0dXJl',
        releaseNotes: 'Fixes the frobnicator.\n',
      }),
    ]);
    // an explicit value that contradicts the file is refused before anything is sent
    const conflicting = await cli('package', 'create', `--app-id=${APP_ID}`, '--version=1.1.1', `--url=${payloadUrl}`, '--file=update.gz', '--size=1');
    expect(conflicting.code).toBe(1);
    expect(maskStamps(conflicting.stderr)).toBe(`TS --size=1 does not match update.gz (${PAYLOAD.length})\n`);
    // the package is printed before it is sent, as the original did
    const sent = packageJson({ sha1Sum: SHA1, sha256Sum: SHA256, size: String(PAYLOAD.length), url: payloadUrl });
    expectFailure(
      await cli('package', 'create', `--app-id=${APP_ID}`, '--version=1.1.0', `--url=${payloadUrl}`, '--file=update.gz'),
      'googleapi: Error 409: package already exists, conflict',
      sent,
    );
    expectFailure(
      await cli('package', 'create', '--app-id=missing', '--version=1.0.0', `--url=${payloadUrl}`, '--file=update.gz'),
      'googleapi: Error 404: app not found, notFound',
      sent,
    );
    expectFailure(
      await cli('package', 'create', `--app-id=${APP_ID}`, '--version=not-a-version', `--url=${payloadUrl}`, '--file=update.gz'),
      'googleapi: Error 400: invalid version: "not-a-version" is not a version like 1.2.3, invalid',
      sent,
    );
    expectOk(await cli('package', 'list', `--app-id=${APP_ID}`), packages(['1.1.0', payloadUrl, PAYLOAD.length]));
  });

  it('package create without a local file: an image reference and explicit metadata', async () => {
    const sha256Hex = createHash('sha256').update('image').digest('hex');
    const sha256 = Buffer.from(sha256Hex, 'hex').toString('base64');
    const r = await cli(
      'package',
      'create',
      `--app-id=${APP_ID}`,
      '--version=1.0.0',
      '--file=coreos/example:1.0.0',
      '--size=1234',
      `--sha256sum=${sha256Hex}`,
      '--metadata-size=12',
      '--metadata-signature-rsa=c2ln',
    );
    expect(r.code).toBe(0);
    expect(maskStamps(r.stderr)).toBe('TS --file coreos/example:1.0.0 is not a local file: using it as the package URL (no size or checksums)\n');
    expect(r.stdout).toBe(
      packageJson({ metadataSignatureRsa: 'c2ln', metadataSize: '12', sha256Sum: sha256, size: '1234', url: 'coreos/example:1.0.0' }) +
        packages(['1.0.0', 'coreos/example:1.0.0', 1234]),
    );
    // newest version first
    expectOk(await cli('package', 'list', `--app-id=${APP_ID}`), packages(['1.1.0', payloadUrl, PAYLOAD.length], ['1.0.0', 'coreos/example:1.0.0', 1234]));
    // metadata only, no --file at all
    expectOk(
      await cli('package', 'create', `--app-id=${APP_ID}`, '--version=0.9.0', '--url=https://example.com/0.9.0/update.gz', '--size=99'),
      packageJson({ size: '99', url: 'https://example.com/0.9.0/update.gz' }) + packages(['0.9.0', 'https://example.com/0.9.0/update.gz', 99]),
    );
  });

  it('package delete', async () => {
    expectOk(await cli('package', 'delete', `--app-id=${APP_ID}`, '--version=1.0.0'), packages(['1.0.0', 'coreos/example:1.0.0', 1234]));
    expectOk(
      await cli('package', 'delete', `--app-id=${APP_ID}`, '--version=0.9.0'),
      packages(['0.9.0', 'https://example.com/0.9.0/update.gz', 99]),
    );
    expectFailure(await cli('package', 'delete', `--app-id=${APP_ID}`, '--version=1.0.0'), 'googleapi: Error 404: package not found, notFound');
    expectOk(await cli('package', 'list', `--app-id=${APP_ID}`), packages(['1.1.0', payloadUrl, PAYLOAD.length]));
  });

  it('package upload, then download from the published channel', async () => {
    expectOk(await cli('package', 'upload', '--file=update.gz'), 'uploaded file update.gz\n');
    // served as uploaded, at the URL the package names (no BASE_URL leaked in from vitest)
    const served = await request(payloadUrl);
    expect(served.statusCode).toBe(200);
    expect(Buffer.from(await served.body.arrayBuffer()).equals(PAYLOAD)).toBe(true);

    // nothing is published yet: nothing to download
    const none = await cli('package', 'download', '--dir=empty');
    expect({ code: none.code, stderr: maskStamps(none.stderr), stdout: none.stdout }).toEqual({
      code: 0,
      stderr: 'TS Downloading 0 packages.\n',
      stdout: '\r0 B \n',
    });
    expect(await readdir(path.join(work, 'empty'))).toEqual([]);

    expectOk(
      await cli('channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.1.0', '--publish'),
      channels(['stable', '1.1.0', true, '']),
    );
    // a package named by a channel cannot be deleted
    expectFailure(
      await cli('package', 'delete', `--app-id=${APP_ID}`, '--version=1.1.0'),
      'googleapi: Error 409: package is in use by channel stable, conflict',
    );

    const r = await cli('package', 'download', '--dir=dl');
    expect(r.code).toBe(0);
    expect(maskStamps(r.stderr)).toBe('TS Downloading 1 packages.\n');
    expect(r.stdout).toMatch(/\r68\.36 KB \/ 68\.36 KB {2}100\.00 % \n$/);
    expect((await readdir(path.join(work, 'dl'))).sort()).toEqual([`${APP_ID}_1.1.0_info.json`, `${APP_ID}_1.1.0_update.gz`]);
    expect((await readFile(path.join(work, 'dl', `${APP_ID}_1.1.0_update.gz`))).equals(PAYLOAD)).toBe(true);
    const info = JSON.parse(await readFile(path.join(work, 'dl', `${APP_ID}_1.1.0_info.json`), 'utf8')) as Record<string, string>;
    expect(info).toEqual({
      appId: APP_ID,
      version: '1.1.0',
      url: payloadUrl,
      size: String(PAYLOAD.length),
      sha1Sum: SHA1,
      sha256Sum: SHA256,
      metadataSize: '420',
      metadataSignatureRsa: 'c2lnbmF0dXJl',
      releaseNotes: 'Fixes the frobnicator.\n',
      dateCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });

    // filters: another version, an unknown app
    const filtered = await cli('package', 'download', '--dir=dl-filtered', '--version=9.9.9');
    expect(maskStamps(filtered.stderr)).toBe('TS Downloading 0 packages.\n');
    const minimum = await cli('package', 'download', '--dir=dl-min', `--app-id=${APP_ID}`, '--min-version=1.0.0');
    expect(maskStamps(minimum.stderr)).toBe('TS Downloading 1 packages.\n');
    expect((await readdir(path.join(work, 'dl-min'))).length).toBe(2);
  });

  it('package upload is refused (403 body, usage, exit 2) by a service with uploads off', async () => {
    const r = await adminCli(downstream, work)('package', 'upload', '--file=update.gz');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^error uploading file\nerror uploading file uploads disabledNAME:\n\tpackage upload - /);
  });

  it('package create bulk + upload bulk mirror the download folder into an air-gapped service', async () => {
    const mirror = adminCli(airGapped, work);
    const mirrorBase = `${airGapped.url}/packages/`;
    const mirroredName = `${APP_ID}_1.1.0_update.gz`;
    const mirroredUrl = `${airGapped.url}/packages/${mirroredName}`;

    // without the app there, every package fails (reported, exit 0 as in the original)
    const early = await mirror('package', 'create', 'bulk', '--dir=dl');
    expect({ code: early.code, stdout: early.stdout, stderr: maskStamps(early.stderr) }).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `TS Creating package with AppId=${APP_ID} and Version=1.1.0\n` +
        'TS Error while creating package. Error=googleapi: Error 404: app not found, notFound\n' +
        'TS Package metadata uploaded. Total=1 Errors=1\n',
    });

    expect((await mirror('app', 'create', `--app-id=${APP_ID}`, '--label=CoreOS mirror')).code).toBe(0);
    const bulk = await mirror('package', 'create', 'bulk', '--dir=dl', `--base-url=${mirrorBase}`);
    expect({ code: bulk.code, stdout: bulk.stdout, stderr: maskStamps(bulk.stderr) }).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `TS Creating package with AppId=${APP_ID} and Version=1.1.0\n` +
        'TS Package metadata uploaded. Total=1 Errors=0\n' +
        `TS Please upload payloads to ${mirrorBase}.\n`,
    });
    expectOk(await mirror('package', 'list', `--app-id=${APP_ID}`), packages(['1.1.0', mirroredUrl, PAYLOAD.length]));
    expect((await airGapped.client.listPackages(APP_ID)).items![0]).toMatchObject({
      sha1Sum: SHA1,
      sha256Sum: SHA256,
      metadataSize: '420',
      metadataSignatureRsa: 'c2lnbmF0dXJl',
      releaseNotes: 'Fixes the frobnicator.\n',
    });

    // the payloads follow, then the mirror publishes and serves them itself
    const upload = await mirror('package', 'upload', 'bulk', '--dir=dl');
    expect({ code: upload.code, stdout: upload.stdout, stderr: maskStamps(upload.stderr) }).toEqual({
      code: 0,
      stdout: `uploaded ${APP_ID}_1.1.0_info.json\nuploaded ${mirroredName}\n`,
      stderr: 'TS Package payloads uploaded. Total=2 Errors=0\n',
    });
    expectOk(
      await mirror('channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.1.0', '--publish'),
      channels(['stable', '1.1.0', true, '']),
    );
    const again = await mirror('package', 'download', '--dir=from-mirror');
    expect(again.code).toBe(0);
    expect(maskStamps(again.stderr)).toBe('TS Downloading 1 packages.\n');
    expect((await readFile(path.join(work, 'from-mirror', `${APP_ID}_1.1.0_${mirroredName}`))).equals(PAYLOAD)).toBe(true);
  });

  it('upstream create/list/update/sync/delete against a second running service', async () => {
    const down = adminCli(downstream, work);
    expectOk(await down('upstream', 'list'), upstreams());
    const created = await down('upstream', 'create', `--url=${origin.url}`, '--label=Origin');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const id = created.stdout.split('\n')[1]!.split('\t')[0]!;
    expect(id).toMatch(UUID);
    expect(created.stdout).toBe(upstreams([id, origin.url, 'Origin']));
    expectFailure(await down('upstream', 'create', `--url=${origin.url}`), 'googleapi: Error 409: upstream already exists, conflict');
    expectOk(await down('upstream', 'list'), upstreams([id, origin.url, 'Origin']));
    // a trailing slash is trimmed
    expectOk(await down('upstream', 'update', `--id=${id}`, `--url=${origin.url}/`, '--label=Renamed'), upstreams([id, origin.url, 'Renamed']));
    expectOk(await down('upstream', 'list'), upstreams([id, origin.url, 'Renamed']));
    expectFailure(await down('upstream', 'update', '--id=nope', `--url=${origin.url}`), 'googleapi: Error 404: upstream not found, notFound');

    // only apps that exist locally are mirrored
    expectOk(await down('upstream', 'sync'), 'Status: ok\nDetail: synced 0 channels, 0 packages\n');
    expect((await down('app', 'create', `--app-id=${APP_ID}`, '--label=CoreOS downstream')).code).toBe(0);
    expectOk(await down('upstream', 'sync'), 'Status: ok\nDetail: synced 1 channels, 1 packages\n');
    expectOk(await down('channel', 'list', `--app-id=${APP_ID}`), channels(['stable', '1.1.0', false, origin.url]));
    expectOk(await down('package', 'list', `--app-id=${APP_ID}`), packages(['1.1.0', payloadUrl, PAYLOAD.length]));
    expect((await downstream.client.listPackages(APP_ID)).items![0]).toMatchObject({ sha1Sum: SHA1, sha256Sum: SHA256 });
    expectOk(await down('upstream', 'sync'), 'Status: ok\nDetail: synced 0 channels, 0 packages\n');

    // the upstream moves its channel: the next sync follows
    await writeFile(path.join(work, 'update-1.2.0.gz'), PAYLOAD.subarray(0, 1000));
    expect((await cli('package', 'create', `--app-id=${APP_ID}`, '--version=1.2.0', `--url=${origin.url}/packages/update-1.2.0.gz`, '--file=update-1.2.0.gz')).code).toBe(0);
    expect((await cli('channel', 'update', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.2.0', '--publish')).code).toBe(0);
    expectOk(await down('upstream', 'sync'), 'Status: ok\nDetail: synced 1 channels, 1 packages\n');
    expectOk(await down('channel', 'list', `--app-id=${APP_ID}`), channels(['stable', '1.2.0', false, origin.url]));
    expectOk(
      await down('package', 'list', `--app-id=${APP_ID}`),
      packages(['1.2.0', `${origin.url}/packages/update-1.2.0.gz`, 1000], ['1.1.0', payloadUrl, PAYLOAD.length]),
    );

    expectOk(await down('upstream', 'delete', `--id=${id}`), upstreams([id, origin.url, 'Renamed']));
    expectOk(await down('upstream', 'list'), upstreams());
    expectFailure(await down('upstream', 'delete', `--id=${id}`), 'googleapi: Error 404: upstream not found, notFound');
    expectOk(await down('upstream', 'sync'), 'Status: ok\nDetail: synced 0 channels, 0 packages\n');
  });

  it('upstream sync with an unreachable upstream: 502, exit 1, nothing changes', async () => {
    const down = adminCli(downstream, work);
    const created = await down('upstream', 'create', '--url=http://127.0.0.1:9');
    expect(created.code).toBe(0);
    const r = await down('upstream', 'sync');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toMatch(/^TS googleapi: Error 502: .*127\.0\.0\.1:9.*\n$/);
    expectOk(await down('channel', 'list', `--app-id=${APP_ID}`), channels(['stable', '1.2.0', false, origin.url]));
  });
});
