// OmahaStorage on embedded SQLite: better-sqlite3 prepared statements, run
// synchronously. Writes take Kysely's connection lock first (so they never
// land inside a transaction an API route has open on the same connection),
// then run as one BEGIN IMMEDIATE transaction: SQLite's write lock serialises
// grants across every process sharing the file. With a write-behind worker
// (sqlite-writer.ts), batches are written by the worker's own connection and
// every write here waits for the worker to be outside a transaction.
import type BetterSqlite3 from 'better-sqlite3';
import type { Store } from '../db/connect.js';
import type { FrameRow, GroupRow } from '../db/schema.js';
import type { PackageInfo } from './decide.js';
import { WriterError, type SqliteWriter, type WriterStatement } from './sqlite-writer.js';
import {
  BatchWriteError,
  SQL,
  batchAfter,
  batchRows,
  eventCountParams,
  eventParams,
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

/** The statements of a write batch, in batchRows order (what a SqliteWriter is started with). */
export const BATCH_STATEMENTS: readonly WriterStatement[] = [
  { text: SQL.upsertInstance, arity: 19 },
  { text: SQL.insertEvent, arity: 12 },
  { text: SQL.addVersionCount, arity: 8 },
  { text: SQL.addEventCount, arity: 10 },
];

/** A batch as flat parameter arrays, one per BATCH_STATEMENTS entry. */
function flatRows(b: WriteBatch): unknown[][] {
  const flat = <T>(rows: readonly T[], params: (row: T) => unknown[]) => {
    const out: unknown[] = [];
    for (const r of rows) for (const v of params(r)) out.push(v);
    return out;
  };
  return [
    flat(b.instances, upsertInstanceParams),
    flat(b.events, eventParams),
    flat(b.versionCounts, versionCountParams),
    flat(b.eventCounts, eventCountParams),
  ];
}

export function sqliteStorage(store: Store, writer?: SqliteWriter): OmahaStorage {
  const sqlite = store.sqlite!;
  const cache = new Map<string, Statement>();
  const stmt = (text: string): Statement => {
    let s = cache.get(text);
    if (!s) cache.set(text, (s = sqlite.prepare(text) as Statement));
    return s;
  };

  // SQL.instance's columns, in order: group_id, version, status, granted_version, last_seen.
  const instanceRaw = (sqlite.prepare(SQL.instance) as Statement).raw(true);

  /** Runs `fn` in BEGIN IMMEDIATE while holding Kysely's connection (and the writer's lock). */
  async function write<R>(fn: () => R): Promise<R> {
    const run = () => store.db.connection().execute(async () => sqlite.transaction(fn).immediate());
    return writer?.alive ? writer.exclusive(run) : run();
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
      // Once per check: rows as arrays (no object with named keys per row).
      const row = instanceRaw.get(appId, id) as unknown[] | undefined;
      if (!row) return undefined;
      // As instanceState() reads a row object.
      return {
        groupId: String(row[0]),
        version: String(row[1]),
        status: String(row[2]),
        grantedVersion: row[3] === null || row[3] === undefined ? null : String(row[3]),
        lastSeen: Number(row[4]),
      };
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
      if (batchRows(b) === 0) return;
      if (writer?.alive) {
        try {
          return await writer.apply(flatRows(b));
        } catch (err) {
          throw new BatchWriteError(batchAfter(b, err instanceof WriterError ? err.committed : 0), { cause: err });
        }
      }
      // On this thread: in slices of a few hundred rows, one transaction each,
      // yielding between them, so a big batch never stalls the event loop for long.
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
        try {
          await write(() => {
            for (const op of ops.slice(i, i + BATCH_SLICE)) op();
          });
        } catch (err) {
          throw new BatchWriteError(batchAfter(b, i), { cause: err });
        }
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
