// Upstream sync: read another service's public/channels and public/packages
// and, for apps that exist here under the same id, add the packages we lack,
// create channels we lack (marked as following that upstream) and move the
// channels that follow it. Everything is fetched first and applied in one
// transaction: a sync that fails on any upstream changes nothing.
import { request } from 'undici';
import type * as T from '../../api/types.js';
import { API_BASE_PATH } from '../../api/types.js';
import type { Store } from '../db/connect.js';
import { inTransaction } from '../db/tx.js';
import { ApiError } from '../http/errors.js';
import { getApp, getChannel, insertChannel, insertPackageIfMissing, updateChannel } from '../store/apps.js';
import { listUpstreams } from '../store/upstreams.js';
import { packageRowFrom } from '../routes/packages.js';
import { canonicalAppId, checkId, checkVersion } from '../validate.js';

const FETCH_TIMEOUT_MS = 30_000;
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export interface SyncResult {
  channels: number;
  packages: number;
  skipped: number;
}

interface UpstreamCatalog {
  url: string;
  channels: T.AppChannel[];
  packages: T.PublicPackageItem[];
}

/** How a channel's `upstream` field names an upstream: its URL without a trailing slash. */
export const upstreamKey = (url: string) => url.trim().replace(/\/+$/, '');

async function fetchJson(url: string): Promise<unknown> {
  let res;
  try {
    res = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': 'updateservicectl-serve' },
      headersTimeout: FETCH_TIMEOUT_MS,
      bodyTimeout: FETCH_TIMEOUT_MS,
      maxRedirections: 0,
    } as Parameters<typeof request>[1]);
  } catch (err) {
    throw new Error(`${url}: ${(err as Error).message}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_REPLY_BYTES) {
      res.body.destroy();
      throw new Error(`${url}: reply larger than ${MAX_REPLY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url}: reply is not JSON`);
  }
}

async function fetchCatalog(baseUrl: string): Promise<UpstreamCatalog> {
  const api = upstreamKey(baseUrl) + API_BASE_PATH;
  const [channels, packages] = await Promise.all([
    fetchJson(`${api}public/channels?alt=json`) as Promise<T.ChannelListResp>,
    fetchJson(`${api}public/packages?alt=json`) as Promise<T.PublicPackageList>,
  ]);
  return {
    url: baseUrl,
    channels: Array.isArray(channels?.items) ? channels.items : [],
    packages: Array.isArray(packages?.items) ? packages.items : [],
  };
}

export async function syncUpstreams(store: Store): Promise<SyncResult> {
  const upstreams = await listUpstreams(store.db);
  const settled = await Promise.allSettled(upstreams.map((u) => fetchCatalog(u.url)));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
  if (failures.length > 0) throw new ApiError(502, 'upstreamError', `upstream sync failed: ${failures.join('; ')}`);
  const catalogs = settled.map((s) => (s as PromiseFulfilledResult<UpstreamCatalog>).value);

  return inTransaction(store, async (trx) => {
    const result: SyncResult = { channels: 0, packages: 0, skipped: 0 };
    const known = new Map<string, boolean>();
    const appExists = async (appId: string) => {
      if (!known.has(appId)) known.set(appId, !!(await getApp(trx, appId)));
      return known.get(appId)!;
    };
    for (const catalog of catalogs) {
      for (const item of catalog.packages) {
        if (typeof item?.AppId !== 'string' || !(await appExists(canonicalAppId(item.AppId)))) continue;
        const appId = canonicalAppId(item.AppId);
        for (const pkg of Array.isArray(item.packages) ? item.packages : []) {
          try {
            const version = checkVersion('version', pkg?.version);
            const row = packageRowFrom(appId, version, pkg as Record<string, unknown>);
            if (await insertPackageIfMissing(trx, row)) result.packages++;
          } catch {
            result.skipped++; // one malformed upstream entry must not block the rest
          }
        }
      }
      const source = upstreamKey(catalog.url);
      for (const ch of catalog.channels) {
        if (typeof ch?.appId !== 'string' || !(await appExists(canonicalAppId(ch.appId)))) continue;
        const appId = canonicalAppId(ch.appId);
        let label: string;
        let version: string;
        try {
          label = checkId('label', ch.label);
          version = checkVersion('version', ch.version);
        } catch {
          result.skipped++;
          continue;
        }
        const local = await getChannel(trx, appId, label);
        if (!local) {
          await insertChannel(trx, { app_id: appId, label, version, publish: 0, upstream: source, created_at: Date.now() });
          result.channels++;
        } else if (upstreamKey(local.upstream) === source && local.version !== version) {
          await updateChannel(trx, appId, label, { version });
          result.channels++;
        }
      }
    }
    return result;
  });
}

export function describeSync(r: SyncResult): string {
  const skipped = r.skipped ? `, skipped ${r.skipped} invalid entries` : '';
  return `synced ${r.channels} channels, ${r.packages} packages${skipped}`;
}
