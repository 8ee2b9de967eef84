// Opens the service's database: embedded SQLite (better-sqlite3, WAL) by
// default, PostgreSQL (pg Pool) for a postgres:// URL. Both sit behind the
// same Kysely<Database>, and migrations run before the first query.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** The embedded database handle (online backup), when the engine is SQLite. */
  sqlite?: BetterSqlite3.Database;
  /** Where the embedded database lives. */
  sqlitePath?: string;
  /** The PostgreSQL pool, when the engine is PostgreSQL (the Omaha hot path uses it directly). */
  pgPool?: pg.Pool;
  /**
   * Orders write transactions on the serving connection with this process's
   * other SQLite writer (the write-behind worker), when one runs.
   */
  writeLock?: <R>(fn: () => Promise<R>) => Promise<R>;
  close(): Promise<void>;
}

export const SQLITE_FILE_NAME = 'updateservice.sqlite';

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

const INT8_OID = 20;

/** pg returns int8 as strings; our int8 columns (ms instants, sizes) fit in a double. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface OpenOptions {
  dbUrl?: string;
  dataDir: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
}

export async function openStore(opts: OpenOptions): Promise<Store> {
  const store = isPostgresUrl(opts.dbUrl) ? openPostgres(opts.dbUrl, opts.maxConnections ?? 20) : openSqlite(sqliteFileFor(opts));
  try {
    await migrate(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

function sqliteFileFor(opts: OpenOptions): string {
  // DB_URL may also name a SQLite file explicitly (sqlite:///path or a plain path).
  if (opts.dbUrl) return opts.dbUrl.replace(/^sqlite:\/\//i, '');
  return path.join(opts.dataDir, SQLITE_FILE_NAME);
}

/** Per connection: memory-mapped reads (bytes) and page cache (KiB). */
export const SQLITE_MMAP_BYTES = 256 * 1024 * 1024;
export const SQLITE_CACHE_KIB = 32 * 1024;

export function openSqlite(file: string, readonly = false): Store {
  if (!readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file, { readonly, fileMustExist: readonly });
  if (!readonly) {
    sqlite.pragma('journal_mode = WAL');
    // WAL + NORMAL survives process crashes (kill -9); only an OS crash may lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
  }
  // Reads of the database file through a shared memory map rather than a
  // read() per page, and a larger page cache: the Omaha endpoint reads an
  // instance row per check.
  sqlite.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
  sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    engine: 'sqlite',
    sqlite,
    sqlitePath: file,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, max: number): Store {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', pgPool: pool, close: () => db.destroy() };
}

async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.engine) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}
