// Seed 000 ("Getting started with the update service") end to end, with real
// processes (issue #4, "Done when"): our built CLI against a `serve` child,
// 10 `instance fake` clients at 1.0.0 in another child, a 1.4.0 rate limit,
// the channel promoted to 1.1.0, and the clients converging on it no faster
// than the limit allows. Sped up: checks every 1–2 s instead of 30–60 s, and
// 2 updates per 5 s instead of per 60 s.
//
// The rate limit as the service defines it (storage-sqlite.ts grant(),
// decide.ts step 4): a new grant at time `now` is allowed while fewer than
// updateCount grants of the group have `granted_at > now - updateInterval`.
// A sliding window, so with updateCount=2 the grants g0 ≤ g1 ≤ … satisfy
// g[i+2] - g[i] ≥ 5000 ms exactly; the test reads them from the service's
// database and asserts that. On the clients' side each
// `updated from 1.0.0 to 1.1.0` line follows its grant by the two 1-second
// pauses between the download/install events plus a few requests, so the
// lines keep the same spacing less that delay's jitter: no three of them are
// read within 5 s - JITTER_MS.
//
// Deviations from the seed's command lines, each for determinism:
// - `--min-sleep=1 --max-sleep=2`, `--update-interval=5`: the speed-up.
// - `--errorrate=-1`: the seed runs with the default 1, under which a step
//   fails now and then (a draw from 0..99 <= 1) and the update is abandoned;
//   the instance's next check is then re-granted the same update (server.md
//   step 2, not a new grant, not rate limited), so its line could come at any
//   time and the lines would no longer show the limit. -1 never fails.
// - `group versions --resolution=3600`: hour buckets, so the test need not
//   wait for a fresh minute bucket to see all 10 on 1.1.0.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../src/server/db/connect.js';
import { expectOk, table } from './helpers.js';
import { eventually, processCli, snapshotCli, startCli, startServe, stopAll, type CliSnapshot, type LongRunning, type ProcessCli, type ServeProcess } from './processes.js';

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const KEY = 'd3b07384d113edec49eaa6238ad5ff00';
const CLIENTS = 10;
const UPDATE_COUNT = 2;
const UPDATE_INTERVAL_S = 5;
/** Bound on the whole rollout: 10 grants at 2 per 5 s take about 20 s. */
const ROLLOUT_TIMEOUT_MS = 60_000;
/** Allowed spread of the delay between a grant and its client's line (nominally 2 s + a few requests). */
const JITTER_MS = 2000;
const PACKAGE_URL = 'https://fakepackage.local/update-1.1.0.gz';

const ID = /^deadbeef[0-9a-f]{24}$/;
const b64 = (algo: string) => createHash(algo).update(Buffer.alloc(0)).digest('base64');

interface Grant {
  instance_id: string;
  version: string;
  granted_at: number;
}

