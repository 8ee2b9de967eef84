// Consistent snapshots of the whole database while the service keeps serving,
// and their restore.
//
// - SQLite: the online backup API (better-sqlite3 `backup()`) copies the file
//   page by page between requests; the reply is a plain SQLite database file.
// - PostgreSQL: every table read in one REPEATABLE READ transaction and
//   streamed as NDJSON: a header line, then one `{"table":…,"row":…}` per row.
//
// Restore (`updateservicectl serve --restore FILE`, into an empty database of
// either engine) accepts both formats; a SQLite snapshot may also simply be
// copied over `<data dir>/updateservice.sqlite` while the service is stopped.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { openSqlite, type Store } from './connect.js';
import { ALL_TABLES, type TableName } from './schema.js';
import type { Db } from './tx.js';

export const BACKUP_FORMAT = 'updateservice-backup';
const BATCH = 500;

const PRIMARY_KEYS: Record<TableName, string[]> = {
  users: ['name'],
  nonces: ['user_name', 'nonce', 'ts'],
  apps: ['id'],
  channels: ['app_id', 'label'],
  packages: ['app_id', 'version'],
  groups: ['app_id', 'id'],
  rollout_frames: ['app_id', 'group_id', 'position'],
  upstreams: ['id'],
  instances: ['app_id', 'id'],
  events: ['id'],
  grants: ['id'],
  rollup_versions: ['app_id', 'group_id', 'resolution', 'bucket', 'version'],
  rollup_events: ['app_id', 'group_id', 'resolution', 'bucket', 'version', 'event_type', 'event_result'],
  catalog_generation: ['id'],
};

type Row = Record<string, unknown>;

/** Every row of every table, in primary-key order, read in pages (keyset pagination). */
export async function* readAllRows(db: Db): AsyncGenerator<{ table: TableName; row: Row }> {
  // Table and column names come from the fixed lists above, never from input.
  const anyDb = db as unknown as { selectFrom(t: string): any };
  for (const table of ALL_TABLES) {
    const keys = PRIMARY_KEYS[table];
    let after: unknown[] | undefined;
    for (;;) {
      let q = anyDb.selectFrom(table).selectAll();
      if (after) {
        const last = after;
        q = q.where((eb: any) =>
          keys.length === 1 ? eb(keys[0], '>', last[0]) : eb(eb.refTuple(...keys), '>', eb.tuple(...last)),
        );
      }
      for (const k of keys) q = q.orderBy(k);
      const rows: Row[] = await q.limit(BATCH).execute();
      for (const row of rows) yield { table, row };
      if (rows.length < BATCH) break;
      const lastRow = rows[rows.length - 1]!;
      after = keys.map((k) => lastRow[k]);
    }
  }
}

export interface Snapshot {
  stream: Readable;
  contentType: string;
  fileName: string;
}

export async function takeSnapshot(store: Store): Promise<Snapshot> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  if (store.engine === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'updateservice-backup-'));
    const file = path.join(dir, 'snapshot.sqlite');
    try {
      await store.sqlite!.backup(file);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    const stream = createReadStream(file);
    stream.on('close', () => void rm(dir, { recursive: true, force: true }));
    return { stream, contentType: 'application/vnd.sqlite3', fileName: `updateservice-${stamp}.sqlite` };
  }
  const out = new PassThrough();
  const write = async (line: string) => {
    if (!out.write(line + '\n')) await once(out, 'drain');
  };
  store.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await write(JSON.stringify({ format: BACKUP_FORMAT, formatVersion: 1, engine: store.engine, createdAt: new Date().toISOString() }));
      for await (const item of readAllRows(trx)) {
        if (out.destroyed) throw new Error('backup reader went away');
        await write(JSON.stringify(item));
      }
    })
    .then(
      () => out.end(),
      (err) => out.destroy(err as Error),
    );
  return { stream: out, contentType: 'application/x-ndjson', fileName: `updateservice-${stamp}.ndjson` };
}

function isSqliteFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    return head.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}

async function* readBackupFile(file: string): AsyncGenerator<{ table: TableName; row: Row }> {
  if (isSqliteFile(file)) {
    const source = openSqlite(file, true);
    try {
      yield* readAllRows(source.db);
    } finally {
      await source.close();
    }
    return;
  }
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const parsed = JSON.parse(line);
    if (first) {
      if (parsed?.format !== BACKUP_FORMAT) throw new Error(`${file} is not an updateservice backup`);
      first = false;
      continue;
    }
    if (!ALL_TABLES.includes(parsed.table)) throw new Error(`${file}: unknown table ${parsed.table}`);
    yield parsed;
  }
  if (first) throw new Error(`${file} is empty`);
}

/** Loads a backup into an empty database (either engine). Returns rows restored per table. */
export async function restoreBackup(store: Store, file: string): Promise<Record<string, number>> {
  return store.db.transaction().execute(async (trx) => {
    const anyTrx = trx as any;
    for (const table of ALL_TABLES) {
      const row = await anyTrx.selectFrom(table).select(sql`1`.as('one')).limit(1).executeTakeFirst();
      if (row) throw new Error(`the target database is not empty (table ${table} has rows)`);
    }
    const counts: Record<string, number> = {};
    let pending: Row[] = [];
    let pendingTable: TableName | undefined;
    const flush = async () => {
      if (pendingTable && pending.length > 0) await anyTrx.insertInto(pendingTable).values(pending).execute();
      pending = [];
    };
    for await (const { table, row } of readBackupFile(file)) {
      if (table !== pendingTable || pending.length >= BATCH) {
        await flush();
        pendingTable = table;
      }
      pending.push(row);
      counts[table] = (counts[table] ?? 0) + 1;
    }
    await flush();
    if (store.engine === 'postgres') {
      // Explicit ids were inserted: move the sequence past them.
      await sql`select setval(pg_get_serial_sequence('events', 'id'), coalesce((select max(id) from events), 0) + 1, false)`.execute(trx);
      await sql`select setval(pg_get_serial_sequence('grants', 'id'), coalesce((select max(id) from grants), 0) + 1, false)`.execute(trx);
    }
    return counts;
  });
}
