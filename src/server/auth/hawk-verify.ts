// Server side of Hawk as the CoreUpdate client signs it (header scheme, no
// payload hash): MAC over the raw or (as the original client signs) the
// decoded path, ±60 s clock skew, and
// a nonce replay store in the database shared by every replica.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { computeMac, decodedPath, parseHawkHeader, type HawkArtifacts } from '../../api/hawk.js';
import type { Store } from '../db/connect.js';
import type { UserRow } from '../db/schema.js';
import { unauthorized } from '../http/errors.js';
import { rememberNonce } from '../store/nonces.js';
import { isStorageFull } from '../db/tx.js';
import { getUser } from '../store/users.js';

export const CLOCK_SKEW_SECONDS = 60;
/** A nonce can be replayed while its ts is within the skew of now: keep it that long, plus margin. */
export const NONCE_RETENTION_MS = (2 * CLOCK_SKEW_SECONDS + 60) * 1000;

export interface HawkRequest {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  rawUrl: string;
  hostHeader: string | undefined;
  /** 'http' or 'https', as the client reached us (after trusted proxies). */
  protocol: string;
  authorization: string | undefined;
}

export interface HawkOptions {
  /** Published base URL: its host, port and path prefix are accepted too (proxies). */
  baseUrl?: string;
  now?: () => number;
}

/** The `tsm` a client uses to correct its clock: HMAC over the server's time. */
export function timestampMac(key: string, ts: number): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(`hawk.1.ts\n${ts}\n`).digest('base64');
}

function splitHost(host: string): { name: string; port?: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim());
  if (!m) return { name: host };
  return { name: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] };
}

/** Every (resource, host, port) a well-behaved client may have signed for this request. */
function candidates(req: HawkRequest, opts: HawkOptions): Omit<HawkArtifacts, 'ts' | 'nonce' | 'method'>[] {
  const q = req.rawUrl.indexOf('?');
  const rawPath = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const search = q < 0 ? '' : req.rawUrl.slice(q);
  // The path as sent; and, because the original 2.1.0 client (and ours, to
  // match it) signs Go's decoded URL.Path, the decoded path too, unless
  // decoding produced a `?` or `#`: then a MAC for `/apps/v?alt=json` would
  // also pass for `/apps/v%3Falt=json`, another resource.
  const paths = new Set([rawPath + search]);
  const decoded = decodedPath(rawPath);
  if (!/[?#]/.test(decoded)) paths.add(decoded + search);
  const hosts: { name: string; ports: string[] }[] = [];
  const defaults = req.protocol === 'https' ? ['443', '80'] : ['80', '443'];
  if (req.hostHeader) {
    const h = splitHost(req.hostHeader);
    hosts.push({ name: h.name, ports: h.port ? [h.port] : defaults });
  }
  if (opts.baseUrl) {
    try {
      const base = new URL(opts.baseUrl);
      const prefix = base.pathname.replace(/\/+$/, '');
      if (prefix) for (const p of [...paths]) paths.add(prefix + p);
      hosts.push({ name: base.hostname.replace(/^\[|\]$/g, ''), ports: [base.port || (base.protocol === 'https:' ? '443' : '80')] });
    } catch {
      // a bad base URL was rejected at start-up
    }
  }
  const out: Omit<HawkArtifacts, 'ts' | 'nonce' | 'method'>[] = [];
  for (const resource of paths) for (const h of hosts) for (const port of h.ports) out.push({ resource, host: h.name, port });
  return out;
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Verifies the request's Hawk header; returns the signing user or throws a 401 ApiError. */
export async function verifyHawk(store: Store, req: HawkRequest, opts: HawkOptions = {}): Promise<UserRow> {
  const header = req.authorization;
  if (!header) throw unauthorized('missing Hawk authorization', 'Hawk');
  const attrs = parseHawkHeader(header);
  if (!attrs) throw unauthorized('invalid authorization header: expected Hawk', 'Hawk');
  const { id, ts, nonce, mac } = attrs;
  if (!id || !ts || !nonce || !mac || !/^\d{1,12}$/.test(ts)) {
    throw unauthorized('invalid Hawk header: id, ts, nonce and mac are required', 'Hawk error="Missing attributes"');
  }
  const user = await getUser(store.db, id);
  // Unknown users get the same answer as a bad MAC: names are not disclosed.
  const ok =
    !!user &&
    candidates(req, opts).some((c) => sameMac(mac, computeMac(user.key, { ...c, ts, nonce, method: req.method })));
  if (!user || !ok) throw unauthorized('invalid Hawk credentials: bad mac', 'Hawk error="Bad mac"');

  const now = Math.floor((opts.now?.() ?? Date.now()) / 1000);
  if (Math.abs(now - Number(ts)) > CLOCK_SKEW_SECONDS) {
    throw unauthorized(
      'stale Hawk timestamp: check the clock',
      `Hawk ts="${now}", tsm="${timestampMac(user.key, now)}", error="Stale timestamp"`,
    );
  }
  if (!(await nonceIsNew(store, req.method, id, nonce, Number(ts)))) {
    throw unauthorized('replayed Hawk nonce', 'Hawk error="Invalid nonce"');
  }
  return user;
}

/**
 * Records the nonce; false for a replay. While the disk is full a read still
 * goes through unrecorded (replaying a read changes nothing, and writes are
 * refused with 507 anyway), so the service stays readable.
 */
async function nonceIsNew(store: Store, method: string, user: string, nonce: string, ts: number): Promise<boolean> {
  try {
    return await rememberNonce(store.db, user, nonce, ts);
  } catch (err) {
    if (isStorageFull(err) && (method === 'GET' || method === 'HEAD')) return true;
    throw err;
  }
}
