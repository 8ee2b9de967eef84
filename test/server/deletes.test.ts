// Deleting an app or a group removes everything that belongs to it, in one
// transaction: instances, events, grants and counters. A re-created one starts
// afresh (its rate limit unspent), and reports still buffered for the deleted
// one are dropped instead of written as orphans.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/tx.js';
import { APP_ID, describeEngines, startTestServer, type TestServer } from './helpers.js';
import { machineId, postOmaha, setUpApp } from './omaha-helpers.js';

const TABLES = ['instances', 'events', 'grants', 'rollup_versions', 'rollup_events'] as const;

/** Rows per history table for an app (and group). */
async function historyRows(db: Db, appId: string, groupId?: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', appId);
    if (groupId !== undefined) q = q.where('group_id', '=', groupId);
    out[table] = Number((await q.executeTakeFirstOrThrow()).n);
  }
  return out;
}

const NONE = Object.fromEntries(TABLES.map((t) => [t, 0]));

/** update_engine's check (ping, updatecheck, 3/2 event) from a machine at 1.0.0. */
const check = (machine: string, group = 'fake1') => `<?xml version="1.0" encoding="UTF-8"?>
<request protocol="3.0" version="update_engine-0.4.10" installsource="scheduler" ismachine="1">
  <app appid="{${APP_ID}}" version="1.0.0" track="${group}" machineid="${machine}" oem="qemu">
    <ping active="1"></ping><updatecheck></updatecheck><event eventtype="3" eventresult="2" previousversion="0.0.0.0"></event>
  </app>
</request>`;

/** True when the check was answered with an update. */
async function granted(t: TestServer, machine: string): Promise<boolean> {
  const reply = await postOmaha(t.url, check(machine));
  expect(reply.status).toBe(200);
  return reply.parsed!.apps[0]!.updateCheck!.status === 'ok';
}

describeEngines('deletes', (engine) => {
  let t: TestServer;
  const group = { updateCount: 1, updateInterval: 3600 };
  beforeEach(async () => {
    t = await startTestServer(engine);
    await setUpApp(t.client, { group });
  });
  afterEach(() => t?.close());

  it('a re-created group starts with an unspent rate limit and no instances', async () => {
    expect(await granted(t, machineId())).toBe(true);
    expect(await granted(t, machineId())).toBe(false); // 1 per hour: spent
    await t.server.omaha.flush();
    expect((await historyRows(t.server.store.db, APP_ID, 'fake1')).grants).toBe(1);

    await t.client.deleteGroup(APP_ID, 'fake1');
    expect(await historyRows(t.server.store.db, APP_ID, 'fake1')).toEqual(NONE);
    await t.client.insertGroup(APP_ID, { id: 'fake1', label: 'Again', channelId: 'stable', ...group });
    expect((await t.client.appVersions({ appId: APP_ID, groupId: 'fake1' })).items ?? []).toEqual([]);
    expect(await granted(t, machineId())).toBe(true);
  });

  it('deleting a group leaves the other groups of the app alone', async () => {
    await t.client.insertGroup(APP_ID, { id: 'other', label: 'Other', channelId: 'stable' });
    await postOmaha(t.url, check(machineId(), 'other'));
    await granted(t, machineId());
    await t.server.omaha.flush();
    const before = await historyRows(t.server.store.db, APP_ID, 'other');
    expect(before.instances).toBe(1);
    await t.client.deleteGroup(APP_ID, 'fake1');
    expect(await historyRows(t.server.store.db, APP_ID, 'other')).toEqual(before);
  });

  it('a re-created app starts afresh: no instances, events, grants or counters', async () => {
    expect(await granted(t, machineId())).toBe(true);
    await t.server.omaha.flush();
    expect((await historyRows(t.server.store.db, APP_ID)).events).toBeGreaterThan(0);
    await t.client.deleteApp(APP_ID);
    expect(await historyRows(t.server.store.db, APP_ID)).toEqual(NONE);
    await setUpApp(t.client, { group });
    expect(await granted(t, machineId())).toBe(true);
  });

  it('reports buffered for a group that is then deleted are dropped, not written', async () => {
    const storage = t.server.omaha.storage;
    await t.client.deleteGroup(APP_ID, 'fake1');
    const at = Date.now();
    const seen = { appId: APP_ID, id: machineId(), groupId: 'fake1', version: '1.0.0', oem: '', ip: '127.0.0.1', at };
    const counter = { appId: APP_ID, groupId: 'fake1', resolution: 60, bucket: Math.floor(at / 60_000) * 60, version: '1.0.0', count: 1 };
    await storage.applyBatch({
      instances: [{ seen, state: { status: 'complete', event: { type: 3, result: 2, errorCode: null } } }],
      events: [{ appId: APP_ID, groupId: 'fake1', instanceId: seen.id, version: '1.0.0', previousVersion: '', type: 3, result: 2, errorCode: null, installSource: '', at }],
      versionCounts: [counter],
      eventCounts: [{ ...counter, type: 3, result: 2 }],
    });
    expect(await historyRows(t.server.store.db, APP_ID)).toEqual(NONE);
    // The same batch for a group that exists is written.
    await t.client.insertGroup(APP_ID, { id: 'fake1', label: 'Again', channelId: 'stable' });
    await storage.applyBatch({
      instances: [{ seen }],
      events: [],
      versionCounts: [counter],
      eventCounts: [],
    });
    expect(await historyRows(t.server.store.db, APP_ID)).toMatchObject({ instances: 1, rollup_versions: 1 });
  });
});
