import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordEvent } from '../../src/server/store/instances.js';
import { APP_ID, apiError, describeEngines, startTestServer, type TestServer } from './helpers.js';

describeEngines('groups, rollouts, rollups and instances', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.client.insertApp({ id: APP_ID, label: 'FakeApp' });
  });
  afterAll(async () => t?.close());

  it('creates groups with defaults and answers 404/409 in shape', async () => {
    const g = await t.client.insertGroup(APP_ID, { id: 'fake1', channelId: 'master', label: 'Fake Group 1' });
    expect(g).toEqual({
      appId: APP_ID,
      channelId: 'master',
      id: 'fake1',
      label: 'Fake Group 1',
      oemBlacklist: '',
      updatePercent: 100,
      updatesPaused: false,
      rolloutActive: false,
      updateCount: 0,
      updateInterval: 0,
      updatePooling: false,
    });
    const dup = await apiError(() => t.client.insertGroup(APP_ID, { id: 'fake1', channelId: 'master' }));
    expect(dup.message).toBe('googleapi: Error 409: group already exists, conflict');
    expect((await apiError(() => t.client.getGroup('no-such-app', 'fake1'))).message).toBe('googleapi: Error 404: app not found, notFound');
    expect((await apiError(() => t.client.getGroup(APP_ID, 'nope'))).message).toBe('googleapi: Error 404: group not found, notFound');
    expect((await t.client.listGroups(APP_ID)).items!.map((x) => x.id)).toEqual(['fake1']);
  });

  it('PATCH: 2.1.0 fields absent take zero values, 1.4.0 fields keep theirs', async () => {
    // A 1.4.0 client sets a rate limit.
    let g = await t.client.patchGroup(APP_ID, 'fake1', {
      appId: APP_ID, channelId: 'master', id: 'fake1', label: 'Fake Group 1', updatePercent: 100,
      updateCount: 2, updateInterval: 60, updatesPaused: true, oemBlacklist: 'azure,gce',
    });
    expect(g).toMatchObject({ updateCount: 2, updateInterval: 60, updatesPaused: true, oemBlacklist: 'azure,gce' });
    // `unpause` from the original 2.1.0 client: false/0 fields are dropped, 1.4.0 fields never sent.
    g = await t.client.patchGroup(APP_ID, 'fake1', { appId: APP_ID, channelId: 'master', id: 'fake1', label: 'Fake Group 1', updatePercent: 100 });
    expect(g).toMatchObject({ updatesPaused: false, oemBlacklist: '', updateCount: 2, updateInterval: 60, updatePercent: 100 });
    expect(await t.client.getGroup(APP_ID, 'fake1')).toEqual(g);
    // A 1.4.0 client can clear the rate limit by sending explicit zeros.
    g = await t.client.patchGroup(APP_ID, 'fake1', { ...g, updateCount: 0, updateInterval: 0 });
    expect(g).toMatchObject({ updateCount: 0, updateInterval: 0 });

    const bad = await apiError(() => t.client.patchGroup(APP_ID, 'fake1', { ...g, updatePercent: 101 }));
    expect(bad.code).toBe(400);
    expect(JSON.parse(bad.body).error.errors[0].location).toBe('updatePercent');
    expect((await t.client.getGroup(APP_ID, 'fake1')).updatePercent).toBe(100);
  });

  it('group percent: POST on the group path; absent percent is 0', async () => {
    expect(await t.client.setGroupPercent(APP_ID, 'fake1', { appId: APP_ID, id: 'fake1', updatePercent: 12.5 })).toEqual({
      appId: APP_ID, id: 'fake1', updatePercent: 12.5,
    });
    expect((await t.client.getGroup(APP_ID, 'fake1')).updatePercent).toBe(12.5);
    expect((await t.client.setGroupPercent(APP_ID, 'fake1', { appId: APP_ID, id: 'fake1' })).updatePercent).toBe(0);
    expect((await apiError(() => t.client.setGroupPercent(APP_ID, 'fake1', { updatePercent: -1 }))).code).toBe(400);
  });

  it('rollouts: set frames, read them back with int64 durations, activate and deactivate', async () => {
    const frames = [{ duration: '3600', percent: 25 }, { duration: '3600', percent: 50 }, { percent: 100 }];
    const set = await t.client.setRollout(APP_ID, 'fake1', { appId: APP_ID, groupId: 'fake1', rollout: frames });
    expect(set.rollout).toEqual([{ duration: '3600', percent: 25 }, { duration: '3600', percent: 50 }, { duration: '0', percent: 100 }]);
    expect((await t.client.getRollout(APP_ID, 'fake1')).rollout).toEqual(set.rollout);
    expect(await t.client.setRolloutActive(APP_ID, 'fake1', { active: true })).toEqual({ appId: APP_ID, groupId: 'fake1', active: true });
    expect((await t.client.getGroup(APP_ID, 'fake1')).rolloutActive).toBe(true);
    // `rollout deactivate` from the original sends {}: absent active = false.
    expect((await t.client.setRolloutActive(APP_ID, 'fake1', {})).active).toBe(false);
    expect((await t.client.getRolloutActive(APP_ID, 'fake1')).active).toBe(false);
    const bad = await apiError(() => t.client.setRollout(APP_ID, 'fake1', { rollout: [{ percent: 10, duration: 'soon' }] }));
    expect(JSON.parse(bad.body).error.errors[0].location).toBe('rollout[0].duration');
    expect((await t.client.getRollout(APP_ID, 'fake1')).rollout).toHaveLength(3);
    expect((await apiError(() => t.client.setRolloutActive(APP_ID, 'nope', { active: true }))).message).toBe(
      'googleapi: Error 404: group not found, notFound',
    );
  });

  it('rollups, appversions, clientupdates, count and history answer from the instance tables', async () => {
    const base = Date.UTC(2014, 4, 2, 17, 0, 0); // 1399050000 s
    const report = (id: string, version: string, type: number, result: number, at: number, oem = 'fakeclient') =>
      recordEvent(t.server.store.db, { appId: APP_ID, groupId: 'fake1', instanceId: id, version, oem, type, result, at });
    await report('m1', '1.0.0', 3, 2, base + 1_000);
    await report('m2', '1.0.0', 3, 2, base + 2_000);
    await report('m1', '1.0.0', 13, 1, base + 30_000);
    await report('m1', '1.1.0', 3, 2, base + 61_000);
    await report('m3', '1.1.0', 3, 0, base + 62_000, 'azure');

    const start = '1399050000';
    const end = '1399050119';
    const versions = await t.client.rollupVersions(APP_ID, 'fake1', start, end, { resolution: '60' });
    expect(versions.items).toEqual([
      { version: '1.1.0', values: [{ timestamp: '1399050060', count: '2' }] },
      { version: '1.0.0', values: [{ timestamp: '1399050000', count: '2' }] },
    ]);
    const events = await t.client.rollupEvents(APP_ID, 'fake1', start, end, { resolution: '60' });
    expect(events.items).toEqual([
      { version: '1.1.0', type: '3', result: '0', values: [{ timestamp: '1399050060', count: '1' }] },
      { version: '1.1.0', type: '3', result: '2', values: [{ timestamp: '1399050060', count: '1' }] },
      { version: '1.0.0', type: '3', result: '2', values: [{ timestamp: '1399050000', count: '2' }] },
      { version: '1.0.0', type: '13', result: '1', values: [{ timestamp: '1399050000', count: '1' }] },
    ]);
    const hourly = await t.client.rollupVersions(APP_ID, 'fake1', start, end, { resolution: '3600', versions: '1.0.0' });
    expect(hourly.items).toEqual([{ version: '1.0.0', values: [{ timestamp: '1399050000', count: '2' }] }]);
    expect((await apiError(() => t.client.rollupVersions(APP_ID, 'fake1', 'x', end))).code).toBe(400);

    expect((await t.client.appVersions({ appId: APP_ID, groupId: 'fake1' })).items).toEqual([
      { appId: APP_ID, groupId: 'fake1', version: '1.1.0', count: 2 },
      { appId: APP_ID, groupId: 'fake1', version: '1.0.0', count: 1 },
    ]);
    const updates = await t.client.clientUpdates({ dateStart: '0', dateEnd: '0' });
    expect(updates.items!.map((u) => u.clientId)).toEqual(['m3', 'm1', 'm2']);
    expect(updates.items![0]).toEqual({
      appId: APP_ID, clientId: 'm3', version: '1.1.0', lastSeen: new Date(base + 62_000).toISOString(),
      groupId: 'fake1', oem: 'azure', eventType: '3', eventResult: '0', errorCode: '',
    });
    expect((await t.client.clientUpdateCount({ appId: APP_ID, oem: 'fakeclient' })).count).toBe(2);
    expect((await t.client.clientUpdateCount({ dateStart: '1399050060', dateEnd: '0' })).count).toBe(2);
    const history = await t.client.clientHistory('m1');
    expect(history.items!.map((h) => [h.dateTime, h.eventType, h.eventResult, h.version])).toEqual([
      ['1399050061', '3', '2', '1.1.0'],
      ['1399050030', '13', '1', '1.0.0'],
      ['1399050001', '3', '2', '1.0.0'],
    ]);
    expect((await apiError(() => t.client.call('GET', 'client/history'))).code).toBe(400);
  });

  it('deletes groups (and their frames)', async () => {
    expect(await t.client.deleteGroup(APP_ID, 'fake1')).toMatchObject({ id: 'fake1' });
    expect((await apiError(() => t.client.getRollout(APP_ID, 'fake1'))).code).toBe(404);
    expect((await apiError(() => t.client.deleteGroup(APP_ID, 'fake1'))).code).toBe(404);
  });
});
