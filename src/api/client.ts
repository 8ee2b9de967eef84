// The typed v1 client. Every call goes to `<server>/_ah/api/update/v1/<path>`
// with `alt=json` and the other query parameters sorted by name, is signed
// with Hawk, and fails with the original client's error wording.
import type { Agent, Dispatcher } from 'undici';
import { GoogleApiError, TransportError, decodeJson } from './errors.js';
import { goRequestBody } from './go-json.js';
import { hawkHeader } from './hawk.js';
import * as T from './types.js';

export interface ClientOptions {
  /** Server URL; a trailing `/` is trimmed and a path prefix kept. */
  server: string;
  user: string;
  key: string;
  skipSslVerify?: boolean;
  /** Milliseconds to wait for a reply's headers and between body chunks. */
  timeoutMs?: number;
  /** Receives a dump of each request and reply (for troubleshooting). */
  trace?: (text: string) => void;
  /** Connections kept open to the server (for `instance fake`). */
  connections?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

const USER_AGENT = 'updateservicectl';
const DEFAULT_TIMEOUT_MS = 60_000;

/** Go's url.Error operation name: "Get", "Post", … */
function goOp(method: string): string {
  return method[0]!.toUpperCase() + method.slice(1).toLowerCase();
}

/** Words a socket failure the way Go's net/http client did. */
export function describeTransportError(method: string, url: URL, err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const cause = e.cause ?? e;
  const code = cause.code ?? e.code ?? '';
  const hostPort = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  let detail: string;
  switch (code) {
    case 'ECONNREFUSED':
      detail = `dial tcp ${hostPort}: connect: connection refused`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      detail = `dial tcp: lookup ${url.hostname}: no such host`;
      break;
    case 'EHOSTUNREACH':
      detail = `dial tcp ${hostPort}: connect: no route to host`;
      break;
    case 'ENETUNREACH':
      detail = `dial tcp ${hostPort}: connect: network is unreachable`;
      break;
    case 'ECONNRESET':
      detail = `read tcp ${hostPort}: read: connection reset by peer`;
      break;
    case 'UND_ERR_CONNECT_TIMEOUT':
      detail = `dial tcp ${hostPort}: i/o timeout`;
      break;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      detail = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
      break;
    case 'UND_ERR_SOCKET':
      detail = 'EOF';
      break;
    default:
      if (/certificate|self[- ]signed|SSL|TLS/i.test(`${code} ${cause.message}`)) {
        detail = `tls: failed to verify certificate: ${cause.message}`;
      } else {
        detail = cause.message || String(err);
      }
  }
  return `${goOp(method)} "${url.href}": ${detail}`;
}

export class ApiClient {
  readonly server: string;
  /** The connection pool, made for the first request: undici loads only when a command sends one. */
  private pool?: Promise<{ agent: Agent; http: typeof import('./http.js') }>;

  constructor(private readonly opts: ClientOptions) {
    this.server = opts.server.replace(/\/+$/, '');
    assertServerUrl(this.server);
  }

  private connectionPool() {
    return (this.pool ??= import('./http.js').then((http) => {
      const timeout = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const agent = new http.Agent({
        connections: this.opts.connections ?? 16,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        connectTimeout: Math.min(timeout, 30_000),
        connect: { rejectUnauthorized: !this.opts.skipSslVerify },
      });
      return { agent, http };
    }));
  }

  /** Absolute URL of a v1 method path, with `alt=json` and sorted parameters. */
  apiUrl(path: string, query: Query = {}): URL {
    const params: [string, string][] = [['alt', 'json']];
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.push([k, String(v)]);
    params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const qs = params.map(([k, v]) => `${encodeQueryComponent(k)}=${encodeQueryComponent(v)}`).join('&');
    return new URL(`${this.server}${T.API_BASE_PATH}${path}?${qs}`);
  }

  /** URL of a non-API path on the server (`/db/backup`, `/v1/update/`, …). */
  serverUrl(path: string): URL {
    return new URL(`${this.server}${path}`);
  }

