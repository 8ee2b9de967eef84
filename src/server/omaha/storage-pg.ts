// OmahaStorage on PostgreSQL: the pg pool directly (numbered placeholders of
// the shared SQL). Grants lock the group row (SELECT … FOR UPDATE), so every
// `serve` process on the database counts the same window under one lock.
import type pg from 'pg';
import type { Store } from '../db/connect.js';
import type { FrameRow, GroupRow } from '../db/schema.js';
import {
  SQL,
  eventCountParams,
  eventParams,
  instanceState,
  packageInfo,
  upsertInstanceParams,
  versionCountParams,
  type AppCatalogRows,
  type GrantAttempt,
  type OmahaStorage,
  type WriteBatch,
  KEY_SHARE_MARKER,
} from './storage.js';

const numbered = new Map<string, string>();
/** `?` → `$1`, `$2`… (the shared SQL has no `?` inside literals). */
function pgText(text: string): string {
  let out = numbered.get(text);
  if (out === undefined) {
    let i = 0;
    out = text.replace(/\?/g, () => `$${++i}`).replaceAll(KEY_SHARE_MARKER, 'FOR KEY SHARE');
    numbered.set(text, out);
  }
  return out;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
const q = async (c: Queryable, text: string, params: unknown[] = []) => (await c.query(pgText(text), params)).rows as Record<string, unknown>[];

export function pgStorage(store: Store): OmahaStorage {
  const pool = store.pgPool!;

  async function transaction<R>(fn: (c: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  return {
    async generation() {
      return Number((await q(pool, SQL.generation))[0]?.n ?? 0);
    },

    async loadApp(appId): Promise<AppCatalogRows | undefined> {
      if ((await q(pool, SQL.appExists, [appId])).length === 0) return undefined;
      const [groups, frames, channels] = await Promise.all([
        q(pool, SQL.groups, [appId]),
        q(pool, SQL.frames, [appId]),
        q(pool, SQL.channels, [appId]),
      ]);
      return {
        groups: groups as unknown as GroupRow[],
        frames: frames as unknown as FrameRow[],
        channels: channels as Array<{ label: string; version: string }>,
      };
    },

    async loadPackage(appId, version) {
      const row = (await q(pool, SQL.pkg, [appId, version]))[0];
      return row ? packageInfo(row) : undefined;
    },

    async getInstance(appId, id) {
      const row = (await q(pool, SQL.instance, [appId, id]))[0];
      return row ? instanceState(row) : undefined;
    },

    grant(a: GrantAttempt) {
      return transaction(async (c) => {
        const group = (await q(c, `${SQL.group} FOR UPDATE`, [a.appId, a.groupId]))[0] as GroupRow | undefined;
        if (!group) return 'group-gone' as const;
        const since = a.now - Number(group.update_interval) * 1000;
        const n = Number((await q(c, SQL.grantsSince, [a.appId, a.groupId, since]))[0]!.n);
        const decision = a.decide(group, n);
        await q(c, SQL.upsertInstance, upsertInstanceParams(a.seen));
        if (decision.kind === 'grant') {
          await q(c, SQL.insertGrant, [a.appId, a.groupId, a.instanceId, decision.pkg.version, a.now]);
          await q(c, SQL.markGranted, [decision.pkg.version, a.now, a.appId, a.instanceId]);
        }
        return decision;
      });
    },

    async applyBatch(b: WriteBatch) {
      if (b.instances.length + b.events.length + b.versionCounts.length + b.eventCounts.length === 0) return;
      // Counters and instances in a stable order, so concurrent replicas lock rows alike.
      const instances = [...b.instances].sort((x, y) => cmp(x.seen.appId + '\0' + x.seen.id, y.seen.appId + '\0' + y.seen.id));
      const keyOf = (c: { appId: string; groupId: string; resolution: number; bucket: number; version: string }) =>
        `${c.appId}\0${c.groupId}\0${c.resolution}\0${c.bucket}\0${c.version}`;
      const vcs = [...b.versionCounts].sort((x, y) => cmp(keyOf(x), keyOf(y)));
      const ecs = [...b.eventCounts].sort((x, y) => cmp(`${keyOf(x)}\0${x.type}\0${x.result}`, `${keyOf(y)}\0${y.type}\0${y.result}`));
      await transaction(async (c) => {
        for (const p of instances) await q(c, SQL.upsertInstance, upsertInstanceParams(p));
        for (const e of b.events) await q(c, SQL.insertEvent, eventParams(e));
        for (const v of vcs) await q(c, SQL.addVersionCount, versionCountParams(v));
        for (const e of ecs) await q(c, SQL.addEventCount, eventCountParams(e));
      });
    },

    async prune(beforeMs) {
      const run = async (text: string, arg: number) => (await pool.query(pgText(text), [arg])).rowCount ?? 0;
      const seconds = Math.floor(beforeMs / 1000);
      return {
        events: await run(SQL.pruneEvents, beforeMs),
        grants: await run(SQL.pruneGrants, beforeMs),
        instances: await run(SQL.pruneInstances, beforeMs),
        rollups: (await run(SQL.pruneRollupVersions, seconds)) + (await run(SQL.pruneRollupEvents, seconds)),
      };
    },
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
