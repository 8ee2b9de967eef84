// Settings of `updateservicectl serve`: each has a flag, an environment
// variable (the CoreUpdate name) and a key in the YAML file given by --config.
// A flag beats the environment, which beats the file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export interface ServerConfig {
  /** host:port; `:8000` listens on every interface. */
  listen: string;
  /** Published base URL (behind a proxy); default: taken from each request. */
  baseUrl?: string;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; default: SQLite in the data dir. */
  dbUrl?: string;
  packagesDir: string;
  enablePackageUploads: boolean;
  /** Seconds between upstream syncs; 0 = off. */
  upstreamSyncInterval: number;
  tlsCert?: string;
  tlsKey?: string;
  /** Key for `admin` when the first start creates it; default random. */
  adminKey?: string;
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  logLevel: string;
  /** Trust X-Forwarded-* headers (behind a load balancer). */
  trustProxy: boolean;
  /** Days of Omaha events (and of idle instances) kept; 0 keeps everything. */
  retentionDays: number;
  /** Seconds a client has to send a request's headers. */
  headersTimeout: number;
  /** Seconds a client has to send a whole request, body included; 0 = no limit. */
  requestTimeout: number;
  /** Seconds a connection may sit idle (no bytes either way) before it is closed; 0 = never. */
  idleTimeout: number;
  /** Connections the kernel queues before `serve` accepts them (capped by net.core.somaxconn). */
  listenBacklog: number;
  /** Seconds SIGTERM waits for requests in flight before closing what remains. */
  shutdownTimeout: number;
  /** Called when `admin` is created (first start, /admin/v1/init) with its key. */
  onAdminKey?: (key: string) => void;
}

export interface SettingSpec {
  key: keyof ServerConfig;
  flag: string;
  env: string;
  type: 'string' | 'boolean' | 'number';
  /** The only values allowed, when there is such a list. */
  choices?: readonly string[];
}

/** pino's levels, the values of --log-level. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SETTINGS: SettingSpec[] = [
  { key: 'listen', flag: 'listen', env: 'LISTEN_ADDRESS', type: 'string' },
  { key: 'baseUrl', flag: 'base-url', env: 'BASE_URL', type: 'string' },
  { key: 'dataDir', flag: 'data-dir', env: 'DATA_DIR', type: 'string' },
  { key: 'dbUrl', flag: 'db-url', env: 'DB_URL', type: 'string' },
  { key: 'packagesDir', flag: 'packages-dir', env: 'STATIC_PACKAGES_DIR', type: 'string' },
  { key: 'enablePackageUploads', flag: 'enable-package-uploads', env: 'ENABLE_PACKAGE_UPLOADS', type: 'boolean' },
  { key: 'upstreamSyncInterval', flag: 'upstream-sync-interval', env: 'UPSTREAM_SYNC_INTERVAL', type: 'number' },
  { key: 'tlsCert', flag: 'tls-cert', env: 'TLS_CERT_FILE', type: 'string' },
  { key: 'tlsKey', flag: 'tls-key', env: 'TLS_KEY_FILE', type: 'string' },
  { key: 'adminKey', flag: 'admin-key', env: 'ADMIN_KEY', type: 'string' },
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL', type: 'string', choices: LOG_LEVELS },
  { key: 'trustProxy', flag: 'trust-proxy', env: 'TRUST_PROXY', type: 'boolean' },
  { key: 'retentionDays', flag: 'retention-days', env: 'RETENTION_DAYS', type: 'number' },
  { key: 'headersTimeout', flag: 'headers-timeout', env: 'HEADERS_TIMEOUT', type: 'number' },
  { key: 'requestTimeout', flag: 'request-timeout', env: 'REQUEST_TIMEOUT', type: 'number' },
  { key: 'idleTimeout', flag: 'idle-timeout', env: 'IDLE_TIMEOUT', type: 'number' },
  { key: 'listenBacklog', flag: 'listen-backlog', env: 'LISTEN_BACKLOG', type: 'number' },
  { key: 'shutdownTimeout', flag: 'shutdown-timeout', env: 'SHUTDOWN_TIMEOUT', type: 'number' },
];

/** Defaults of the connection settings (seconds, or connections for the backlog). */
export const CONNECTION_DEFAULTS = {
  headersTimeout: 30,
  requestTimeout: 120,
  idleTimeout: 120,
  listenBacklog: 8192,
  shutdownTimeout: 10,
} as const;

export const DEFAULT_DATA_DIR = './updateservice-data';
export const DEFAULT_RETENTION_DAYS = 30;

export class ConfigError extends Error {}

const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');

function coerce(spec: SettingSpec, value: unknown, source: string): unknown {
  if (value === undefined || value === null) return undefined;
  try {
    return settingValue(spec, value);
  } catch (err) {
    throw new ConfigError(`${source}: invalid value ${JSON.stringify(value)} for ${spec.flag}: ${(err as Error).message}`);
  }
}

