import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { linearFrames } from '../../src/cli/commands/rollout.js';
import { startRecordingServer, type RecordingServer, type Routes } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const ROLLOUT = `/_ah/api/update/v1/apps/${APP}/groups/fake1/rollout`;
const REF = [`--app-id=${APP}`, '--group-id=fake1'];

/**
 * SHA-256 of the `rollout` array the original sent for the default linear
 * rollout (frame size 60 s over 86400 s: 1441 frames), as compact JSON.
 */
const DEFAULT_ROLLOUT_SHA256 = '4245efba71d1ed05a1fd1ab1a6d79725c75d53c313cecaa72963da9c278c54a9';

let server: RecordingServer;
afterEach(() => server?.close());

async function serve(routes: Routes): Promise<RecordingServer> {
  server = await startRecordingServer(routes);
  return server;
}

const rollout = (...args: string[]) => runCli([...asAdmin(server.url), 'rollout', ...args]);

describe('linearFrames', () => {
  it('steps evenly and ends with a 100% frame without duration', () => {
    expect(linearFrames(3600, 14400)).toEqual([
      { duration: '3600', percent: 25 },
      { duration: '3600', percent: 50 },
      { duration: '3600', percent: 75 },
      { duration: '3600', percent: 100 },
      { percent: 100 },
    ]);
  });

  it('shortens the last step when the duration is not a multiple of the frame', () => {
    expect(linearFrames(180, 600)).toEqual([
      { duration: '180', percent: 25 },
      { duration: '180', percent: 50 },
      { duration: '180', percent: 75 },
      { duration: '60', percent: 100 },
      { percent: 100 },
    ]);
  });

  it('accumulates the percentage in floating point as the original did', () => {
    expect(JSON.stringify(linearFrames(100, 300))).toBe(
      '[{"duration":"100","percent":33.333333333333336},{"duration":"100","percent":66.66666666666667},{"duration":"100","percent":100},{"percent":100}]',
    );
  });

  it('gives the original 1441 frames for the defaults, to the last bit', () => {
    const frames = linearFrames(60, 86400);
    expect(frames).toHaveLength(1441);
    expect(frames.slice(0, 2)).toEqual([
      { duration: '60', percent: 0.06944444444444445 },
      { duration: '60', percent: 0.1388888888888889 },
    ]);
    expect(frames[5]).toEqual({ duration: '60', percent: 0.41666666666666663 });
    expect(frames.slice(-3)).toEqual([
      { duration: '60', percent: 99.9305555555537 },
      { duration: '60', percent: 99.99999999999814 },
      { percent: 100 },
    ]);
    expect(createHash('sha256').update(JSON.stringify(frames)).digest('hex')).toBe(DEFAULT_ROLLOUT_SHA256);
  });
});

