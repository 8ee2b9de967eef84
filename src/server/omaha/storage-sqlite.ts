// OmahaStorage on embedded SQLite: better-sqlite3 prepared statements, run
// synchronously. Writes take Kysely's connection lock first (so they never
// land inside a transaction an API route has open on the same connection),
// then run as one BEGIN IMMEDIATE transaction: SQLite's write lock serialises
// grants across every process sharing the file.
import type BetterSqlite3 from 'better-sqlite3';
import type { Store } from '../db/connect.js';
import type { FrameRow, GroupRow } from '../db/schema.js';
import type { PackageInfo } from './decide.js';
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
  type InstanceState,
  type OmahaStorage,
  type PruneResult,
  type WriteBatch,
} from './storage.js';

const PRUNE_SLICE = 10_000;
const BATCH_SLICE = 400;

type Statement = BetterSqlite3.Statement<unknown[], Record<string, unknown>>;

export function sqliteStorage(store: Store): OmahaStorage {
  const sqlite = store.sqlite!;
  const cache = new Map<string, Statement>();
  const stmt = (text: string): Statement => {
    let s = cache.get(text);
    if (!s) cache.set(text, (s = sqlite.prepare(text) as Statement));
    return s;
  };

  /** Runs `fn` in BEGIN IMMEDIATE while holding Kysely's connection. */
  async function write<R>(fn: () => R): Promise<R> {
    return store.db.connection().execute(async () => sqlite.transaction(fn).immediate());
  }

  return {
    async generation() {
      return Number((stmt(SQL.generation).get() as { n: number } | undefined)?.n ?? 0);
    },

    async loadApp(appId): Promise<AppCatalogRows | undefined> {
      if (!stmt(SQL.appExists).get(appId)) return undefined;
      return {
        groups: stmt(SQL.groups).all(appId) as unknown as GroupRow[],
        frames: stmt(SQL.frames).all(appId) as unknown as FrameRow[],
        channels: stmt(SQL.channels).all(appId) as Array<{ label: string; version: string }>,
      };
    },

    async loadPackage(appId, version): Promise<PackageInfo | undefined> {
      const row = stmt(SQL.pkg).get(appId, version);
      return row ? packageInfo(row) : undefined;
    },

    async getInstance(appId, id): Promise<InstanceState | undefined> {
      const row = stmt(SQL.instance).get(appId, id);
      return row ? instanceState(row) : undefined;
    },

    grant(a: GrantAttempt) {
      return write(() => {
        const group = stmt(SQL.group).get(a.appId, a.groupId) as GroupRow | undefined;
        if (!group) return 'group-gone' as const;
        const since = a.now - group.update_interval * 1000;
        const n = Number((stmt(SQL.grantsSince).get(a.appId, a.groupId, since) as { n: number }).n);
        const decision = a.decide(group, n);
        stmt(SQL.upsertInstance).run(...upsertInstanceParams(a.seen));
        if (decision.kind === 'grant') {
          stmt(SQL.insertGrant).run(a.appId, a.groupId, a.instanceId, decision.pkg.version, a.now);
          stmt(SQL.markGranted).run(decision.pkg.version, a.now, a.appId, a.instanceId);
        }
        return decision;
      });
    },

    async applyBatch(b: WriteBatch) {
      // In slices of a few hundred rows, one transaction each, yielding between
      // them: a big batch never stalls the event loop for long.
      const ops: Array<() => void> = [];
      const up = stmt(SQL.upsertInstance);
      const ev = stmt(SQL.insertEvent);
      const vc = stmt(SQL.addVersionCount);
      const ec = stmt(SQL.addEventCount);
      for (const p of b.instances) ops.push(() => up.run(...upsertInstanceParams(p)));
      for (const e of b.events) ops.push(() => ev.run(...eventParams(e)));
      for (const c of b.versionCounts) ops.push(() => vc.run(...versionCountParams(c)));
      for (const c of b.eventCounts) ops.push(() => ec.run(...eventCountParams(c)));
      for (let i = 0; i < ops.length; i += BATCH_SLICE) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        await write(() => {
          for (const op of ops.slice(i, i + BATCH_SLICE)) op();
        });
      }
    },

    async prune(beforeMs): Promise<PruneResult> {
      // In slices of separate transactions, so a large prune never holds the write lock for long.
      const slices = async (table: string, column: string, before: number) => {
        const text = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ? LIMIT ${PRUNE_SLICE})`;
        let total = 0;
        for (;;) {
          const changes = await write(() => stmt(text).run(before).changes);
          total += changes;
          if (changes < PRUNE_SLICE) return total;
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const seconds = Math.floor(beforeMs / 1000);
      return {
        events: await slices('events', 'created_at', beforeMs),
        grants: await slices('grants', 'granted_at', beforeMs),
        instances: await slices('instances', 'last_seen', beforeMs),
        rollups: (await slices('rollup_versions', 'bucket', seconds)) + (await slices('rollup_events', 'bucket', seconds)),
      };
    },
  };
}