  /** Sends a request and returns the raw reply; throws TransportError when the exchange fails. */
  async send(
    method: string,
    url: URL,
    init: { body?: string | Buffer | NodeJS.ReadableStream; headers?: Record<string, string>; sign?: boolean } = {},
  ): Promise<RawReply> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...init.headers };
    if (init.sign !== false) headers['authorization'] = hawkHeader(this.opts.user, this.opts.key, method, url);
    this.opts.trace?.(`> ${method} ${url.href}\n${Object.entries(headers).map(([k, v]) => `> ${k}: ${v}`).join('\n')}\n${typeof init.body === 'string' ? init.body : ''}\n`);
    const { agent, http } = await this.connectionPool();
    try {
      const res = await http.request(agent, url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body: init.body as Dispatcher.DispatchOptions['body'],
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      throw new TransportError(describeTransportError(method, url, err));
    }
  }

  /** Calls a v1 method and decodes its JSON reply; throws GoogleApiError on a non-2xx status. */
  async call<R>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<R> {
    const url = this.apiUrl(path, opts.query);
    const hasBody = opts.body !== undefined;
    const reply = await this.send(method, url, {
      body: hasBody ? goRequestBody(opts.body) : undefined,
      headers: hasBody ? { 'content-type': 'application/json' } : {},
    });
    let text: string;
    try {
      text = await reply.body.text();
    } catch (err) {
      throw new TransportError(describeTransportError(method, url, err));
    }
    this.opts.trace?.(`< ${reply.status}\n${text}\n`);
    if (reply.status < 200 || reply.status > 299) throw GoogleApiError.fromReply(reply.status, text);
    return decodeJson(text) as R;
  }

  async close(): Promise<void> {
    if (this.pool) await (await this.pool).agent.close();
  }

  // ---- admin
  listUsers = () => this.call<T.AdminListUsersResp>('GET', 'admin/user');
  getUser = (name: string) => this.call<T.AdminUser>('GET', `admin/user/${seg(name)}`);
  createUser = (req: T.AdminUserReq) => this.call<T.AdminUser>('POST', 'admin/user', { body: req });
  deleteUser = (name: string) => this.call<T.AdminUser>('DELETE', `admin/user/${seg(name)}`);
  newToken = (name: string) => this.call<T.AdminUser>('PUT', `admin/user/${seg(name)}/token/new`, { body: { userName: name } });

  // ---- apps
  listApps = () => this.call<T.AppListResp>('GET', 'apps');
  getApp = (id: string) => this.call<T.App>('GET', `apps/${seg(id)}`);
  insertApp = (app: T.AppInsertReq) => this.call<T.App>('POST', 'apps', { body: app });
  updateApp = (id: string, app: T.AppUpdateReq) => this.call<T.App>('PATCH', `apps/${seg(id)}`, { body: app });
  updateUser = (name: string, req: T.AdminUserUpdateReq) => this.call<T.AdminUser>('PATCH', `admin/user/${seg(name)}`, { body: req });
  /** The user who signs the requests, with its role. */
  whoAmI = () => this.call<T.AdminUser>('GET', 'admin/me');
  deleteApp = (id: string) => this.call<T.App>('DELETE', `apps/${seg(id)}`);

  // ---- channels
  listChannels = (appId: string) => this.call<T.ChannelListResp>('GET', `apps/${seg(appId)}/channels`);
  insertChannel = (appId: string, req: T.ChannelRequest) =>
    this.call<T.AppChannel>('POST', `apps/${seg(appId)}/channels`, { body: req });
  updateChannel = (appId: string, label: string, req: T.ChannelRequest) =>
    this.call<T.AppChannel>('PATCH', `apps/${seg(appId)}/channels/${seg(label)}`, { body: req });
  deleteChannel = (appId: string, label: string) =>
    this.call<T.ChannelRequest>('DELETE', `apps/${seg(appId)}/channels/${seg(label)}`);
  publicChannels = () => this.call<T.ChannelListResp>('GET', 'public/channels');

  // ---- packages
  listPackages = (appId: string, query: { version?: string; limit?: number; skip?: number } = {}) =>
    this.call<T.PackageList>('GET', `apps/${seg(appId)}/packages`, { query });
  insertPackage = (appId: string, version: string, pkg: T.Package) =>
    this.call<T.Package>('POST', `apps/${seg(appId)}/packages/${seg(version)}`, { body: pkg });
  deletePackage = (appId: string, version: string) =>
    this.call<T.Package>('DELETE', `apps/${seg(appId)}/packages/${seg(version)}`);
  publicPackages = () => this.call<T.PublicPackageList>('GET', 'public/packages');

