// WAL checkpoints off the event loop. SQLite normally checkpoints inside
// whichever commit pushes the WAL past 1000 pages, on the committing thread:
// at thousands of writes per second that is a stall of several milliseconds
// (an fsync and page copies) in the middle of serving. Instead the serving
// connection turns automatic checkpoints off and a worker thread, with its
// own connection to the same file, runs a PASSIVE checkpoint every
// `everyMs` (never blocking readers or writers), and a TRUNCATE one when the
// WAL has grown large, so the file does not grow without bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
import type BetterSqlite3 from 'better-sqlite3';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 100');
let stopped = false;
parentPort.on('message', (m) => { if (m === 'stop') { stopped = true; clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.close(); } });
const timer = setInterval(() => {
  if (stopped) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    // r.log: WAL pages; r.checkpointed: copied. A fully copied, large WAL is reset.
    if (r && r.log > workerData.truncatePages && r.checkpointed === r.log) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {}
}, workerData.everyMs);
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(sqlite: BetterSqlite3.Database, file: string, everyMs = 250): Checkpointer | undefined {
  if (sqlite.memory || sqlite.readonly) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, everyMs, truncatePages: 16_384, betterSqlite3: require.resolve('better-sqlite3') },
    });
  } catch {
    return undefined;
  }
  worker.unref();
  sqlite.pragma('wal_autocheckpoint = 0');
  let failed = false;
  worker.on('error', () => {
    // Without the worker, SQLite's own automatic checkpoints take over again.
    failed = true;
    try {
      sqlite.pragma('wal_autocheckpoint = 1000');
    } catch {}
  });
  return {
    async stop() {
      if (failed) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      try {
        sqlite.pragma('wal_autocheckpoint = 1000');
      } catch {}
    },
  };
}
