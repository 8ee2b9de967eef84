// apps/<app>/groups: groups, their update percentage, rollouts and rollups.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';
import type { ServerContext } from '../context.js';
import type { GroupRow } from '../db/schema.js';
import { inTransaction, isUniqueViolation, type Db } from '../db/tx.js';
import { ApiError, conflict, invalid, notFound } from '../http/errors.js';
import { jsonList } from '../http/json-list.js';
import { getApp } from '../store/apps.js';
import { deleteGroup, getGroup, groupPages, insertGroup, listFrames, replaceFrames, updateGroup } from '../store/groups.js';
import { rollupEvents, rollupVersions } from '../store/instances.js';
import {
  LIMITS,
  bodyObject,
  canonicalAppId,
  checkBool,
  checkId,
  checkInt32,
  checkInt64,
  checkPercent,
  checkText,
  has,
} from '../validate.js';
import { byVersionDesc } from '../versions.js';
import { frameJson, groupJson } from '../wire.js';

type AppParams = { Params: { appId: string } };
type GroupParams = { Params: { appId: string; id: string } };
type RolloutParams = { Params: { appId: string; groupId: string } };
type RollupParams = {
  Params: { appId: string; groupId: string; dateStart: string; dateEnd: string };
  Querystring: { resolution?: string; versions?: string };
};

/** A new group offers updates to everyone until told otherwise. */
const DEFAULT_UPDATE_PERCENT = 100;
const MAX_FRAMES = 10_000;
const MAX_BUCKETS = 100_000;

async function requireApp(db: Db, appId: string): Promise<void> {
  if (!(await getApp(db, appId))) throw notFound('app');
}

async function requireGroup(db: Db, appId: string, id: string, lock?: ServerContext['store']): Promise<GroupRow> {
  await requireApp(db, appId);
  const row = await getGroup(db, appId, id, lock);
  if (!row) throw notFound('group');
  return row;
}

function optionalChannel(value: unknown): string {
  return value === undefined || value === null || value === '' ? '' : checkId('channelId', value);
}

/** The 1.4.0 rate limit fields: validated when present, otherwise `keep`. */
function rateLimitFields(body: Record<string, unknown>, keep: Pick<GroupRow, 'update_count' | 'update_interval' | 'update_pooling'>) {
  return {
    update_count: has(body, 'updateCount') ? checkInt32('updateCount', body.updateCount) : keep.update_count,
    update_interval: has(body, 'updateInterval') ? checkInt32('updateInterval', body.updateInterval) : keep.update_interval,
    update_pooling: has(body, 'updatePooling') ? (checkBool('updatePooling', body.updatePooling) ? 1 : 0) : keep.update_pooling,
  };
}

