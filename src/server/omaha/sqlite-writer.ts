// Write-behind batches on a worker thread. On SQLite the statements run
// synchronously on the calling thread, so writing the buffered reports (an
// instance upsert and an event row per check, plus counters) used to take
// about a quarter of the event loop at full load. Here a worker thread with
// its own connection to the same file (WAL) applies the batches; the event
// loop only hands them over (rows as flat parameter arrays).
//
// Writes that must stay on the serving connection (grants, retention, …) run
// through `exclusive()`: an in-process lock, shared with the worker through a
// SharedArrayBuffer, that the worker takes around each of its transactions.
// So the serving thread never sits in SQLite's busy handler (which sleeps,
// blocking the event loop) waiting for the worker's commit; it waits
// asynchronously instead, and the worker lets a waiting serving thread go
// first. SQLite's own lock (BEGIN IMMEDIATE) still serialises grants across
// processes sharing the file: this lock only orders the two connections of
// one process.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES } from '../db/connect.js';

const require = createRequire(import.meta.url);

/** Slots of the shared lock. */
const HELD = 0; // 1 while a thread is inside a write transaction
const WANT = 1; // serving-thread waiters

export interface WriterStatement {
  text: string;
  /** Parameters per row. */
  arity: number;
}

/** Rows per statement, as flat parameter arrays (row i = params[i*arity … (i+1)*arity)). */
export type WriterBatch = unknown[][];

export class WriterError extends Error {
  constructor(
    message: string,
    /** Rows committed before the failure, counted over the statements in order. */
    readonly committed: number,
  ) {
    super(message);
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const L = new Int32Array(workerData.lock);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('mmap_size = ' + workerData.mmapBytes);
db.pragma('cache_size = -' + workerData.cacheKib);
const statements = workerData.statements.map((s) => ({ stmt: db.prepare(s.text), arity: s.arity }));
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
const SLICE = workerData.slice;

function acquire() {
  for (;;) {
    const want = Atomics.load(L, ${WANT});
    // A serving-thread writer is waiting: it goes first.
    if (want > 0) { Atomics.wait(L, ${WANT}, want, 5); continue; }
    if (Atomics.compareExchange(L, ${HELD}, 0, 1) === 0) return;
    Atomics.wait(L, ${HELD}, 1, 50);
  }
}
function release() {
  Atomics.store(L, ${HELD}, 0);
  Atomics.notify(L, ${HELD});
}

parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.close(); return; }
  let committed = 0;
  try {
    // Every row of every statement, in order, in transactions of SLICE rows.
    let s = 0, row = 0;
    while (s < statements.length) {
      acquire();
      let n = 0;
      try {
        begin.run();
        try {
          while (s < statements.length && n < SLICE) {
            const { stmt, arity } = statements[s];
            const params = m.rows[s];
            const rows = params.length / arity;
            for (; row < rows && n < SLICE; row++, n++) stmt.run(params.slice(row * arity, (row + 1) * arity));
            if (row >= rows) { s++; row = 0; }
          }
          commit.run();
        } catch (err) {
          try { rollback.run(); } catch {}
          throw err;
        }
      } finally {
        release();
      }
      committed += n;
    }
    parentPort.postMessage({ id: m.id, committed });
  } catch (err) {
    parentPort.postMessage({ id: m.id, committed, error: String((err && err.message) || err) });
  }
});
`;

type AtomicsWithWaitAsync = typeof Atomics & {
  waitAsync(array: Int32Array, index: number, value: number, timeout?: number): { async: boolean; value: Promise<string> | string };
};

export interface SqliteWriter {
  /** Runs the rows on the worker; resolves once all are committed, rejects with WriterError. */
  apply(rows: WriterBatch): Promise<void>;
  /** Runs `fn` (a write on the serving connection) while the worker is outside any transaction. */
  exclusive<R>(fn: () => Promise<R>): Promise<R>;
  /** False once the worker has failed: callers write on their own connection. */
  readonly alive: boolean;
  stop(): Promise<void>;
}

/** Starts the worker, or returns undefined (in-memory or read-only database, no worker threads). */
export function startSqliteWriter(
  sqlite: BetterSqlite3.Database,
  file: string,
  statements: readonly WriterStatement[],
  slice = 1000,
): SqliteWriter | undefined {
  if (sqlite.memory || sqlite.readonly || typeof (Atomics as AtomicsWithWaitAsync).waitAsync !== 'function') return undefined;
  const lock = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, lock: lock.buffer, statements, slice, mmapBytes: SQLITE_MMAP_BYTES, cacheKib: SQLITE_CACHE_KIB, betterSqlite3: require.resolve('better-sqlite3') },
    });
  } catch {
    return undefined;
  }
  worker.unref();

  let alive = true;
  let nextId = 1;
  const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  const fail = (err: Error) => {
    alive = false;
    for (const p of pending.values()) p.reject(new WriterError(err.message, 0));
    pending.clear();
    // A lock the dead worker held is released for the serving thread.
    Atomics.store(lock, HELD, 0);
    Atomics.notify(lock, HELD);
  };
  worker.on('message', (m: { id: number; committed: number; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error === undefined) p.resolve();
    else p.reject(new WriterError(m.error, m.committed));
  });
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('write-behind worker exited')));

  const acquire = async () => {
    Atomics.add(lock, WANT, 1);
    try {
      while (Atomics.compareExchange(lock, HELD, 0, 1) !== 0) {
        const w = (Atomics as AtomicsWithWaitAsync).waitAsync(lock, HELD, 1, 50);
        if (w.async) await w.value;
      }
    } finally {
      Atomics.sub(lock, WANT, 1);
      Atomics.notify(lock, WANT);
    }
  };
  const release = () => {
    Atomics.store(lock, HELD, 0);
    Atomics.notify(lock, HELD);
  };

  return {
    get alive() {
      return alive;
    },
    apply(rows) {
      if (!alive) return Promise.reject(new WriterError('write-behind worker is not running', 0));
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Keeps the process up while a batch is being written.
        worker.ref();
        worker.postMessage({ id, rows });
      });
    },
    async exclusive(fn) {
      if (!alive) return fn();
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    async stop() {
      if (!alive) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      // Referenced until it has exited: the process waits for the worker to close its connection.
      worker.ref();
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      alive = false;
    },
  };
}
