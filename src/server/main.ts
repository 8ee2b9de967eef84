// `updateservicectl serve`: the command line of the update service. The
// CLI's command tree parses it, with the same Go-style flags as every other
// command; this module says which flags serve has and how each value is
// read, and runs the service with the values given. The database and the
// HTTP server load only when the service starts, so `serve --help` and a
// bad flag answer at once.
import { ConfigError, SETTINGS, booleanValue, readConfigFile, readEnv, resolveConfig, settingValue, type ServerConfig } from './config.js';

/** One flag of `serve`. */
export interface ServeFlag {
  name: string;
  /** A `bool` flag alone means true (`--trust-proxy`), `=false` turns it off; it never takes the next word. */
  kind: 'string' | 'bool';
  /** The default as the usage page shows it (`--listen=:8000`); empty when computed. */
  defValue: string;
  usage: string;
  /** The value from its text; throws an Error that says what is expected. */
  parse(text: string): string | number | boolean;
}

const SETTING_HELP: Record<string, { usage: string; defValue?: string }> = {
  listen: { usage: 'address to listen on, host:port', defValue: ':8000' },
  'base-url': { usage: 'published base URL, when behind a proxy or load balancer (default: from each request)' },
  'data-dir': { usage: 'directory for the embedded database and uploaded payloads', defValue: './updateservice-data' },
  'db-url': { usage: 'database: postgres://user:pass@host/db selects PostgreSQL (default: SQLite in the data dir)' },
  'packages-dir': { usage: 'directory of payloads served at /packages/ (default: <data dir>/packages)' },
  'enable-package-uploads': { usage: 'accept POST /package-upload', defValue: 'false' },
  'upstream-sync-interval': { usage: 'seconds between syncs with upstream services, 0 = off', defValue: '0' },
  'tls-cert': { usage: 'TLS certificate file (PEM); serve HTTPS' },
  'tls-key': { usage: 'TLS private key file (PEM)' },
  'admin-key': { usage: 'key for "admin" when the first start creates it (default: random)' },
  'log-level': { usage: 'request log level: fatal, error, warn, info, debug, trace or silent', defValue: 'info' },
  'trust-proxy': { usage: 'trust X-Forwarded-* headers from a proxy', defValue: 'false' },
  'retention-days': { usage: 'days of update events (and of instances not seen) kept, 0 = forever', defValue: '30' },
  'headers-timeout': { usage: 'seconds a client has to send the headers of a request', defValue: '30' },
  'request-timeout': { usage: 'seconds a client has to send a whole request, body included (uploads too), 0 = no limit', defValue: '120' },
  'idle-timeout': { usage: 'seconds a connection may sit silent before it is closed, 0 = never', defValue: '120' },
  'listen-backlog': { usage: 'new connections queued before they are accepted (capped by net.core.somaxconn)', defValue: '8192' },
  'shutdown-timeout': { usage: 'seconds SIGTERM waits for requests in flight before closing the connections left', defValue: '10' },
};

export const SERVE_FLAGS: readonly ServeFlag[] = [
  {
    name: 'config',
    kind: 'string',
    defValue: '',
    usage: 'YAML file of settings (keys: flag or variable names); flags beat the environment, which beats the file',
    parse: String,
  },
  {
    name: 'reset-admin-key',
    kind: 'bool',
    defValue: 'false',
    usage: 'give "admin" a new key (--admin-key, or a random one), creating the user if missing; print it and exit without serving',
    parse: booleanValue,
  },
  {
    name: 'restore',
    kind: 'string',
    defValue: '',
    usage: 'load a backup (from GET /db/backup) into the empty configured database, then exit',
    parse: String,
  },
  ...SETTINGS.map((s): ServeFlag => ({
    name: s.flag,
    kind: s.type === 'boolean' ? 'bool' : 'string',
    defValue: SETTING_HELP[s.flag]?.defValue ?? '',
    usage: `${SETTING_HELP[s.flag]?.usage ?? ''} [env ${s.env}]`,
    parse: (text) => settingValue(s, text),
  })),
];

/**
 * Runs the service with the flags given on its command line (values by flag
 * name, already read by each flag's `parse`) until SIGINT/SIGTERM; resolves
 * to the exit status.
 */
export async function serveWith(given: Readonly<Record<string, unknown>>): Promise<number> {
  let config: ServerConfig;
  try {
    const flags: Partial<ServerConfig> = {};
    for (const s of SETTINGS) {
      const v = given[s.flag];
      if (v !== undefined) (flags as Record<string, unknown>)[s.key] = v;
    }
    const file = given['config'];
    config = resolveConfig({
      flags,
      env: readEnv(process.env),
      file: typeof file === 'string' ? readConfigFile(file) : undefined,
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`updateservicectl serve: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  if (typeof given['restore'] === 'string') return restore(config, given['restore']);
  if (given['reset-admin-key'] === true) return resetAdminKey(config);

  // The first start (or `database init`) prints admin's key, and a link that
  // signs the dashboard in as admin (the key travels in the fragment, which
  // browsers never send; the page removes it from the address bar).
  let published: string | undefined;
  let pendingKey: string | undefined;
  const printSignIn = (key: string) => process.stdout.write(`dashboard sign-in: ${signInLink(published!, 'admin', key)}\n`);
  config.onAdminKey = (key) => {
    process.stdout.write(`admin key: ${key}\n`);
    if (published) printSignIn(key);
    else pendingKey = key;
  };
  const { startServer } = await import('./server.js');
  let server;
  try {
    server = await startServer(config);
  } catch (err) {
    process.stderr.write(`updateservicectl serve: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`listening on ${server.url}\n`);
  published = config.baseUrl || server.url;
  if (pendingKey) printSignIn(pendingKey);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`updateservicectl serve: ${signal} again, exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`updateservicectl serve: ${signal}, finishing in-flight requests\n`);
      const done = (code: number) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(code);
      };
      server!.close().then(
        () => done(0),
        (err) => {
          process.stderr.write(`updateservicectl serve: shutdown: ${(err as Error).message}\n`);
          done(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** A lost admin key, recovered offline: the database is opened directly, no port is bound. */
async function resetAdminKey(config: ServerConfig): Promise<number> {
  const [{ openStore }, { resetAdminUser }] = await Promise.all([import('./db/connect.js'), import('./store/users.js')]);
  let store;
  try {
    store = await openStore({ dbUrl: config.dbUrl, dataDir: config.dataDir });
    const key = await resetAdminUser(store.db, config.adminKey);
    process.stdout.write(`admin key: ${key}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`updateservicectl serve: reset-admin-key: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}

async function restore(config: ServerConfig, file: string): Promise<number> {
  const [{ openStore }, { restoreBackup }] = await Promise.all([import('./db/connect.js'), import('./db/backup.js')]);
  const store = await openStore({ dbUrl: config.dbUrl, dataDir: config.dataDir });
  try {
    const counts = await restoreBackup(store, file);
    const summary = Object.entries(counts).map(([t, n]) => `${t}=${n}`).join(' ');
    process.stdout.write(`restored ${file}: ${summary || 'no rows'}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`updateservicectl serve: restore: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

/** The dashboard at `base`, signed in as `user` with `key` (see src/dashboard/session.ts). */
export function signInLink(base: string, user: string, key: string): string {
  return `${base.replace(/\/+$/, '')}/#sign-in?user=${encodeURIComponent(user)}&key=${encodeURIComponent(key)}`;
}