  // ---- groups
  listGroups = (appId: string) => this.call<T.GroupList>('GET', `apps/${seg(appId)}/groups`);
  getGroup = (appId: string, id: string) => this.call<T.Group>('GET', `apps/${seg(appId)}/groups/${seg(id)}`);
  insertGroup = (appId: string, group: T.Group) => this.call<T.Group>('POST', `apps/${seg(appId)}/groups`, { body: group });
  patchGroup = (appId: string, id: string, group: T.Group) =>
    this.call<T.Group>('PATCH', `apps/${seg(appId)}/groups/${seg(id)}`, { body: group });
  deleteGroup = (appId: string, id: string) => this.call<T.Group>('DELETE', `apps/${seg(appId)}/groups/${seg(id)}`);
  setGroupPercent = (appId: string, id: string, req: T.GroupPercent) =>
    this.call<T.GroupPercent>('POST', `apps/${seg(appId)}/groups/${seg(id)}`, { body: req });
  rollupVersions = (appId: string, groupId: string, start: string, end: string, query: { resolution?: string; versions?: string } = {}) =>
    this.call<T.GroupRequestsRollup>('GET', `apps/${seg(appId)}/groups/${seg(groupId)}/requests/versions/${seg(start)}/${seg(end)}`, { query });
  rollupEvents = (appId: string, groupId: string, start: string, end: string, query: { resolution?: string; versions?: string } = {}) =>
    this.call<T.GroupRequestsRollup>('GET', `apps/${seg(appId)}/groups/${seg(groupId)}/requests/events/${seg(start)}/${seg(end)}`, { query });
  getRollout = (appId: string, groupId: string) =>
    this.call<T.Rollout>('GET', `apps/${seg(appId)}/groups/${seg(groupId)}/rollout`);
  setRollout = (appId: string, groupId: string, rollout: T.Rollout) =>
    this.call<T.Rollout>('POST', `apps/${seg(appId)}/groups/${seg(groupId)}/rollout`, { body: rollout });
  getRolloutActive = (appId: string, groupId: string) =>
    this.call<T.RolloutActive>('GET', `apps/${seg(appId)}/groups/${seg(groupId)}/rollout/active`);
  setRolloutActive = (appId: string, groupId: string, req: T.RolloutActive) =>
    this.call<T.RolloutActive>('POST', `apps/${seg(appId)}/groups/${seg(groupId)}/rollout/active`, { body: req });

  // ---- instances
  appVersions = (query: T.InstanceQuery) => this.call<T.AppVersionList>('GET', 'appversions', { query: query as Query });
  clientUpdates = (query: T.InstanceQuery) => this.call<T.ClientUpdateList>('GET', 'clientupdates', { query: query as Query });
  clientUpdateCount = (query: T.InstanceQuery) =>
    this.call<T.ClientCountResp>('GET', 'clientupdatecount', { query: query as Query });
  clientHistory = (clientId: string) => this.call<T.ClientHistoryResp>('GET', 'client/history', { query: { clientId } });

  // ---- upstreams
  listUpstreams = () => this.call<T.UpstreamListResp>('GET', 'upstream');
  insertUpstream = (u: T.Upstream) => this.call<T.Upstream>('POST', 'upstream', { body: u });
  updateUpstream = (id: string, u: T.Upstream) => this.call<T.Upstream>('PUT', `upstream/${seg(id)}`, { body: u });
  deleteUpstream = (id: string) => this.call<T.Upstream>('DELETE', `upstream/${seg(id)}`);
  syncUpstreams = () => this.call<T.UpstreamSyncResp>('POST', 'upstream/sync');

  // ---- util
  uuid = () => this.call<T.GenerateUuidResp>('GET', 'util/uuid');
}

/** Fails early, with a clear message, on a server address no request could use. */
function assertServerUrl(server: string): void {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new TransportError(`invalid server URL "${server}": expected http://host[:port][/path] or https://…`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TransportError(`unsupported protocol scheme "${url.protocol.slice(0, -1)}" in server URL "${server}"`);
  }
}

/** Escapes one path segment as Go's googleapi.Expand did (url.PathEscape-like). */
export function seg(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Go's url.QueryEscape: spaces as `+`. */
function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
