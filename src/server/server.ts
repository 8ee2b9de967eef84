// Starts the service: opens (and migrates) the database, creates `admin` on an
// empty one, listens, and runs the periodic jobs (nonce pruning, upstream sync).
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { NONCE_RETENTION_MS } from './auth/hawk-verify.js';
import { parseListen, withDefaults, type ServerConfig } from './config.js';
import { openStore, type Store } from './db/connect.js';
import { createOmahaService, type OmahaService } from './omaha/service.js';
import { removePartialUploads } from './routes/payloads.js';
import { pruneNonces } from './store/nonces.js';
import { createInitialAdmin } from './store/users.js';
import { describeSync, syncUpstreams } from './sync/upstream-sync.js';

export interface RunningServer {
  /** Base URL to reach the service, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The key of `admin` when this start created it (empty database). */
  adminKey?: string;
  /** The open database (tests and tools read it directly). */
  store: Store;
  /** The Omaha engine (flush, prune). */
  omaha: OmahaService;
  /**
   * Stops accepting connections, finishes in-flight requests (for up to
   * --shutdown-timeout, then closes the connections that remain), writes
   * buffered reports and closes the database.
   */
  close(): Promise<void>;
}

export type StartConfig = Partial<ServerConfig>;

export async function startServer(input: StartConfig = {}): Promise<RunningServer> {
  const config = withDefaults(input);
  const store = await openStore({ dbUrl: config.dbUrl, dataDir: config.dataDir });
  const timers: NodeJS.Timeout[] = [];
  let omaha: ReturnType<typeof createOmahaService> | undefined;
  try {
    // Uploads a crash cut short: nothing refers to them.
    await removePartialUploads(config.packagesDir);
    const https = config.tlsCert && config.tlsKey ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : undefined;
    omaha = createOmahaService(store, { retentionDays: config.retentionDays });
    const app = await buildApp({ store, config, omaha }, { https });
    const { host, port } = parseListen(config.listen);
    await app.listen({ host: host ?? '::', port, backlog: config.listenBacklog });
    // Only once the port is ours: a key printed for a service that then failed
    // to start (address in use) would be a key for nothing.
    const adminKey = await createInitialAdmin(store.db, config.adminKey);
    if (adminKey) config.onAdminKey?.(adminKey);

    const address = app.server.address() as AddressInfo;
    const shownHost = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    const url = `${https ? 'https' : 'http'}://${shownHost}:${address.port}`;

    // A run still going when the next falls due (a slow upstream: its fetch may
    // take up to 30 s against a 1 s interval) is not joined by another.
    const every = (ms: number, job: () => Promise<void>) => {
      let running = false;
      const tick = () => {
        if (running) return;
        running = true;
        void job()
          .catch((err) => app.log.warn({ err }, 'periodic job failed'))
          .finally(() => (running = false));
      };
      const t = setInterval(tick, ms);
      t.unref();
      timers.push(t);
    };
    every(60_000, () => pruneNonces(store.db, NONCE_RETENTION_MS));
    if (config.upstreamSyncInterval > 0) {
      every(config.upstreamSyncInterval * 1000, async () => {
        const result = await syncUpstreams(store);
        app.log.info({ result }, describeSync(result));
      });
    }

    let closing: Promise<void> | undefined;
    return {
      url,
      port: address.port,
      adminKey,
      store,
      omaha,
      close: () =>
        (closing ??= (async () => {
          for (const t of timers) clearInterval(t);
          // A request that never ends (a client that stopped reading or
          // sending) must not hold the shutdown: past the bound, cut it off.
          const force = setTimeout(() => {
            app.log.warn({ afterSeconds: config.shutdownTimeout }, 'shutdown: closing connections still open');
            app.server.closeAllConnections();
          }, config.shutdownTimeout * 1000);
          try {
            await app.close();
          } finally {
            clearTimeout(force);
            // Buffered instance reports are written before the database closes.
            await omaha!.close().catch((err) => app.log.warn({ err }, 'final write of instance reports failed'));
            await store.close();
          }
        })()),
    };
  } catch (err) {
    for (const t of timers) clearInterval(t);
    await omaha?.close().catch(() => {});
    await store.close();
    throw err;
  }
}
