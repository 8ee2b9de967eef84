// Transactions and engine differences that the repositories must not see.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Store } from './connect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** How often a write transaction that found the SQLite file locked is tried again. */
const SQLITE_BUSY_ATTEMPTS = 5;

/**
 * Runs `fn` in one transaction: a request that fails changes nothing.
 *
 * On SQLite the transaction starts with BEGIN IMMEDIATE, so it takes the
 * write lock before its first read: a deferred one that reads and then writes
 * fails at once with SQLITE_BUSY when another connection committed in between
 * (the busy timeout does not apply to that upgrade). It also waits for this
 * process's write-behind worker through `store.writeLock`, asynchronously, and
 * is retried if another process held the file past the busy timeout: lock
 * contention never reaches a client as an error.
 */
export async function inTransaction<R>(store: Store, fn: (trx: Db) => Promise<R>): Promise<R> {
  if (store.engine !== 'sqlite') return store.db.transaction().execute(fn);
  const attempt = () =>
    store.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`COMMIT`.execute(conn);
        return result;
      } catch (err) {
        await sql`ROLLBACK`.execute(conn).catch(() => undefined);
        throw err;
      }
    });
  for (let tries = 1; ; tries++) {
    try {
      return await (store.writeLock ? store.writeLock(attempt) : attempt());
    } catch (err) {
      if (!isSqliteBusy(err) || tries >= SQLITE_BUSY_ATTEMPTS) throw err;
    }
  }
}

/** The SQLite file was locked by another connection for longer than the busy timeout. */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Row lock for read-modify-write on PostgreSQL; SQLite serialises writers anyway. */
export function lockForUpdate<DB, TB extends keyof DB, O>(
  store: Store,
  qb: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return store.engine === 'postgres' ? qb.forUpdate() : qb;
}

/** A duplicate primary key, from either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The database's disk is full: SQLite's SQLITE_FULL, PostgreSQL's disk_full, or the file system's ENOSPC. */
export function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC';
}

/** A write the database cannot take now, through no fault of the request: full, or locked past every retry. */
export function isStorageUnavailable(err: unknown): boolean {
  return isStorageFull(err) || isSqliteBusy(err);
}
