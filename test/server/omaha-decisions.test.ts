// The decision engine through the endpoint: pause, OEM blacklist, rate limit,
// percentage, rollouts, forced checks, re-grants; and what gets recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, type DecisionInput, type GroupPolicy } from '../../src/server/omaha/decide.js';
import { instanceBucket, rolloutPercent } from '../../src/server/omaha/rollout.js';
import { requests, type Shape } from './fixtures/omaha-requests.js';
import { APP_ID, describeEngines, startTestServer, type TestServer } from './helpers.js';
import { expectValidReply, machineId, postOmaha, setUpApp } from './omaha-helpers.js';

const baseGroup: GroupPolicy = {
  appId: 'a', id: 'g', paused: false, oemBlacklist: [], updatePercent: 100, updateCount: 0, updateInterval: 0,
  rolloutActive: false, rolloutStartedAt: null, frames: [],
};
const pkg = (version: string) => ({ version, url: `https://x/${version}/u.gz`, size: 1, sha1Sum: '', sha256Sum: '', metadataSignatureRsa: '', metadataSize: '', required: false });
const input = (over: Partial<DecisionInput> = {}, inst: Partial<DecisionInput['instance']> = {}, group: Partial<GroupPolicy> = {}): DecisionInput => ({
  now: 1_000_000,
  group: { ...baseGroup, ...group },
  channelVersion: '1.1.0',
  channelPackage: pkg('1.1.0'),
  instance: { machineId: 'm', version: '1.0.0', oem: '', onDemand: false, ...inst },
  ...over,
});

describe('decide() (pure)', () => {
  it('follows steps 1-7 in order', () => {
    expect(decide(input({ channelVersion: undefined }))).toEqual({ kind: 'noupdate', reason: 'no-channel' });
    expect(decide(input({ channelPackage: undefined }))).toEqual({ kind: 'noupdate', reason: 'no-package' });
    expect(decide(input({}, { version: '1.1' }))).toEqual({ kind: 'noupdate', reason: 'up-to-date' });
    expect(decide(input({}, { version: '1.1.0.1' })).kind).toBe('noupdate');
    expect(decide(input({}, {}, { paused: true }))).toEqual({ kind: 'noupdate', reason: 'paused' });
    // Re-grant beats pause and limits.
    expect(decide(input({ grantsInWindow: 99 }, { granted: { version: '1.1.0', pkg: pkg('1.1.0') } }, { paused: true, updateCount: 1, updateInterval: 60 })).kind).toBe('regrant');
    expect(decide(input({}, { oem: 'Azure' }, { oemBlacklist: ['azure'] }))).toEqual({ kind: 'noupdate', reason: 'oem-blacklisted' });
    expect(decide(input({}, { onDemand: true, oem: 'azure' }, { oemBlacklist: ['azure'] })).kind).toBe('noupdate');
    expect(decide(input({}, {}, { updatePercent: 0 }))).toEqual({ kind: 'noupdate', reason: 'percent' });
    expect(decide(input({}, { onDemand: true }, { updatePercent: 0, updateCount: 1, updateInterval: 60 }))).toMatchObject({ kind: 'grant', needsCount: false });
    expect(decide(input({}, {}, { updateCount: 2, updateInterval: 60 }))).toMatchObject({ kind: 'grant', needsCount: true });
    expect(decide(input({ grantsInWindow: 1 }, {}, { updateCount: 2, updateInterval: 60 }))).toMatchObject({ kind: 'grant', needsCount: false });
    expect(decide(input({ grantsInWindow: 2 }, {}, { updateCount: 2, updateInterval: 60 }))).toEqual({ kind: 'noupdate', reason: 'rate-limited' });
    // updateCount without an interval is no limit.
    expect(decide(input({}, {}, { updateCount: 2, updateInterval: 0 }))).toMatchObject({ kind: 'grant', needsCount: false });
    const rollout = { rolloutActive: true, rolloutStartedAt: 1_000_000, frames: [{ percent: 0, duration: 10 }, { percent: 100, duration: 10 }] };
    expect(decide(input({}, {}, rollout))).toEqual({ kind: 'noupdate', reason: 'rollout' });
    expect(decide(input({ now: 1_010_000 }, {}, rollout)).kind).toBe('grant');
  });

  it('rollout frames hold in turn from activation, the last one for ever', () => {
    const frames = [{ percent: 10, duration: 60 }, { percent: 50, duration: 60 }, { percent: 80, duration: 0 }];
    expect(rolloutPercent(frames, 0)).toBe(10);
    expect(rolloutPercent(frames, 59_999)).toBe(10);
    expect(rolloutPercent(frames, 60_000)).toBe(50);
    expect(rolloutPercent(frames, 10 * 86_400_000)).toBe(80);
    expect(rolloutPercent([], 0)).toBeUndefined();
  });

  it('the per-instance bucket is stable, per group, and a grown percentage keeps everyone in', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `machine-${i}`);
    const at = (p: number) => new Set(ids.filter((id) => instanceBucket('a', 'g', id) < p));
    const p10 = at(10);
    const p50 = at(50);
    expect(p10.size).toBeGreaterThan(120);
    expect(p10.size).toBeLessThan(280);
    for (const id of p10) expect(p50.has(id)).toBe(true);
    expect(instanceBucket('a', 'g', 'x')).toBe(instanceBucket('a', 'g', 'x'));
    expect(instanceBucket('a', 'g', 'x')).not.toBe(instanceBucket('a', 'h', 'x'));
  });
});

