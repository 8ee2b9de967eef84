// `updateservicectl serve`: the command line of the update service.
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, SETTINGS, readConfigFile, readEnv, resolveConfig, type ServerConfig } from './config.js';
import { openStore } from './db/connect.js';
import { restoreBackup } from './db/backup.js';
import { startServer } from './server.js';

const DESCRIPTIONS: Record<string, string> = {
  listen: 'address to listen on, host:port (default ":8000")',
  'base-url': 'published base URL, when behind a proxy or load balancer (default: from each request)',
  'data-dir': 'directory for the embedded database and uploaded payloads (default "./updateservice-data")',
  'db-url': 'database: postgres://user:pass@host/db selects PostgreSQL (default: SQLite in the data dir)',
  'packages-dir': 'directory of payloads served at /packages/ (default "<data dir>/packages")',
  'enable-package-uploads': 'accept POST /package-upload',
  'upstream-sync-interval': 'seconds between syncs with upstream services, 0 = off',
  'tls-cert': 'TLS certificate file (PEM); serve HTTPS',
  'tls-key': 'TLS private key file (PEM)',
  'admin-key': 'key for "admin" when the first start creates it (default random)',
  'log-level': 'request log level: fatal, error, warn, info, debug, trace, silent (default "info")',
  'trust-proxy': 'trust X-Forwarded-* headers from a proxy',
  'retention-days': 'days of update events (and of instances not seen) kept, 0 = forever (default 30)',
};

function parseBool(flag: string) {
  return (value: string | undefined) => {
    if (value === undefined) return true;
    const s = value.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    throw new CommanderError(2, 'serve.invalidArgument', `invalid value "${value}" for --${flag}`);
  };
}

function parseNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new CommanderError(2, 'serve.invalidArgument', `invalid value "${value}" for --${flag}`);
    return n;
  };
}

function buildCommand(): Command {
  const cmd = new Command('serve')
    .description('Run the update service: the CoreUpdate v1 API, the Omaha endpoint and payload hosting.')
    .usage('[options]')
    .option('--config <file>', 'YAML file of settings (keys: flag or variable names); flags beat the environment, which beats the file')
    .option('--restore <backup>', 'load a backup (from GET /db/backup) into the empty configured database, then exit')
    .exitOverride()
    .allowExcessArguments(false);
  for (const s of SETTINGS) {
    const description = `${DESCRIPTIONS[s.flag] ?? ''} [env ${s.env}]`;
    let opt: Option;
    if (s.type === 'boolean') opt = new Option(`--${s.flag} [bool]`, description).argParser(parseBool(s.flag));
    else if (s.type === 'number') opt = new Option(`--${s.flag} <${s.flag === 'retention-days' ? 'days' : 'seconds'}>`, description).argParser(parseNumber(s.flag));
    else opt = new Option(`--${s.flag} <value>`, description);
    cmd.addOption(opt);
  }
  return cmd;
}

/** Runs `serve` until SIGINT/SIGTERM; returns the process exit code. */
export async function serveMain(args: string[]): Promise<number> {
  const argv = args[0] === 'serve' ? args.slice(1) : args;
  const cmd = buildCommand();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      return err.exitCode || 2;
    }
    throw err;
  }
  const opts = cmd.opts<Record<string, unknown>>();

  let config: ServerConfig;
  try {
    const flags: Partial<ServerConfig> = {};
    for (const s of SETTINGS) {
      const v = opts[camel(s.flag)];
      if (v !== undefined) (flags as Record<string, unknown>)[s.key] = v;
    }
    config = resolveConfig({
      flags,
      env: readEnv(process.env),
      file: typeof opts.config === 'string' ? readConfigFile(opts.config) : undefined,
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`updateservicectl serve: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  if (typeof opts.restore === 'string') return restore(config, opts.restore);

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

async function restore(config: ServerConfig, file: string): Promise<number> {
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

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The dashboard at `base`, signed in as `user` with `key` (see src/dashboard/session.ts). */
export function signInLink(base: string, user: string, key: string): string {
  return `${base.replace(/\/+$/, '')}/#sign-in?user=${encodeURIComponent(user)}&key=${encodeURIComponent(key)}`;
}
