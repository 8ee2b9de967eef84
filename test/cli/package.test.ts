import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { digestFile } from '../../src/cli/commands/package-common.js';
import { isRemoteReference, normalizeDigest, rebaseUrl } from '../../src/cli/commands/package-create.js';
import { downloadPackages } from '../../src/cli/commands/package-download.js';
import { counterLine } from '../../src/cli/commands/package-progress.js';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
// the 1024-byte fake payload of the recordings and its digests
const PAYLOAD = Buffer.from('FAKE-COREOS-UPDATE-PAYLOAD-0123456789abcdef\n'.repeat(24).slice(0, 1024));
const SHA1 = 'm4eqJIl18nb4SPWQVCdVCLTwAxE=';
const SHA256 = 'YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=';
const PKG_PATH = `/_ah/api/update/v1/apps/${APP_ID}/packages/1.1.0`;

const stored = (extra: Record<string, unknown> = {}) => ({
  appId: APP_ID,
  version: '1.1.0',
  url: 'https://example.com/packages/update.gz',
  size: '1024',
  sha1Sum: SHA1,
  sha256Sum: SHA256,
  required: false,
  metadataSignatureRsa: '',
  metadataSize: '',
  releaseNotes: '',
  dateCreated: '2014-05-02T17:15:06.000Z',
  ...extra,
});

let server: RecordingServer | undefined;
let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'pkg-test-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(work, { recursive: true, force: true });
});

const sha = (algo: string, data: Buffer) => createHash(algo).update(data).digest('base64');

describe('package list and delete', () => {
  it('lists packages in the original table', async () => {
    server = await startRecordingServer({
      'GET /_ah/api/update/v1/apps/[^/]+/packages': {
        body: { items: [stored(), stored({ version: '1.0.0', url: 'https://example.com/packages/1.0.0/update.gz', size: '204800' })] },
      },
    });
    const r = await runCli([...asAdmin(server.url), 'package', 'list', `--app-id=${APP_ID}`]);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Version\tURL\t\t\t\t\t\tSize\n' +
        '1.1.0\thttps://example.com/packages/update.gz\t\t1024\n' +
        '1.0.0\thttps://example.com/packages/1.0.0/update.gz\t204800\n',
    });
    expect(server.requests[0]!.path).toBe(`/_ah/api/update/v1/apps/${APP_ID}/packages`);
    expect([...server.requests[0]!.query.keys()]).toEqual(['alt']);
  });

  it('requires --app-id to list', async () => {
    const r = await runCli(['package', 'list']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl package list [OPTION]...');
  });

  it('deletes a package and prints it', async () => {
    server = await startRecordingServer({ 'DELETE /_ah/api/update/v1/apps/[^/]+/packages/[^/]+': { body: stored() } });
    const r = await runCli([...asAdmin(server.url), 'package', 'delete', `--app-id=${APP_ID}`, '--version=1.1.0']);
    expect(r.stdout).toBe('Version\tURL\t\t\t\t\tSize\n1.1.0\thttps://example.com/packages/update.gz\t1024\n');
    expect(server.requests[0]).toMatchObject({ method: 'DELETE', path: PKG_PATH });
  });
});

