// The v1 API from the browser, signed with Hawk exactly as the CLI signs it
// (src/api/hawk.ts and docs/cli.md): header scheme, no
// payload hash, MAC over method, path and query, host and port. The server
// accepts the MAC over the raw path too, which is what the page signs: the
// very string it sends.
import type * as T from '../api/types.js';
import { hmacSha256Base64 } from './hmac.js';

export interface Credentials {
  user: string;
  key: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

export function normalizedString(a: { ts: string; nonce: string; method: string; resource: string; host: string; port: string }): string {
  return `hawk.1.header\n${a.ts}\n${a.nonce}\n${a.method.toUpperCase()}\n${a.resource}\n${a.host.toLowerCase()}\n${a.port}\n\n\n`;
}

export async function hawkHeader(creds: Credentials, method: string, url: URL, nowMs: number): Promise<string> {
  const nonceBytes = new Uint8Array(6);
  crypto.getRandomValues(nonceBytes);
  const nonce = btoa(String.fromCharCode(...nonceBytes));
  const ts = String(Math.floor(nowMs / 1000));
  const mac = await hmacSha256Base64(
    creds.key,
    normalizedString({
      ts,
      nonce,
      method,
      resource: url.pathname + url.search,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (url.protocol === 'https:' ? '443' : '80'),
    }),
  );
  return `Hawk id="${creds.user}", mac="${mac}", ts="${ts}", nonce="${nonce}"`;
}

/** The page's own directory (without file, query or fragment): the API lives below it. */
export function pageBase(): URL {
  return new URL('./', location.href.replace(/[?#].*$/, ''));
}

const seg = encodeURIComponent;

export class Api {
  /** Server clock minus ours, in ms: learnt from a "stale timestamp" answer. */
  private skewMs = 0;

  constructor(
    readonly creds: Credentials,
    private readonly base: URL = new URL('_ah/api/update/v1/', pageBase()),
  ) {}

  url(path: string, query: Query = {}): URL {
    const params = Object.entries(query)
      .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
      .map(([k, v]) => [k, String(v)] as [string, string]);
    params.push(['alt', 'json']);
    params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const u = new URL(path, this.base);
    u.search = new URLSearchParams(params).toString();
    return u;
  }

  async call<R>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<R> {
    const url = this.url(path, opts.query);
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(url, {
        method,
        headers: {
          authorization: await hawkHeader(this.creds, method, url, Date.now() + this.skewMs),
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        cache: 'no-store',
      });
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : {}) as R;
      if (res.status === 401 && attempt === 0 && (await this.learnSkew(res.headers.get('www-authenticate')))) continue;
      let message = `${res.status} ${res.statusText}`;
      try {
        const body = JSON.parse(text) as T.GoogleErrorBody;
        if (body.error?.message) message = body.error.message;
      } catch {
        // not JSON: keep the status line
      }
      throw new ApiError(res.status, message);
    }
  }

  /** A stale-timestamp 401 carries the server's time, MACed with our key: adopt it. */
  private async learnSkew(header: string | null): Promise<boolean> {
    const m = header && /ts="(\d+)", tsm="([^"]+)"/.exec(header);
    if (!m) return false;
    const expected = await hmacSha256Base64(this.creds.key, `hawk.1.ts\n${m[1]}\n`);
    if (expected !== m[2]) return false;
    this.skewMs = Number(m[1]) * 1000 - Date.now();
    return true;
  }

  // ---- the methods the dashboard uses
  /** The signed-in user and its role. */
  whoAmI = () => this.call<T.AdminUser>('GET', 'admin/me');

  listApps = () => this.call<T.AppListResp>('GET', 'apps');
  getApp = (id: string) => this.call<T.App>('GET', `apps/${seg(id)}`);
  createApp = (app: T.App) => this.call<T.App>('POST', 'apps', { body: app });

  listChannels = (appId: string) => this.call<T.ChannelListResp>('GET', `apps/${seg(appId)}/channels`);
  createChannel = (appId: string, c: T.ChannelRequest) => this.call<T.AppChannel>('POST', `apps/${seg(appId)}/channels`, { body: { ...c, appId } });
  updateChannel = (appId: string, label: string, c: T.ChannelRequest) =>
    this.call<T.AppChannel>('PATCH', `apps/${seg(appId)}/channels/${seg(label)}`, { body: { ...c, appId, label } });

  listPackages = (appId: string) => this.call<T.PackageList>('GET', `apps/${seg(appId)}/packages`);
  createPackage = (appId: string, p: T.Package) =>
    this.call<T.Package>('POST', `apps/${seg(appId)}/packages/${seg(p.version ?? '')}`, { body: { ...p, appId } });

  listGroups = (appId: string) => this.call<T.GroupList>('GET', `apps/${seg(appId)}/groups`);
  getGroup = (appId: string, id: string) => this.call<T.Group>('GET', `apps/${seg(appId)}/groups/${seg(id)}`);
  createGroup = (appId: string, g: T.Group) => this.call<T.Group>('POST', `apps/${seg(appId)}/groups`, { body: { ...g, appId } });
  updateGroup = (appId: string, g: T.Group) => this.call<T.Group>('PATCH', `apps/${seg(appId)}/groups/${seg(g.id ?? '')}`, { body: { ...g, appId } });

  getRollout = (appId: string, groupId: string) => this.call<T.Rollout>('GET', `apps/${seg(appId)}/groups/${seg(groupId)}/rollout`);
  setRollout = (appId: string, groupId: string, rollout: T.Frame[]) =>
    this.call<T.Rollout>('POST', `apps/${seg(appId)}/groups/${seg(groupId)}/rollout`, { body: { appId, groupId, rollout } });
  setRolloutActive = (appId: string, groupId: string, active: boolean) =>
    this.call<T.RolloutActive>('POST', `apps/${seg(appId)}/groups/${seg(groupId)}/rollout/active`, { body: { appId, groupId, active } });

  rollup = (kind: 'versions' | 'events', appId: string, groupId: string, start: number, end: number, resolution: number) =>
    this.call<T.GroupRequestsRollup>('GET', `apps/${seg(appId)}/groups/${seg(groupId)}/requests/${kind}/${start}/${end}`, {
      query: { resolution },
    });

  appVersions = (q: T.InstanceQuery) => this.call<T.AppVersionList>('GET', 'appversions', { query: q as Query });
  clientUpdates = (q: T.InstanceQuery) => this.call<T.ClientUpdateList>('GET', 'clientupdates', { query: q as Query });
  clientUpdateCount = (q: T.InstanceQuery) => this.call<T.ClientCountResp>('GET', 'clientupdatecount', { query: q as Query });
}
