// Transactions and engine differences that the repositories must not see.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Store } from './connect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** Runs `fn` in one transaction: a request that fails changes nothing. */
export function inTransaction<R>(store: Store, fn: (trx: Db) => Promise<R>): Promise<R> {
  return store.db.transaction().execute(fn);
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