describe('rollout create linear', () => {
  it('posts the default 1441-frame rollout and prints "rollout set"', async () => {
    await serve({ 'POST /_ah/api/update/v1/apps/[^/]+/groups/[^/]+/rollout': { body: { appId: APP, groupId: 'fake1', rollout: [] } } });
    const r = await rollout('create', 'linear', ...REF);
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'rollout set\n' });
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(ROLLOUT);
    expect(req.query.toString()).toBe('alt=json');
    const body = req.json as { appId: string; groupId: string; rollout: unknown[] };
    expect(body.appId).toBe(APP);
    expect(body.groupId).toBe('fake1');
    expect(body.rollout).toHaveLength(1441);
    expect(createHash('sha256').update(JSON.stringify(body.rollout)).digest('hex')).toBe(DEFAULT_ROLLOUT_SHA256);
  });

  it('takes --frame-size and --duration', async () => {
    await serve({});
    await rollout('create', 'linear', ...REF, '--frame-size=3600', '--duration=14400');
    expect(server.requests[0]!.json).toEqual({
      appId: APP,
      groupId: 'fake1',
      rollout: [
        { duration: '3600', percent: 25 },
        { duration: '3600', percent: 50 },
        { duration: '3600', percent: 75 },
        { duration: '3600', percent: 100 },
        { percent: 100 },
      ],
    });
  });

  it('refuses a zero or negative frame size or duration', async () => {
    await serve({});
    for (const bad of ['--frame-size=0', '--duration=0', '--frame-size=-60']) {
      const r = await rollout('create', 'linear', ...REF, bad);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('USAGE:\n\tupdateservicectl rollout create linear [OPTION]...');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('needs --app-id and --group-id', async () => {
    const r = await runCli(['rollout', 'create', 'linear', `--app-id=${APP}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('\t--frame-size=60\t');
    expect(r.stdout).toContain('\t--duration=86400\t');
  });

  it('rollout create has no flags of its own and only the linear subcommand', async () => {
    const r = await runCli(['rollout', 'create', ...REF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('flag provided but not defined: -app-id\n');
    expect([...r.stdout.matchAll(/^\t(rollout [\w ]+?)\t/gm)].map((m) => m[1])).toEqual(['rollout create linear']);
    expect(r.stdout).not.toContain('OPTIONS:');
  });
});

describe('rollout activate and deactivate', () => {
  it('activates', async () => {
    await serve({ 'POST .*/rollout/active': { body: { appId: APP, groupId: 'fake1', active: true } } });
    const r = await rollout('activate', ...REF);
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'rollout activated\n' });
    expect(server.requests[0]!.path).toBe(`${ROLLOUT}/active`);
    expect(server.requests[0]!.json).toEqual({ active: true });
  });

  it('deactivates with an explicit active false', async () => {
    await serve({ 'POST .*/rollout/active': { body: { appId: APP, groupId: 'fake1', active: false } } });
    const r = await rollout('deactivate', ...REF);
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'rollout deactivated\n' });
    expect(server.requests[0]!.json).toEqual({ active: false });
  });

  it("reports the state the server replied with, not the one asked for", async () => {
    await serve({ 'POST .*/rollout/active': { body: {} } });
    expect((await rollout('activate', ...REF)).stdout).toBe('rollout deactivated\n');
  });

  it('logs API errors', async () => {
    await serve({
      'POST .*': { status: 404, body: { error: { code: 404, message: 'group not found', errors: [{ reason: 'notFound', message: 'group not found' }] } } },
    });
    const r = await rollout('activate', ...REF);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe('TS googleapi: Error 404: group not found, notFound\n');
  });
});

describe('rollout (show)', () => {
  it('prints each frame with its percent (%f) and duration', async () => {
    await serve({
      'GET .*/rollout': {
        body: { appId: APP, groupId: 'fake1', rollout: [{ duration: '3600', percent: 33.333333333333336 }, { duration: '0', percent: 100 }, { percent: 100 }] },
      },
    });
    const r = await rollout(...REF);
    expect(server.requests[0]!.method).toBe('GET');
    expect(server.requests[0]!.path).toBe(ROLLOUT);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'rollout:\n' +
        'Frame 0:\tPercent:\t33.333333\n' +
        '\t\tDuration:\t3600\n' +
        'Frame 1:\tPercent:\t100.000000\n' +
        '\t\tDuration:\t0\n' +
        'Frame 2:\tPercent:\t100.000000\n' +
        '\t\tDuration:\t0\n',
    });
  });

  it('prints only the title for a group without rollout', async () => {
    await serve({ 'GET .*/rollout': { body: {} } });
    expect((await rollout(...REF)).stdout).toBe('rollout:\n');
  });

  it('without both flags, or with an unknown word, prints the family usage (exit 2)', async () => {
    for (const argv of [['rollout'], ['rollout', `--app-id=${APP}`], ['rollout', 'get', ...REF]]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('USAGE:\n\tupdateservicectl rollout \n');
      expect([...r.stdout.matchAll(/^\t(rollout \w+)\t/gm)].map((m) => m[1])).toEqual(['rollout create', 'rollout activate', 'rollout deactivate']);
      expect(r.stdout).toContain('\t--app-id=\t');
      expect(r.stdout).toContain('\t--group-id=\t');
    }
  });
});