describeEngines('Omaha decisions through the endpoint', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await setUpApp(t.client, { version: '1.1.0' });
  });
  afterAll(async () => t?.close());

  const group = () => t.client.getGroup(APP_ID, 'fake1');
  const patch = async (fields: Record<string, unknown>) => t.client.patchGroup(APP_ID, 'fake1', { ...(await group()), ...fields });
  const check = async (s: Partial<Shape> & { machineId: string }, kind: 'fake' | 'ue' = 'fake') => {
    const full: Shape = { appId: APP_ID, version: '1.0.0', track: 'fake1', ...s };
    const body = kind === 'fake' ? requests.fakeCheck(full) : requests.updateEngineCheck(full);
    const [app] = expectValidReply(body, await postOmaha(t.url, body));
    return app!.updateCheck!.status;
  };

  it('pause holds back new grants, also forced ones; an unfinished grant is granted again', async () => {
    const early = machineId();
    expect(await check({ machineId: early })).toBe('ok');
    await patch({ updatesPaused: true });
    expect(await check({ machineId: machineId() })).toBe('noupdate');
    expect(await check({ machineId: machineId(), installSource: 'ondemandupdate' }, 'ue')).toBe('noupdate');
    expect(await check({ machineId: early })).toBe('ok'); // re-grant
    await patch({ updatesPaused: false });
  });

  it('OEM blacklist (update_engine sends oem="qemu", instance fake "fakeclient")', async () => {
    await patch({ oemBlacklist: 'azure, QEMU' });
    expect(await check({ machineId: machineId() }, 'ue')).toBe('noupdate');
    expect(await check({ machineId: machineId(), installSource: 'ondemandupdate' }, 'ue')).toBe('noupdate');
    expect(await check({ machineId: machineId() }, 'fake')).toBe('ok');
    await patch({ oemBlacklist: '' });
  });

  it('updatePercent: 0 holds back, a forced check skips it, a grown percentage keeps earlier instances', async () => {
    await patch({ updatePercent: 0 });
    expect(await check({ machineId: machineId() })).toBe('noupdate');
    expect(await check({ machineId: machineId(), installSource: 'ondemandupdate' }, 'ue')).toBe('ok');
    await patch({ updatePercent: 30 });
    const ids = Array.from({ length: 60 }, () => machineId());
    const at30 = new Set<string>();
    for (const id of ids) if ((await check({ machineId: id, version: '0.9.0' }, 'ue')) === 'ok') at30.add(id);
    expect(at30.size).toBeGreaterThan(5);
    expect(at30.size).toBeLessThan(40);
    await patch({ updatePercent: 70 });
    // Fresh machine ids at the same positions: the same machines must stay in (no grant state involved).
    for (const id of at30) expect(await check({ machineId: id, version: '0.9.0' }, 'ue')).toBe('ok');
    await patch({ updatePercent: 100 });
  });

  it('rate limit: updateCount per updateInterval; forced checks skip it; re-grants do not count', async () => {
    await patch({ updateCount: 1, updateInterval: 3600 });
    // Earlier tests granted in this group within the hour: start a fresh group.
    await t.client.insertGroup(APP_ID, { id: 'limited', label: 'Limited', channelId: 'stable', updateCount: 1, updateInterval: 3600 });
    const c = (id: string, src?: string) => check({ machineId: id, track: 'limited', ...(src ? { installSource: src } : {}) }, 'ue');
    const first = machineId();
    expect(await c(first)).toBe('ok');
    expect(await c(machineId())).toBe('noupdate');
    expect(await c(first)).toBe('ok');
    expect(await c(machineId(), 'ondemandupdate')).toBe('ok');
    expect(await c(machineId())).toBe('noupdate');
    await patch({ updateCount: 0, updateInterval: 0 });
  });

  it('a rollout follows its frames from activation', async () => {
    await t.client.insertGroup(APP_ID, { id: 'rolling', label: 'Rolling', channelId: 'stable' });
    await t.client.setRollout(APP_ID, 'rolling', { rollout: [{ percent: 0, duration: '1' }, { percent: 100, duration: '1' }] });
    const c = (id: string) => check({ machineId: id, track: 'rolling' }, 'ue');
    expect(await c(machineId())).toBe('ok'); // not active: updatePercent (100)
    await t.client.setRolloutActive(APP_ID, 'rolling', { active: true });
    const id = machineId();
    expect(await c(id)).toBe('noupdate');
    await new Promise((r) => setTimeout(r, 1100));
    expect(await c(id)).toBe('ok');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await c(machineId())).toBe('ok'); // the last frame holds
  });

  it('records the instance, its status and events; rollups and listings answer from them', async () => {
    const id = machineId();
    const s: Shape = { appId: APP_ID, version: '1.0.0', track: 'fake1', machineId: id };
    const send = async (body: string) => expectValidReply(body, await postOmaha(t.url, body));
    const status = async () =>
      (await t.server.omaha.flush(), await t.server.store.db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirstOrThrow());

    await send(requests.fakeCheck(s));
    expect(await status()).toMatchObject({ status: 'granted', granted_version: '1.1.0', version: '1.0.0', oem: 'fakeclient', group_id: 'fake1', ip: '127.0.0.1' });
    await send(requests.fakeEvent(s, 13, 1));
    expect((await status()).status).toBe('downloading');
    await send(requests.fakeEvent(s, 14, 1));
    expect((await status()).status).toBe('downloaded');
    await send(requests.updateEngineEvent(s, 3, 0, (1 << 28) | 7));
    expect(await status()).toMatchObject({ status: 'error', error_code: 7, granted_version: '1.1.0' });
    // After an error the same update is offered again (re-grant).
    const [again] = await send(requests.fakeCheck(s));
    expect(again!.updateCheck!.manifest!.version).toBe('1.1.0');
    await send(requests.fakeEvent(s, 3, 1));
    expect((await status()).status).toBe('installed');
    await send(requests.fakeEvent({ ...s, version: '1.1.0' }, 3, 2));
    expect(await status()).toMatchObject({ status: 'complete', granted_version: null, version: '1.1.0' });

    const history = await t.client.clientHistory(id);
    expect(history.items!.map((h) => `${h.eventType}/${h.eventResult}/${h.errorCode}/${h.version}`)).toEqual([
      '3/2//1.1.0', '3/1//1.0.0', '3/2//1.0.0', '3/0/7/1.0.0', '14/1//1.0.0', '13/1//1.0.0', '3/2//1.0.0',
    ]);
    expect(history.items![0]!.installSource).toBe('scheduler');
    const mine = await t.client.clientUpdates({ clientId: id });
    expect(mine.items).toEqual([expect.objectContaining({ clientId: id, version: '1.1.0', eventType: '3', eventResult: '2', errorCode: '', oem: 'fakeclient' })]);

    const now = Math.floor(Date.now() / 1000);
    const events = await t.client.rollupEvents(APP_ID, 'fake1', String(now - 600), String(now + 60), { resolution: '60' });
    const total = (type: string, result: string) =>
      events.items!.filter((i) => i.type === type && i.result === result).flatMap((i) => i.values!).reduce((n, v) => n + Number(v.count), 0);
    expect(total('3', '0')).toBeGreaterThanOrEqual(1);
    expect(total('13', '1')).toBeGreaterThanOrEqual(1);
    const versions = await t.client.rollupVersions(APP_ID, 'fake1', '0', '0', { resolution: '86400' });
    expect(versions.items!.map((i) => i.version)).toEqual(expect.arrayContaining(['1.1.0', '1.0.0']));
    const appVersions = await t.client.appVersions({ appId: APP_ID, groupId: 'fake1' });
    expect(appVersions.items!.find((i) => i.version === '1.1.0')!.count).toBeGreaterThanOrEqual(1);
    expect((await t.client.clientUpdateCount({ appId: APP_ID, groupId: 'fake1', version: '1.1.0' })).count).toBeGreaterThanOrEqual(1);
  });

  it('retention prunes old events, grants, rollups and instances not seen', async () => {
    await t.server.omaha.flush();
    const before = (await t.client.clientUpdateCount({})).count!;
    expect(before).toBeGreaterThan(0);
    // Nothing is older than 30 days yet.
    expect(await t.server.omaha.prune()).toEqual({ events: 0, instances: 0, grants: 0, rollups: 0 });
    const result = await t.server.omaha.prune(Date.now() + 31 * 86_400_000);
    expect(result!.instances).toBe(before);
    expect(result!.events).toBeGreaterThan(0);
    expect(result!.grants).toBeGreaterThan(0);
    expect((await t.client.clientUpdateCount({})).count).toBe(0);
  });
});