/**
 * A setting's value from a flag, a variable or the file; throws an Error that
 * says what the setting expects.
 */
export function settingValue(spec: SettingSpec, value: unknown): string | boolean | number {
  switch (spec.type) {
    case 'string': {
      const text = String(value);
      if (spec.choices && !spec.choices.includes(text)) throw new Error(`expected one of ${spec.choices.join(', ')}`);
      return text;
    }
    case 'boolean':
      return booleanValue(value);
    case 'number': {
      const n = typeof value === 'number' ? value : String(value).trim() === '' ? NaN : Number(String(value).trim());
      if (!Number.isFinite(n) || n < 0) throw new Error('expected a number, 0 or more');
      return n;
    }
  }
}

/** A yes or no from a flag, a variable or the file. */
export function booleanValue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  throw new Error('expected true or false (or yes/no, on/off, 1/0)');
}

/** Reads the YAML file: keys may be the flag name, its camelCase, or the variable name. */
export function readConfigFile(file: string): Partial<ServerConfig> {
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`config file ${file}: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`config file ${file}: expected a mapping of settings`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    const spec = SETTINGS.find((s) => squash(s.flag) === squash(k) || squash(s.env) === squash(k));
    if (!spec) throw new ConfigError(`config file ${file}: unknown setting "${k}"`);
    out[spec.key] = coerce(spec, v, `config file ${file}`);
  }
  return out as Partial<ServerConfig>;
}

export function readEnv(env: NodeJS.ProcessEnv): Partial<ServerConfig> {
  const out: Record<string, unknown> = {};
  for (const spec of SETTINGS) {
    const v = env[spec.env];
    if (v !== undefined && v !== '') out[spec.key] = coerce(spec, v, `environment ${spec.env}`);
  }
  return out as Partial<ServerConfig>;
}

/** Flag values (already typed by the parser) over env over file, then defaults. */
export function resolveConfig(layers: { flags?: Partial<ServerConfig>; env?: Partial<ServerConfig>; file?: Partial<ServerConfig> }): ServerConfig {
  const merged: Partial<ServerConfig> = { ...layers.file, ...layers.env };
  for (const [k, v] of Object.entries(layers.flags ?? {})) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  return withDefaults(merged);
}

export function withDefaults(c: Partial<ServerConfig>): ServerConfig {
  const dataDir = c.dataDir || DEFAULT_DATA_DIR;
  const config: ServerConfig = {
    ...c,
    listen: c.listen || ':8000',
    dataDir,
    packagesDir: c.packagesDir || path.join(dataDir, 'packages'),
    enablePackageUploads: c.enablePackageUploads ?? false,
    upstreamSyncInterval: c.upstreamSyncInterval ?? 0,
    logLevel: c.logLevel || 'info',
    trustProxy: c.trustProxy ?? false,
    retentionDays: c.retentionDays ?? DEFAULT_RETENTION_DAYS,
    headersTimeout: c.headersTimeout ?? CONNECTION_DEFAULTS.headersTimeout,
    requestTimeout: c.requestTimeout ?? CONNECTION_DEFAULTS.requestTimeout,
    idleTimeout: c.idleTimeout ?? CONNECTION_DEFAULTS.idleTimeout,
    listenBacklog: c.listenBacklog ?? CONNECTION_DEFAULTS.listenBacklog,
    shutdownTimeout: c.shutdownTimeout ?? CONNECTION_DEFAULTS.shutdownTimeout,
  };
  if (!(config.headersTimeout > 0)) throw new ConfigError('--headers-timeout must be more than 0 seconds');
  if (config.requestTimeout > 0 && config.requestTimeout < config.headersTimeout) {
    throw new ConfigError('--request-timeout must be 0 (no limit) or at least --headers-timeout');
  }
  if (!(config.listenBacklog >= 1)) throw new ConfigError('--listen-backlog must be at least 1');
  if (!!config.tlsCert !== !!config.tlsKey) throw new ConfigError('--tls-cert and --tls-key go together');
  if (config.baseUrl) {
    try {
      const u = new URL(config.baseUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    } catch {
      throw new ConfigError(`invalid base URL ${JSON.stringify(config.baseUrl)}`);
    }
    config.baseUrl = config.baseUrl.replace(/\/+$/, '');
  }
  parseListen(config.listen);
  return config;
}

/** `:8000` → all interfaces; `127.0.0.1:0`, `[::1]:8000`, `localhost:8000`. */
export function parseListen(listen: string): { host?: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen.trim());
  if (!m) throw new ConfigError(`invalid listen address ${JSON.stringify(listen)}: expected host:port`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(`invalid port in ${JSON.stringify(listen)}`);
  const host = m[1] ?? m[2];
  return { host: host || undefined, port };
}
