// Hawk request signing as the original CoreUpdate client did it: header
// scheme only (no payload hash, no ext), the MAC over the decoded path.
import { createHmac, randomBytes } from 'node:crypto';

export interface HawkArtifacts {
  ts: string;
  nonce: string;
  method: string;
  /** Path and query, e.g. `/_ah/api/update/v1/apps?alt=json` (path percent-decoded). */
  resource: string;
  host: string;
  port: string;
}

/** The normalized string the MAC covers. */
export function normalizedString(a: HawkArtifacts): string {
  return `hawk.1.header\n${a.ts}\n${a.nonce}\n${a.method.toUpperCase()}\n${a.resource}\n${a.host.toLowerCase()}\n${a.port}\n\n\n`;
}

export function computeMac(key: string, a: HawkArtifacts): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(normalizedString(a)).digest('base64');
}

/** Port as Hawk signs it: explicit, else the scheme's default. */
export function effectivePort(url: URL): string {
  if (url.port) return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

/** Path percent-decoded the way Go's url.URL.Path holds it; invalid escapes are kept as written. */
export function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

export function newNonce(): string {
  return randomBytes(6).toString('base64');
}

/** The Authorization header for a request to `url`. */
export function hawkHeader(user: string, key: string, method: string, url: URL, now = Date.now()): string {
  const artifacts: HawkArtifacts = {
    ts: String(Math.floor(now / 1000)),
    nonce: newNonce(),
    method,
    resource: decodedPath(url.pathname) + url.search,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: effectivePort(url),
  };
  const mac = computeMac(key, artifacts);
  return `Hawk id="${user}", mac="${mac}", ts="${artifacts.ts}", nonce="${artifacts.nonce}"`;
}

/** Parses `Hawk id="…", mac="…", …` into its attributes; undefined when it is not a Hawk header. */
export function parseHawkHeader(header: string): Record<string, string> | undefined {
  const m = /^\s*Hawk\s+(.*)$/i.exec(header);
  if (!m) return undefined;
  const attrs: Record<string, string> = {};
  const re = /(\w+)="((?:[^"\\]|\\.)*)"\s*(?:,\s*|$)/gy;
  const rest = m[1]!;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(rest)) !== null) {
    attrs[match[1]!] = match[2]!;
    consumed = re.lastIndex;
  }
  if (consumed !== rest.length) return undefined;
  return attrs;
}