export function groupRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;

  // A T.GroupList, `limit` groups at most, streamed a page at a time.
  app.get<AppParams & { Querystring: { limit?: string } }>('/apps/:appId/groups', async (req, reply) => {
    const appId = canonicalAppId(req.params.appId);
    const limit = req.query.limit === undefined || req.query.limit === '' ? undefined : checkInt64('limit', req.query.limit, { min: 0 });
    await requireApp(store.db, appId);
    return reply.type('application/json; charset=utf-8').send(jsonList(groupPages(store.db, appId, limit), groupJson));
  });

  app.get<GroupParams>('/apps/:appId/groups/:id', async (req): Promise<T.Group> => {
    return groupJson(await requireGroup(store.db, canonicalAppId(req.params.appId), req.params.id));
  });

  app.post<AppParams>('/apps/:appId/groups', async (req): Promise<T.Group> => {
    const appId = canonicalAppId(req.params.appId);
    const body = bodyObject(req.body);
    const now = Date.now();
    const rolloutActive = checkBool('rolloutActive', body.rolloutActive);
    const row: GroupRow = {
      app_id: appId,
      id: has(body, 'id') ? checkId('id', body.id) : randomUUID(),
      label: checkText('label', body.label, LIMITS.label),
      channel_id: optionalChannel(body.channelId),
      oem_blacklist: checkText('oemBlacklist', body.oemBlacklist, LIMITS.oemBlacklist),
      updates_paused: checkBool('updatesPaused', body.updatesPaused) ? 1 : 0,
      update_percent: has(body, 'updatePercent') ? checkPercent('updatePercent', body.updatePercent) : DEFAULT_UPDATE_PERCENT,
      ...rateLimitFields(body, { update_count: 0, update_interval: 0, update_pooling: 0 }),
      rollout_active: rolloutActive ? 1 : 0,
      rollout_started_at: rolloutActive ? now : null,
      created_at: now,
    };
    return inTransaction(store, async (trx) => {
      await requireApp(trx, appId);
      try {
        await insertGroup(trx, row);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('group already exists');
        throw err;
      }
      return groupJson(row);
    });
  });

  // Whole-object semantics: the client sends back the group it fetched, and a
  // 2.1.0 field it leaves out takes its zero value (the original client drops
  // false/0, which is how `unpause` says false). The 1.4.0 fields keep their
  // value when absent, so a 2.1.0 client does not wipe a 1.4.0 rate limit.
  app.patch<GroupParams>('/apps/:appId/groups/:id', async (req): Promise<T.Group> => {
    const appId = canonicalAppId(req.params.appId);
    const id = req.params.id;
    const body = bodyObject(req.body);
    if (has(body, 'id') && body.id !== id) throw invalid('id', 'does not match the path');
    const fields = {
      label: checkText('label', body.label, LIMITS.label),
      channel_id: optionalChannel(body.channelId),
      oem_blacklist: checkText('oemBlacklist', body.oemBlacklist, LIMITS.oemBlacklist),
      updates_paused: checkBool('updatesPaused', body.updatesPaused) ? 1 : 0,
      update_percent: checkPercent('updatePercent', body.updatePercent),
      rollout_active: checkBool('rolloutActive', body.rolloutActive) ? 1 : 0,
    };
    return inTransaction(store, async (trx) => {
      const current = await requireGroup(trx, appId, id, store);
      const set = {
        ...fields,
        ...rateLimitFields(body, current),
        // Switching a rollout on starts its clock.
        rollout_started_at: fields.rollout_active && !current.rollout_active ? Date.now() : current.rollout_started_at,
      };
      await updateGroup(trx, appId, id, set);
      return groupJson({ ...current, ...set });
    });
  });

  // group percent: POST on the group's path with a GroupPercent; absent percent is 0.
  app.post<GroupParams>('/apps/:appId/groups/:id', async (req): Promise<T.GroupPercent> => {
    const appId = canonicalAppId(req.params.appId);
    const id = req.params.id;
    const body = bodyObject(req.body);
    const percent = checkPercent('updatePercent', body.updatePercent);
    return inTransaction(store, async (trx) => {
      await requireGroup(trx, appId, id, store);
      await updateGroup(trx, appId, id, { update_percent: percent });
      return { appId, id, updatePercent: percent };
    });
  });

  app.delete<GroupParams>('/apps/:appId/groups/:id', async (req): Promise<T.Group> => {
    const appId = canonicalAppId(req.params.appId);
    const id = req.params.id;
    return inTransaction(store, async (trx) => {
      const row = await requireGroup(trx, appId, id, store);
      await deleteGroup(trx, appId, id);
      return groupJson(row);
    });
  });

  // ---- rollouts

  app.get<RolloutParams>('/apps/:appId/groups/:groupId/rollout', async (req): Promise<T.Rollout> => {
    const appId = canonicalAppId(req.params.appId);
    const groupId = req.params.groupId;
    await requireGroup(store.db, appId, groupId);
    return { appId, groupId, rollout: (await listFrames(store.db, appId, groupId)).map(frameJson) };
  });

  // Replaces the frames. An active rollout restarts from its first frame.
  app.post<RolloutParams>('/apps/:appId/groups/:groupId/rollout', async (req): Promise<T.Rollout> => {
    const appId = canonicalAppId(req.params.appId);
    const groupId = req.params.groupId;
    const body = bodyObject(req.body);
    const raw = body.rollout ?? [];
    if (!Array.isArray(raw)) throw invalid('rollout', 'must be a list of frames');
    if (raw.length > MAX_FRAMES) throw invalid('rollout', `more than ${MAX_FRAMES} frames`);
    const frames = raw.map((f, i) => {
      const frame = bodyObject(f);
      return {
        percent: checkPercent(`rollout[${i}].percent`, frame.percent),
        duration: checkInt64(`rollout[${i}].duration`, frame.duration, { min: 0, defaultValue: 0 }),
      };
    });
    return inTransaction(store, async (trx) => {
      const group = await requireGroup(trx, appId, groupId, store);
      await replaceFrames(trx, appId, groupId, frames);
      if (group.rollout_active) await updateGroup(trx, appId, groupId, { rollout_started_at: Date.now() });
      return { appId, groupId, rollout: frames.map(frameJson) };
    });
  });

  app.get<RolloutParams>('/apps/:appId/groups/:groupId/rollout/active', async (req): Promise<T.RolloutActive> => {
    const appId = canonicalAppId(req.params.appId);
    const group = await requireGroup(store.db, appId, req.params.groupId);
    return { appId, groupId: group.id, active: !!group.rollout_active };
  });

  // `active` absent means false (the original client dropped false fields).
  app.post<RolloutParams>('/apps/:appId/groups/:groupId/rollout/active', async (req): Promise<T.RolloutActive> => {
    const appId = canonicalAppId(req.params.appId);
    const groupId = req.params.groupId;
    const active = checkBool('active', bodyObject(req.body).active);
    return inTransaction(store, async (trx) => {
      const group = await requireGroup(trx, appId, groupId, store);
      const set = { rollout_active: active ? 1 : 0, rollout_started_at: active && !group.rollout_active ? Date.now() : group.rollout_started_at };
      await updateGroup(trx, appId, groupId, set);
      return { appId, groupId, active };
    });
  });

  // ---- rollups

  function rollupRange(req: { params: RollupParams['Params']; query: RollupParams['Querystring'] }) {
    const resolution = checkInt64('resolution', req.query.resolution, { defaultValue: 60 });
    if (resolution < 60 || resolution > 31 * 86400) throw invalid('resolution', 'must be between 60 and 2678400 seconds (60, 3600, 86400)');
    let end = checkInt64('dateEnd', req.params.dateEnd, { min: 0 });
    let start = checkInt64('dateStart', req.params.dateStart, { min: 0 });
    // 0 means "recent": up to now, and the last 60 buckets.
    if (end === 0) end = Math.floor(Date.now() / 1000);
    if (start === 0) start = Math.max(0, end - 60 * resolution);
    if (start > end) throw invalid('dateStart', 'after dateEnd');
    if ((end - start) / resolution > MAX_BUCKETS) throw new ApiError(400, 'invalid', `invalid resolution: more than ${MAX_BUCKETS} buckets in range`, 'resolution');
    const versions = req.query.versions ? req.query.versions.split(',').map((v) => v.trim()).filter(Boolean) : undefined;
    return {
      appId: canonicalAppId(req.params.appId),
      groupId: req.params.groupId,
      start: Math.floor(start / resolution) * resolution,
      end: end + 1,
      resolution,
      versions,
    };
  }

  app.get<RollupParams>('/apps/:appId/groups/:groupId/requests/versions/:dateStart/:dateEnd', async (req): Promise<T.GroupRequestsRollup> => {
    const range = rollupRange(req);
    await requireGroup(store.db, range.appId, range.groupId);
    await ctx.omaha?.flush();
    const rows = await rollupVersions(store.db, range);
    const byVersion = new Map<string, T.GroupRequestsValues[]>();
    for (const r of rows.sort((a, b) => a.timestamp - b.timestamp)) {
      const values = byVersion.get(r.version) ?? [];
      values.push({ timestamp: String(r.timestamp), count: String(r.count) });
      byVersion.set(r.version, values);
    }
    return { items: [...byVersion].sort(([a], [b]) => byVersionDesc(a, b)).map(([version, values]) => ({ version, values })) };
  });

  app.get<RollupParams>('/apps/:appId/groups/:groupId/requests/events/:dateStart/:dateEnd', async (req): Promise<T.GroupRequestsRollup> => {
    const range = rollupRange(req);
    await requireGroup(store.db, range.appId, range.groupId);
    await ctx.omaha?.flush();
    const rows = await rollupEvents(store.db, range);
    const byKey = new Map<string, T.GroupRequestsItem & { values: T.GroupRequestsValues[] }>();
    for (const r of rows.sort((a, b) => a.timestamp - b.timestamp)) {
      const key = `${r.version}\u0000${r.type}\u0000${r.result}`;
      let item = byKey.get(key);
      if (!item) byKey.set(key, (item = { version: r.version, type: String(r.type), result: String(r.result), values: [] }));
      item.values.push({ timestamp: String(r.timestamp), count: String(r.count) });
    }
    const items = [...byKey.values()].sort(
      (a, b) => byVersionDesc(a.version!, b.version!) || Number(a.type) - Number(b.type) || Number(a.result) - Number(b.result),
    );
    return { items };
  });
}
