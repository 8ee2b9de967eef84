// Wires the Omaha engine for one process: storage for the engine, the
// catalog cache, the write-behind recorder and the retention job.
import type { Store } from '../db/connect.js';
import { Catalog } from './catalog.js';
import { startCheckpointer } from './checkpointer.js';
import { handleRequest, type HandlerDeps, type RequestContext } from './handler.js';
import { Recorder } from './recorder.js';
import { pgStorage } from './storage-pg.js';
import { startSqliteWriter } from './sqlite-writer.js';
import { BATCH_STATEMENTS, sqliteStorage } from './storage-sqlite.js';
import type { OmahaRequest, OmahaResponse } from '../../omaha/index.js';
import type { OmahaStorage, PruneResult } from './storage.js';

export interface OmahaServiceOptions {
  /** Days of events and idle instances kept; 0 keeps everything. */
  retentionDays: number;
  /** Write-behind flush period. */
  flushIntervalMs?: number;
  /** How often retention runs. */
  pruneEveryMs?: number;
  /** How often the catalog generation is re-read (this process's own API writes take effect at once). */
  catalogRecheckMs?: number;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  onDecision?: HandlerDeps['onDecision'];
}

export interface OmahaService {
  handle(request: OmahaRequest, ctx: RequestContext): Promise<OmahaResponse>;
  /** Writes buffered reports now (API reads call it first, so they see every report). */
  flush(): Promise<void>;
  /** The catalog changed through this process. */
  invalidate(): void;
  prune(now?: number): Promise<PruneResult | undefined>;
  close(): Promise<void>;
  readonly storage: OmahaStorage;
}

export function createOmahaService(store: Store, opts: OmahaServiceOptions): OmahaService {
  // On SQLite, write-behind batches are written by a worker thread (when it can start).
  const writer = store.sqlite && store.sqlitePath ? startSqliteWriter(store.sqlite, store.sqlitePath, BATCH_STATEMENTS) : undefined;
  if (writer) store.writeLock = (fn) => writer.exclusive(fn);
  const storage = store.engine === 'postgres' ? pgStorage(store) : sqliteStorage(store, writer);
  const catalog = new Catalog(storage, opts.catalogRecheckMs ?? (store.engine === 'postgres' ? 250 : 50));
  const recorder = new Recorder(storage, {
    intervalMs: opts.flushIntervalMs ?? 50,
    onError: (err) => opts.log?.warn({ err }, 'writing instance reports failed; will retry'),
  });
  recorder.start();
  const checkpointer = store.sqlite && store.sqlitePath ? startCheckpointer(store.sqlite, store.sqlitePath) : undefined;
  const deps: HandlerDeps = { catalog, storage, recorder, onDecision: opts.onDecision };

  const prune = async (now = Date.now()) => {
    if (!(opts.retentionDays > 0)) return undefined;
    await recorder.flush();
    const result = await storage.prune(now - opts.retentionDays * 86_400_000);
    if (result.events + result.instances + result.grants + result.rollups > 0) opts.log?.info({ result }, 'retention: pruned old rows');
    return result;
  };
  let pruneTimer: NodeJS.Timeout | undefined;
  if (opts.retentionDays > 0) {
    const every = opts.pruneEveryMs ?? 3_600_000;
    pruneTimer = setInterval(() => void prune().catch((err) => opts.log?.warn({ err }, 'retention failed')), every);
    pruneTimer.unref();
    // First run soon after start, off the start-up path.
    const first = setTimeout(() => void prune().catch((err) => opts.log?.warn({ err }, 'retention failed')), Math.min(every, 30_000));
    first.unref();
  }

  return {
    storage,
    handle: (request, ctx) => handleRequest(deps, request, ctx),
    flush: () => recorder.flush(),
    invalidate: () => catalog.invalidate(),
    prune,
    async close() {
      if (pruneTimer) clearInterval(pruneTimer);
      await recorder.close();
      await writer?.stop();
      await checkpointer?.stop();
    },
  };
}
