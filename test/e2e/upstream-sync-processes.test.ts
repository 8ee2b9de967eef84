// Upstream sync between two running services (issue #4, item 5), each a
// `serve` child with its own data dir: B syncs from A every second
// (`--upstream-sync-interval=1`) after `upstream create --url=<A>`. With the
// same app id on both, A's published channel and its package appear on B
// without anyone calling `upstream sync`, as a channel that follows A
// (unpublished, `upstream` = A's URL); when A promotes a new version, B
// follows on its own. `upstream sync` on demand still answers `Status: ok`.
// Everything is done and read through our CLI, each call its own process.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, table } from './helpers.js';
import { eventually, processCli, snapshotCli, startServe, stopAll, type CliSnapshot, type ProcessCli, type ServeProcess } from './processes.js';

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const KEY_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const KEY_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
/** B syncs every second; allow for a loaded machine, where each CLI call (a process) takes seconds. */
const FOLLOW_TIMEOUT_MS = 30_000;

const payloads = { '1.0.0': randomBytes(1000), '1.1.0': randomBytes(2000) } as const;
type Version = keyof typeof payloads;
const urlOf = (v: Version) => `https://packages.example.com/app/${v}/update.gz`;
const hash = (algo: string, v: Version) => createHash(algo).update(payloads[v]).digest('base64');

type Cell = string | number | boolean;
const packages = (...versions: Version[]) => table([['Version', 'URL', 'Size'], ...versions.map((v): Cell[] => [v, urlOf(v), payloads[v].length])]);
const channels = (...rows: Cell[][]) => table([['Label', 'Version', 'Publish', 'Upstream'], ...rows]);

describe('e2e: upstream sync between two serve processes', { timeout: 90_000 }, () => {
  let snapshot: CliSnapshot;
  let work: string;
  let a: ServeProcess;
  let b: ServeProcess;
  let cliA: ProcessCli;
  let cliB: ProcessCli;

  beforeAll(async () => {
    snapshot = await snapshotCli();
    work = await mkdtemp(path.join(tmpdir(), 'us-e2e-upstream-'));
    await Promise.all([mkdir(path.join(work, 'a')), mkdir(path.join(work, 'b'))]);
    [a, b] = await Promise.all([
      startServe(snapshot.bin, { dataDir: path.join(work, 'a'), adminKey: KEY_A }),
      startServe(snapshot.bin, { dataDir: path.join(work, 'b'), adminKey: KEY_B, extra: ['--upstream-sync-interval=1'] }),
    ]);
    cliA = processCli(snapshot.bin, a.url, KEY_A, work);
    cliB = processCli(snapshot.bin, b.url, KEY_B, work);
    for (const v of Object.keys(payloads) as Version[]) await writeFile(path.join(work, `update-${v}.gz`), payloads[v]);
  });
  afterAll(async () => {
    await stopAll();
    await Promise.all([work && rm(work, { recursive: true, force: true }), snapshot?.remove()]);
  });

  /** Polls B's listing until it is exactly `want`, then checks the whole result. */
  async function onB(what: string, argv: string[], want: string): Promise<void> {
    let seen = '';
    const r = await eventually(
      `B: ${what}`,
      async () => {
        const r = await cliB(...argv);
        seen = r.stdout + r.stderr;
        return r.stdout === want ? r : undefined;
      },
      FOLLOW_TIMEOUT_MS,
      () => seen,
    );
    expectOk(r, want);
  }

  async function publishOnA(v: Version): Promise<void> {
    const r = await cliA('package', 'create', `--app-id=${APP_ID}`, `--version=${v}`, `--file=update-${v}.gz`, `--url=${urlOf(v)}`);
    const sent = { sha1Sum: hash('sha1', v), sha256Sum: hash('sha256', v), size: String(payloads[v].length), url: urlOf(v) };
    expectOk(r, JSON.stringify(sent, null, 1) + '\n' + table([['Version', 'URL', 'Size'], [v, urlOf(v), payloads[v].length]]));
  }

  it('A: the app, package 1.0.0 and the published channel stable at 1.0.0', async () => {
    const app = table([['Id', 'Label', 'Description'], [APP_ID, 'Example', '']]);
    expectOk(await cliA('app', 'create', `--app-id=${APP_ID}`, '--label=Example'), app);
    await publishOnA('1.0.0');
    expectOk(await cliA('channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.0.0', '--publish'), channels(['stable', '1.0.0', true, '']));
  });

  it('B: the same app id, nothing else yet; A registered as its upstream', async () => {
    expectOk(await cliB('app', 'create', `--app-id=${APP_ID}`, '--label=Example'), table([['Id', 'Label', 'Description'], [APP_ID, 'Example', '']]));
    expectOk(await cliB('package', 'list', `--app-id=${APP_ID}`), packages());
    expectOk(await cliB('channel', 'list', `--app-id=${APP_ID}`), channels());
    const r = await cliB('upstream', 'create', `--url=${a.url}`, '--label=A');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const id = /^[0-9a-f-]{36}/.exec(r.stdout.split('\n')[1] ?? '')?.[0];
    expect(id).toBeDefined();
    expectOk(r, table([['Id', 'Url', 'Label'], [id!, a.url, 'A']]));
  });

  it(
    'B, on its own: A\'s package and a channel that follows A at 1.0.0',
    async () => {
      await onB('package 1.0.0', ['package', 'list', `--app-id=${APP_ID}`], packages('1.0.0'));
      await onB('channel stable at 1.0.0, following A', ['channel', 'list', `--app-id=${APP_ID}`], channels(['stable', '1.0.0', false, a.url]));
    },
    FOLLOW_TIMEOUT_MS * 2 + 30_000,
  );

  it(
    'A promotes 1.1.0: B gets its package and moves its channel on its own',
    async () => {
      await publishOnA('1.1.0');
      expectOk(await cliA('channel', 'update', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.1.0', '--publish'), channels(['stable', '1.1.0', true, '']));
      await onB('channel stable at 1.1.0', ['channel', 'list', `--app-id=${APP_ID}`], channels(['stable', '1.1.0', false, a.url]));
      await onB('packages 1.1.0 and 1.0.0', ['package', 'list', `--app-id=${APP_ID}`], packages('1.1.0', '1.0.0'));
    },
    FOLLOW_TIMEOUT_MS * 2 + 30_000,
  );

  it('upstream sync on demand: Status: ok, nothing left to sync', async () => {
    expectOk(await cliB('upstream', 'sync'), 'Status: ok\nDetail: synced 0 channels, 0 packages\n');
    expectOk(await cliB('channel', 'list', `--app-id=${APP_ID}`), channels(['stable', '1.1.0', false, a.url]));
  });

  it('both services are still up, with nothing on stderr', () => {
    for (const s of [a, b]) {
      expect(s.child.exitCode).toBeNull();
      expect(s.stderr()).toBe('');
    }
  });
});