describe('package create', () => {
  const createServer = () =>
    startRecordingServer({ 'POST /_ah/api/update/v1/apps/[^/]+/packages/[^/]+': (req) => ({ body: { ...stored(), ...(req.json as object) } }) });

  it('hashes the file, prints the package JSON, then the table', async () => {
    server = await createServer();
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    const r = await runCli(
      [...asAdmin(server.url), 'package', 'create', `--app-id=${APP_ID}`, '--version=1.1.0', '--url=https://example.com/packages/update.gz', '--file=update.gz'],
      { cwd: work },
    );
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        `{\n "sha1Sum": "${SHA1}",\n "sha256Sum": "${SHA256}",\n "size": "1024",\n "url": "https://example.com/packages/update.gz"\n}\n` +
        'Version\tURL\t\t\t\t\tSize\n1.1.0\thttps://example.com/packages/update.gz\t1024\n',
    });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: PKG_PATH });
    expect(server.requests[0]!.json).toEqual({ sha1Sum: SHA1, sha256Sum: SHA256, size: '1024', url: 'https://example.com/packages/update.gz' });
  });

  it('hashes the package, not the --meta file, and adds metadata and release notes', async () => {
    server = await createServer();
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    await writeFile(join(work, 'meta.json'), '{"metadata_size": "4242", "metadata_signature_rsa": "c2lnbmF0dXJlLWJ5dGVz"}');
    await writeFile(join(work, 'notes.txt'), 'Bug fixes & <security> updates.\n');
    const r = await runCli(
      [...asAdmin(server.url), 'package', 'create', `--app-id=${APP_ID}`, '--version=1.1.0', '--file=update.gz', '--meta=meta.json', '--release-notes=notes.txt'],
      { cwd: work },
    );
    expect(r.code).toBe(0);
    expect(server.requests[0]!.json).toEqual({
      metadataSignatureRsa: 'c2lnbmF0dXJlLWJ5dGVz',
      metadataSize: '4242',
      releaseNotes: 'Bug fixes & <security> updates.\n',
      sha1Sum: SHA1,
      sha256Sum: SHA256,
      size: '1024',
    });
    // keys sorted, Go's HTML escaping
    expect(r.stdout.split('\nVersion')[0]).toBe(
      '{\n "metadataSignatureRsa": "c2lnbmF0dXJlLWJ5dGVz",\n "metadataSize": "4242",\n' +
        ' "releaseNotes": "Bug fixes \\u0026 \\u003csecurity\\u003e updates.\\n",\n' +
        ` "sha1Sum": "${SHA1}",\n "sha256Sum": "${SHA256}",\n "size": "1024"\n}`,
    );
  });

  it('fails like the original without --file', async () => {
    const r = await runCli(['--server=http://127.0.0.1:9', 'package', 'create', `--app-id=${APP_ID}`, '--version=1.1.0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe('TS stat of  failed: stat : no such file or directory\n');
  });

  it('fails like the original for a missing local path', async () => {
    for (const file of ['update.gz', './coreos/example:1.0.0', 'dir/update.gz', '/nowhere/x.gz']) {
      const r = await runCli(['--server=http://127.0.0.1:9', 'package', 'create', '--app-id=a', '--version=1', `--file=${file}`], { cwd: work });
      expect(r.code).toBe(1);
      expect(maskStamps(r.stderr)).toBe(`TS stat of ${file} failed: stat ${file}: no such file or directory\n`);
    }
  });

  it('requires --app-id and --version', async () => {
    const r = await runCli(['package', 'create', `--app-id=${APP_ID}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('COMMANDS:\n\tpackage create bulk');
  });

  it('creates a package without a local file from explicit metadata', async () => {
    server = await createServer();
    const hex = createHash('sha1').update(PAYLOAD).digest('hex');
    const r = await runCli(
      [...asAdmin(server.url), 'package', 'create', '--app-id=a', '--version=2.0.0', '--url=https://cdn/x.gz', '--size=1024', `--sha1sum=${hex}`, `--sha256sum=${SHA256}`, '--metadata-size=42'],
      { cwd: work },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(server.requests[0]!.path).toBe('/_ah/api/update/v1/apps/a/packages/2.0.0');
    expect(server.requests[0]!.json).toEqual({ metadataSize: '42', sha1Sum: SHA1, sha256Sum: SHA256, size: '1024', url: 'https://cdn/x.gz' });
  });

  it('takes an image reference given as --file as the package URL, with a note', async () => {
    server = await createServer();
    const r = await runCli([...asAdmin(server.url), 'package', 'create', `--app-id=${APP_ID}`, '--version=1.0.0', '--file=coreos/example:1.0.0'], { cwd: work });
    expect(r.code).toBe(0);
    expect(server.requests[0]!.json).toEqual({ url: 'coreos/example:1.0.0' });
    expect(r.stdout.startsWith('{\n "url": "coreos/example:1.0.0"\n}\nVersion\tURL')).toBe(true);
    expect(maskStamps(r.stderr)).toMatch(/^TS --file coreos\/example:1\.0\.0 is not a local file: using it as the package URL[^\n]*\n$/);
  });

  it('keeps --url when --file is a remote reference', async () => {
    server = await createServer();
    const r = await runCli(
      [...asAdmin(server.url), 'package', 'create', '--app-id=a', '--version=1', '--url=https://u/p', '--file=https://elsewhere/p.gz', '--size=7'],
      { cwd: work },
    );
    expect(r.code).toBe(0);
    expect(server.requests[0]!.json).toEqual({ size: '7', url: 'https://u/p' });
  });

  it('prefers an existing local file over the remote reading of its name', async () => {
    server = await createServer();
    await mkdir(join(work, 'coreos'));
    await writeFile(join(work, 'coreos', 'example:1.0.0'), PAYLOAD);
    const r = await runCli([...asAdmin(server.url), 'package', 'create', '--app-id=a', '--version=1', '--file=coreos/example:1.0.0'], { cwd: work });
    expect(r.code).toBe(0);
    expect(server.requests[0]!.json).toEqual({ sha1Sum: SHA1, sha256Sum: SHA256, size: '1024' });
  });

  it('rejects explicit metadata that contradicts the local file', async () => {
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    const r = await runCli(['--server=http://127.0.0.1:9', 'package', 'create', '--app-id=a', '--version=1', '--file=update.gz', '--size=5'], { cwd: work });
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe('TS --size=5 does not match update.gz (1024)\n');
  });

  it('rejects a malformed digest as a flag error', async () => {
    const r = await runCli(['package', 'create', '--app-id=a', '--version=1', '--sha1sum=xyz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('invalid value "xyz" for flag -sha1sum: not a base64 or hex SHA-1 digest\n');
  });

  it('hashes a multi-megabyte file by streaming it', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    await writeFile(join(work, 'big.bin'), big);
    const chunks: number[] = [];
    const digest = await digestFile(join(work, 'big.bin'), (n) => chunks.push(n));
    expect(digest).toEqual({ size: big.length, sha1Sum: sha('sha1', big), sha256Sum: sha('sha256', big) });
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(64 * 1024);

    server = await createServer();
    const r = await runCli([...asAdmin(server.url), 'package', 'create', '--app-id=a', '--version=1', '--file=big.bin'], { cwd: work });
    expect(r.code).toBe(0);
    expect(server.requests[0]!.json).toEqual({ size: String(big.length), sha1Sum: sha('sha1', big), sha256Sum: sha('sha256', big) });
  });
});

describe('remote references and helpers', () => {
  it('decides which --file values are remote', () => {
    for (const v of ['coreos/example:1.0.0', 'quay.io/coreos/etcd:v3.5', 'localhost:5000/app:1', `busybox@sha256:${'a'.repeat(64)}`, 'https://host/p.gz', 'docker://img']) {
      expect(isRemoteReference(v), v).toBe(true);
    }
    for (const v of ['', 'update.gz', 'dir/update.gz', 'coreos/example', './coreos/example:1.0.0', '/abs/x:1', '~/x:1', 'Upper/Case:1', 'localhost:5000/app']) {
      expect(isRemoteReference(v), v).toBe(false);
    }
  });

  it('accepts hex or base64 digests', () => {
    expect(normalizeDigest('sha1sum', createHash('sha1').update(PAYLOAD).digest('hex'))).toBe(SHA1);
    expect(normalizeDigest('sha256sum', SHA256)).toBe(SHA256);
    expect(() => normalizeDigest('sha256sum', SHA1)).toThrow(/not a base64 or hex SHA-256/);
  });

  it('joins a base URL and a file name as Go did', () => {
    expect(rebaseUrl('https://mirror.example.com/pkgs', 'a_1_u.gz')).toBe('https://mirror.example.com/pkgs/a_1_u.gz');
    expect(rebaseUrl('https://m.example.com', 'a b.gz')).toBe('https://m.example.com/a%20b.gz');
    expect(rebaseUrl('https://m.example.com/x/?k=v', 'f')).toBe('https://m.example.com/x/f?k=v');
  });

  it('formats counter lines like the original', () => {
    expect(counterLine(0, 1024)).toBe('0 B / 1024 B  0.00 % ');
    expect(counterLine(1536, 3 * 1024 * 1024)).toBe('1.50 KB / 3.00 MB  0.05 % ');
    expect(counterLine(0, 0)).toBe('0 B ');
    expect(counterLine(1024 * 1024 * 1024 * 5, 1024 ** 4 * 2, 1000)).toBe('5.00 GB / 2.00 TB  0.24 % 6m48s');
  });
});

describe('package create bulk', () => {
  it('registers the packages of a download folder under --base-url', async () => {
    server = await startRecordingServer({ 'POST /_ah/api/update/v1/apps/[^/]+/packages/[^/]+': { body: stored() } });
    await mkdir(join(work, 'dl'));
    const info = { appId: APP_ID, dateCreated: '2014-05-02T17:15:06.000Z', sha1Sum: SHA1, sha256Sum: SHA256, size: '1024', url: 'http://h/files/update.gz', version: '1.1.0' };
    await writeFile(join(work, 'dl', `${APP_ID}_1.1.0_info.json`), JSON.stringify(info));
    await writeFile(join(work, 'dl', `${APP_ID}_1.1.0_update.gz`), PAYLOAD);
    const r = await runCli([...asAdmin(server.url), 'package', 'create', 'bulk', '--dir=dl', '--base-url=https://mirror.example.com/pkgs'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe(
      `TS Creating package with AppId=${APP_ID} and Version=1.1.0\n` +
        'TS Package metadata uploaded. Total=1 Errors=0\n' +
        'TS Please upload payloads to https://mirror.example.com/pkgs.\n',
    );
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.path).toBe(PKG_PATH);
    expect(server.requests[0]!.json).toEqual({ ...info, url: `https://mirror.example.com/pkgs/${APP_ID}_1.1.0_update.gz` });
  });

  it('counts files it cannot read as errors', async () => {
    server = await startRecordingServer({});
    await writeFile(join(work, 'x_info.json'), '{not json');
    const r = await runCli([...asAdmin(server.url), 'package', 'create', 'bulk'], { cwd: work });
    expect(r.code).toBe(0);
    expect(maskStamps(r.stderr)).toBe(
      "TS Error while creating package. Error=invalid character 'n' looking for beginning of object key string\n" +
        'TS Package metadata uploaded. Total=1 Errors=1\n',
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('package download', () => {
  async function downloadServer(payload: Buffer, pkg: Record<string, unknown> = {}) {
    let base = '';
    const s = await startRecordingServer({
      'GET /_ah/api/update/v1/public/packages': () => ({
        body: { items: [{ AppId: APP_ID, packages: [stored({ url: `${base}/files/update.gz`, ...pkg })] }] },
      }),
      'GET /files/update.gz': { body: payload, contentType: 'application/octet-stream' },
    });
    base = s.url;
    return s;
  }

  it('saves verified payloads with their metadata, printing the original counter lines', async () => {
    server = await downloadServer(PAYLOAD);
    const r = await runCli([...asAdmin(server.url), 'package', 'download', '--dir=dl'], { cwd: work });
    expect(r).toEqual({
      code: 0,
      stdout: '\r0 B / 1024 B  0.00 % \r1024 B / 1024 B  100.00 % \n',
      stderr: expect.stringMatching(/^\S+ \S+ Downloading 1 packages\.\n$/),
    });
    expect(server.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /_ah/api/update/v1/public/packages', 'GET /files/update.gz']);
    expect(server.requests[1]!.headers.authorization).toBeUndefined();
    expect((await readdir(join(work, 'dl'))).sort()).toEqual([`${APP_ID}_1.1.0_info.json`, `${APP_ID}_1.1.0_update.gz`]);
    expect(await readFile(join(work, 'dl', `${APP_ID}_1.1.0_update.gz`))).toEqual(PAYLOAD);
    expect(await readFile(join(work, 'dl', `${APP_ID}_1.1.0_info.json`), 'utf8')).toBe(
      `{"appId":"${APP_ID}","dateCreated":"2014-05-02T17:15:06.000Z","sha1Sum":"${SHA1}","sha256Sum":"${SHA256}","size":"1024","url":"${server.url}/files/update.gz","version":"1.1.0"}`,
    );
  });

  it('skips a payload that is already present and valid', async () => {
    server = await downloadServer(PAYLOAD);
    await mkdir(join(work, 'dl'));
    await writeFile(join(work, 'dl', `${APP_ID}_1.1.0_update.gz`), PAYLOAD);
    const r = await runCli([...asAdmin(server.url), 'package', 'download', '--dir=dl'], { cwd: work });
    expect(r.code).toBe(0);
    expect(server.requests.map((q) => q.path)).toEqual(['/_ah/api/update/v1/public/packages']);
    expect(existsSync(join(work, 'dl', `${APP_ID}_1.1.0_info.json`))).toBe(true);
  });

  it('replaces a present but corrupt payload', async () => {
    server = await downloadServer(PAYLOAD);
    await mkdir(join(work, 'dl'));
    await writeFile(join(work, 'dl', `${APP_ID}_1.1.0_update.gz`), Buffer.alloc(1024));
    const r = await runCli([...asAdmin(server.url), 'package', 'download', '--dir=dl'], { cwd: work });
    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(await readFile(join(work, 'dl', `${APP_ID}_1.1.0_update.gz`))).toEqual(PAYLOAD);
  });

  it('fails on a bad SHA-1 and keeps no bad file', async () => {
    const tampered = Buffer.from(PAYLOAD);
    tampered[10] = 0x21;
    server = await downloadServer(tampered);
    const r = await runCli([...asAdmin(server.url), 'package', 'download', '--dir=dl'], { cwd: work });
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe(
      'TS Downloading 1 packages.\n' +
        `TS Error while downloading. AppId=${APP_ID}, Version=1.1.0, URL=${server.url}/files/update.gz, ` +
        `Error=SHA1 sums do not match: package says ${SHA1}, download has ${sha('sha1', tampered)}\n`,
    );
    expect(await readdir(join(work, 'dl'))).toEqual([]);
  });

  it('fails on a short payload', async () => {
    server = await downloadServer(PAYLOAD.subarray(0, 100));
    const r = await runCli([...asAdmin(server.url), 'package', 'download', '--dir=dl'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error=Download size does not match package size. 100 != 1024\n');
    expect(await readdir(join(work, 'dl'))).toEqual([]);
  });

  it('filters by app id, version and minimum version', async () => {
    const list = {
      items: [
        { AppId: 'a', packages: [stored({ appId: 'a', version: '1.0.0', url: 'ftp://x/1' }), stored({ appId: 'a', version: '2.0.0-rc.1', url: 'ftp://x/2' })] },
        { AppId: 'b', packages: [stored({ appId: 'b', version: '3.0.0', url: 'ftp://x/3' })] },
      ],
    };
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/public/packages': { body: list } });
    const count = async (...flags: string[]) => {
      const r = await runCli([...asAdmin(server!.url), 'package', 'download', '--dir=dl', ...flags], { cwd: work });
      return /Downloading (\d+) packages/.exec(r.stderr)?.[1];
    };
    expect(await count()).toBe('3');
    expect(await count('--app-id=a')).toBe('2');
    expect(await count('--version=3.0.0')).toBe('1');
    expect(await count('--min-version=2.0.0')).toBe('1');
    expect(await count('--min-version=2.0.0-beta')).toBe('2');
    expect(await count('--app-id=')).toBe('0');
  });

  it('prints only the final counter line when nothing matches', async () => {
    server = await downloadServer(PAYLOAD);
    const r = await runCli([...asAdmin(server.url), 'package', 'download', '--dir=dl', '--app-id=other'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('\r0 B \n');
    expect(maskStamps(r.stderr)).toBe('TS Downloading 0 packages.\n');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects --version together with --min-version', async () => {
    const r = await runCli(['package', 'download', '--dir=dl', '--version=1.0.0', '--min-version=1.0.0'], { cwd: work });
    expect(r.code).toBe(2);
    expect(maskStamps(r.stderr)).toBe('TS Please use either -version or -min-version, but not both.\n');
  });

  it('draws a terminal bar on stderr, and nothing on stdout, when stderr is a TTY', async () => {
    server = await downloadServer(PAYLOAD);
    let stdout = '';
    let stderr = '';
    const client = new ApiClient({ server: server.url, user: 'admin', key: 'k' });
    const code = await downloadPackages(
      { dir: join(work, 'dl') },
      {
        client,
        cwd: work,
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t), isTTY: true },
        log: () => undefined,
      },
    );
    await client.close();
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('100%');
    expect(stderr).toContain('1024 B / 1024 B');
  });
});

/** Splits a multipart/form-data body into its parts' headers and contents. */
function parseMultipart(req: RecordedRequest): { headers: Record<string, string>; content: Buffer }[] {
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(String(req.headers['content-type']))?.[1];
  expect(boundary).toMatch(/^[0-9a-f]{60}$/);
  const delimiter = Buffer.from(`--${boundary}`);
  const body = req.body;
  expect(body.subarray(0, delimiter.length)).toEqual(delimiter);
  expect(body.subarray(body.length - delimiter.length - 4).toString()).toBe(`${delimiter}--\r\n`);
  const parts: { headers: Record<string, string>; content: Buffer }[] = [];
  let at = delimiter.length + 2;
  for (;;) {
    const end = body.indexOf(Buffer.from(`\r\n${delimiter}`), at);
    if (end < 0) break;
    const part = body.subarray(at, end);
    const split = part.indexOf('\r\n\r\n');
    const headers = Object.fromEntries(
      part
        .subarray(0, split)
        .toString()
        .split('\r\n')
        .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]),
    );
    parts.push({ headers, content: part.subarray(split + 4) });
    at = end + 2 + delimiter.length + 2;
  }
  return parts;
}

describe('package upload', () => {
  it('streams the file as multipart field "file"', async () => {
    server = await startRecordingServer({ 'POST /package-upload': { body: '', contentType: 'text/plain' } });
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 'x');
    big.write('"quoted"\r\n--not-a-boundary', 1000);
    await writeFile(join(work, 'up"date.gz'), big);
    const r = await runCli([...asAdmin(server.url), 'package', 'upload', '--file=up"date.gz'], { cwd: work });
    expect(r).toEqual({ code: 0, stdout: 'uploaded file up"date.gz\n', stderr: '' });
    const req = server.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: '/package-upload' });
    expect(req.headers['transfer-encoding']).toBe('chunked');
    expect(req.headers.authorization).toMatch(/^Hawk id="admin", mac="[^"]+", ts="\d+", nonce="[^"]{8}"$/);
    const parts = parseMultipart(req);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.headers).toEqual({
      'content-disposition': 'form-data; name="file"; filename="up\\"date.gz"',
      'content-type': 'application/octet-stream',
    });
    expect(parts[0]!.content.equals(big)).toBe(true);
  });

  it('prints the original message and usage without --file', async () => {
    const r = await runCli(['package', 'upload']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('error uploading file\nmissing file argumentNAME:\n\tpackage upload - ')).toBe(true);
  });

  it('shows the server reply when the upload is refused', async () => {
    server = await startRecordingServer({ 'POST /package-upload': { status: 403, body: 'uploads disabled', contentType: 'text/plain' } });
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    const r = await runCli([...asAdmin(server.url), 'package', 'upload', '--file=update.gz'], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stdout.startsWith('error uploading file\nerror uploading file uploads disabledNAME:\n')).toBe(true);
  });

  it('reports a missing file without sending anything', async () => {
    server = await startRecordingServer({});
    const r = await runCli([...asAdmin(server.url), 'package', 'upload', '--file=nope.gz'], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stdout.startsWith(`error uploading file\nopen ${join(work, 'nope.gz')}: no such file or directoryNAME:`)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('uploads every regular file of a folder', async () => {
    server = await startRecordingServer({ 'POST /package-upload': { body: '', contentType: 'text/plain' } });
    await mkdir(join(work, 'pay', 'sub'), { recursive: true });
    await writeFile(join(work, 'pay', 'b.gz'), 'bbb');
    await writeFile(join(work, 'pay', 'a.gz'), 'aa');
    const r = await runCli([...asAdmin(server.url), 'package', 'upload', 'bulk', '--dir=pay'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('uploaded a.gz\nuploaded b.gz\n');
    expect(maskStamps(r.stderr)).toBe('TS Package payloads uploaded. Total=2 Errors=0\n');
    expect(server.requests.map((q) => parseMultipart(q)[0]!.content.toString())).toEqual(['aa', 'bbb']);
  });

  it('requires --dir for a bulk upload', async () => {
    const r = await runCli(['package', 'upload', 'bulk']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl package upload bulk [OPTION]...');
  });
});
