// The write-behind worker (sqlite-writer.ts): rows committed in order, a
// failure reports how many were written (so only the rest is retried), and
// writes on the serving connection never overlap the worker's transactions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startSqliteWriter, WriterError, type SqliteWriter } from '../../src/server/omaha/sqlite-writer.js';
import { batchAfter, type WriteBatch } from '../../src/server/omaha/storage.js';

describe('SQLite write-behind worker', () => {
  let dir: string;
  let db: BetterSqlite3.Database;
  let writer: SqliteWriter | undefined;
  const open = () => {
    dir = mkdtempSync(path.join(tmpdir(), 'us-writer-'));
    db = new BetterSqlite3(path.join(dir, 'w.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE a (n INTEGER CHECK (n >= 0)); CREATE TABLE b (s TEXT, t TEXT)');
    writer = startSqliteWriter(db, path.join(dir, 'w.sqlite'), [
      { text: 'INSERT INTO a (n) VALUES (?)', arity: 1 },
      { text: 'INSERT INTO b (s, t) VALUES (?, ?)', arity: 2 },
    ], 3);
    expect(writer).toBeDefined();
    return writer!;
  };
  afterEach(async () => {
    await writer?.stop();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('writes every row of every statement, in slices', async () => {
    const w = open();
    await w.apply([[1, 2, 3, 4, 5, 6, 7], ['x', 'y', 'z', 'w']]);
    expect(count('a')).toBe(7);
    expect(db.prepare('SELECT s, t FROM b ORDER BY rowid').all()).toEqual([{ s: 'x', t: 'y' }, { s: 'z', t: 'w' }]);
  });

  it('a failing row: the slices before it are committed, and reported', async () => {
    const w = open();
    // Slices of 3: [0,1,2] [3,4,-1] → the second fails and rolls back.
    const err = await w.apply([[0, 1, 2, 3, 4, -1, 6], []]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriterError);
    expect((err as WriterError).committed).toBe(3);
    expect(count('a')).toBe(3);
    // The worker keeps going.
    await w.apply([[9], ['p', 'q']]);
    expect(count('a')).toBe(4);
  });

  it('exclusive(): a write on the serving connection runs between the worker transactions', async () => {
    const w = open();
    const big = Array.from({ length: 3000 }, (_, i) => i);
    const writing = w.apply([big, []]);
    const seen = await w.exclusive(async () => {
      db.prepare('BEGIN IMMEDIATE').run(); // would wait on the worker's lock otherwise
      const n = count('a');
      db.prepare('INSERT INTO b (s, t) VALUES (?, ?)').run('main', String(n));
      db.prepare('COMMIT').run();
      return n;
    });
    await writing;
    expect(seen % 3).toBe(0); // never inside a slice
    expect(count('a')).toBe(3000);
  });

  it('batchAfter: what is left after the first rows were written', () => {
    const b = { instances: [1, 2], events: [3, 4, 5], versionCounts: [6], eventCounts: [7, 8] } as unknown as WriteBatch;
    expect(batchAfter(b, 0)).toEqual(b);
    expect(batchAfter(b, 3)).toEqual({ instances: [], events: [4, 5], versionCounts: [6], eventCounts: [7, 8] });
    expect(batchAfter(b, 6)).toEqual({ instances: [], events: [], versionCounts: [], eventCounts: [7, 8] });
    expect(batchAfter(b, 8)).toEqual({ instances: [], events: [], versionCounts: [], eventCounts: [] });
  });
});