// Each CLI call is a process of its own: on a loaded 2-core machine one takes seconds.
describe('e2e: seed 000 walkthrough with real processes (sped up: 2 updates per 5 s)', { timeout: 90_000 }, () => {
  let snapshot: CliSnapshot;
  let work: string;
  let dataDir: string;
  let serve: ServeProcess;
  let cli: ProcessCli;
  let fake: LongRunning;
  /** The 10 machine ids of the fleet, from their noupdate lines. */
  let fleet: string[] = [];
  let promotedAt = 0;

  beforeAll(async () => {
    snapshot = await snapshotCli();
    work = await mkdtemp(path.join(tmpdir(), 'us-e2e-seed000-'));
    dataDir = path.join(work, 'data');
    serve = await startServe(snapshot.bin, { dataDir, adminKey: KEY });
    cli = processCli(snapshot.bin, serve.url, KEY, work);
  });
  afterAll(async () => {
    await stopAll();
    await Promise.all([work && rm(work, { recursive: true, force: true }), snapshot?.remove()]);
  });

  /** The grants of the group, oldest first, from the service's database. */
  function grants(): Grant[] {
    const db = new BetterSqlite3(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return db
        .prepare('SELECT instance_id, version, granted_at FROM grants WHERE app_id = ? AND group_id = ? ORDER BY granted_at, instance_id')
        .all(APP_ID, 'fake1') as Grant[];
    } finally {
      db.close();
    }
  }

  const updatedLine = (id: string) => `${id}: updated from 1.0.0 to 1.1.0`;
  const updatedLines = () => fake.stdout.lines.filter((l) => l.text.includes(': updated from '));

  it('creates the application, the master channel at 1.0.0 and the group', async () => {
    const apps = table([['Id', 'Label', 'Description'], [APP_ID, 'FakeApp', 'Fake app for testing']]);
    expectOk(await cli('app', 'create', `--app-id=${APP_ID}`, '--label=FakeApp', '--description=Fake app for testing'), apps);
    expectOk(await cli('app', 'list'), apps);
    expectOk(
      await cli('channel', 'create', `--app-id=${APP_ID}`, '--channel=master', '--version=1.0.0'),
      table([['Label', 'Version', 'Publish', 'Upstream'], ['master', '1.0.0', false, '']]),
    );
    expectOk(
      await cli('group', 'create', `--app-id=${APP_ID}`, '--channel=master', '--group-id=fake1', '--label=Fake Clients'),
      table([
        ['Label', 'App', 'Channel', 'Id', 'Updates Paused', 'Percent', 'Rollout Active'],
        ['Fake Clients', APP_ID, 'master', 'fake1', false, 100, false],
      ]),
    );
  });

  it('publishes the empty `touch`ed update-1.1.0.gz as package 1.1.0 (size 0)', async () => {
    await writeFile(path.join(work, 'update-1.1.0.gz'), '');
    const sent = { sha1Sum: b64('sha1'), sha256Sum: b64('sha256'), size: '0', url: PACKAGE_URL };
    expectOk(
      await cli('package', 'create', `--app-id=${APP_ID}`, '--version=1.1.0', '--file=update-1.1.0.gz', `--url=${PACKAGE_URL}`),
      JSON.stringify(sent, null, 1) + '\n' + table([['Version', 'URL', 'Size'], ['1.1.0', PACKAGE_URL, 0]]),
    );
  });

  it('starts 10 fake clients at 1.0.0: each prints `<id>: noupdate`', async () => {
    fake = startCli(snapshot.bin, serve.url, KEY, work, [
      'instance',
      'fake',
      `--clients-per-app=${CLIENTS}`,
      '--min-sleep=1',
      '--max-sleep=2',
      `--app-id=${APP_ID}`,
      '--group-id=fake1',
      '--version=1.0.0',
      '--errorrate=-1',
    ]);
    const ids = () => new Set(fake.stdout.lines.map((l) => /^(\S+): noupdate$/.exec(l.text)?.[1]).filter((id) => id !== undefined));
    await fake.stdout.waitFor('noupdate from 10 clients', () => ids().size === CLIENTS, 30_000);
    fleet = [...ids()].sort();
    for (const id of fleet) expect(id).toMatch(ID);
    for (const l of fake.stdout.lines) expect(l.text).toMatch(/^deadbeef[0-9a-f]{24}: noupdate$/);
    expect(fake.stderr()).toBe('');

    const versions = table([['AppID', 'GroupID', 'Version', 'Clients'], [APP_ID, 'fake1', '1.0.0', CLIENTS]]);
    // instance reports are written in batches: wait for the last of the ten
    const last = await eventually('10 clients on 1.0.0 in list-app-versions', async () => {
      const r = await cli('instance', 'list-app-versions', `--app-id=${APP_ID}`);
      return r.stdout === versions ? r : undefined;
    }, 30_000);
    expectOk(last, versions);
  });

  it('group update --update-count=2 --update-interval=5 prints the 1.4.0 table line', async () => {
    const r = await cli(
      'group',
      'update',
      `--app-id=${APP_ID}`,
      '--group-id=fake1',
      '--channel=master',
      `--update-count=${UPDATE_COUNT}`,
      `--update-interval=${UPDATE_INTERVAL_S}`,
    );
    // header, the blank line that closes its tabwriter block, then the seed's line
    expectOk(
      r,
      table([['Label', 'App', 'Channel', 'Id', 'Paused', 'Count', 'Interval']]) +
        '\n' +
        table([['Fake Clients', APP_ID, 'master', 'fake1', false, UPDATE_COUNT, UPDATE_INTERVAL_S]]),
    );
    expect(r.stdout.split('\n')[2]).toBe(`Fake Clients\t${APP_ID}\tmaster\tfake1\tfalse\t2\t5`);
  });

  it('channel update --version=1.1.0 promotes the release', async () => {
    expect(updatedLines()).toEqual([]);
    expect(grants()).toEqual([]);
    promotedAt = Date.now();
    expectOk(
      await cli('channel', 'update', `--app-id=${APP_ID}`, '--channel=master', '--version=1.1.0'),
      table([['Label', 'Version', 'Publish', 'Upstream'], ['master', '1.1.0', false, '']]),
    );
  });

  it(
    'the clients print `updated from 1.0.0 to 1.1.0` at no more than 2 per 5 s until all 10 have',
    async () => {
      await fake.stdout.waitFor(`${CLIENTS} updated lines`, () => updatedLines().length >= CLIENTS, ROLLOUT_TIMEOUT_MS);
      const lines = updatedLines();
      // each client once, with the seed's text
      expect(lines.map((l) => l.text).sort()).toEqual(fleet.map(updatedLine));
      expect(fake.stderr()).toBe('');
      // the other lines are the held-back clients' noupdate
      for (const l of fake.stdout.lines) if (!l.text.includes(': updated from ')) expect(l.text).toMatch(/^deadbeef[0-9a-f]{24}: noupdate$/);

      // The service: one grant per client, never a third within the interval of two others.
      const g = grants();
      expect(g.map((x) => x.instance_id).sort()).toEqual(fleet);
      expect(g.every((x) => x.version === '1.1.0')).toBe(true);
      expect(g[0]!.granted_at).toBeGreaterThanOrEqual(promotedAt);
      const gaps = g.slice(2).map((x, i) => x.granted_at - g[i]!.granted_at);
      expect(gaps.filter((d) => d < UPDATE_INTERVAL_S * 1000), `grant times (ms after the first): ${g.map((x) => x.granted_at - g[0]!.granted_at)}`).toEqual([]);

      // The clients: a line comes after its grant and the two 1 s pauses of the update steps...
      const grantOf = new Map(g.map((x) => [x.instance_id, x.granted_at]));
      for (const l of lines) {
        const id = l.text.split(':')[0]!;
        expect(l.at - grantOf.get(id)!, `line of ${id} after its grant`).toBeGreaterThanOrEqual(1900);
      }
      // ...so, counted as the test reads them, no three lines within 5 s less the delay's jitter.
      const read = lines.map((l) => l.at).sort((a, b) => a - b);
      const lineGaps = read.slice(2).map((t, i) => t - read[i]!);
      expect(
        lineGaps.filter((d) => d < UPDATE_INTERVAL_S * 1000 - JITTER_MS),
        `lines read at (ms after promotion): ${read.map((t) => t - promotedAt)}`,
      ).toEqual([]);
      // and the rollout took the 4 windows that 10 updates at 2 per window need
      expect(read.at(-1)! - read[0]!).toBeGreaterThanOrEqual(4 * UPDATE_INTERVAL_S * 1000 - JITTER_MS);
    },
    ROLLOUT_TIMEOUT_MS + 30_000,
  );

  it('instance list-app-versions and group versions show the move to 1.1.0', async () => {
    const versions = table([['AppID', 'GroupID', 'Version', 'Clients'], [APP_ID, 'fake1', '1.1.0', CLIENTS]]);
    let seen = '';
    const r = await eventually(
      '10 clients on 1.1.0 in list-app-versions',
      async () => {
        const r = await cli('instance', 'list-app-versions', `--app-id=${APP_ID}`);
        seen = r.stdout + r.stderr;
        return r.stdout === versions ? r : undefined;
      },
      30_000,
      () => seen,
    );
    expectOk(r, versions);

    // Per hour bucket: distinct clients per version. Every client reported 1.0.0 in some
    // bucket, and (once each has checked in on 1.1.0 within one bucket) 1.1.0 counts all 10.
    type Row = { version: string; bucket: number; count: number };
    const rows = await eventually(
      'a bucket with all 10 on 1.1.0 in group versions',
      async () => {
        const r = await cli('group', 'versions', `--app-id=${APP_ID}`, '--group-id=fake1', '--resolution=3600');
        seen = r.stdout + r.stderr;
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('');
        const [header, ...body] = r.stdout.trimEnd().split('\n');
        expect(header).toBe('Version\tTimestamp\tCount');
        const rows: Row[] = body.map((line) => {
          const [version, bucket, count] = line.split(/\t+/);
          return { version: version!, bucket: Number(bucket), count: Number(count) };
        });
        return rows.some((x) => x.version === '1.1.0' && x.count === CLIENTS) ? rows : undefined;
      },
      30_000,
      () => seen,
    );
    for (const x of rows) {
      expect(['1.0.0', '1.1.0']).toContain(x.version);
      expect(x.bucket % 3600).toBe(0);
      expect(x.count).toBeLessThanOrEqual(CLIENTS);
    }
    const total = (v: string) => rows.filter((x) => x.version === v).reduce((n, x) => n + x.count, 0);
    expect(total('1.0.0')).toBeGreaterThanOrEqual(CLIENTS);
    const first = (v: string) => Math.min(...rows.filter((x) => x.version === v).map((x) => x.bucket));
    expect(first('1.0.0')).toBeLessThanOrEqual(first('1.1.0'));
  });

  it('the fake clients stop on SIGTERM; serve keeps running', async () => {
    await fake.stop();
    expect(fake.child.exitCode).toBe(0);
    expect(serve.child.exitCode).toBeNull();
    expect(serve.stderr()).toBe('');
  });
});
