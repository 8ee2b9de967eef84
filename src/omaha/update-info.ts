// What `instance fake` and `watch` read from a reply: the first app's
// updatecheck, its manifest version and the package URL.

import { posix } from 'node:path';
import type { OmahaResponse } from './types.js';

export interface UpdateInfo {
  /** appid of the first app, as the server wrote it. */
  appId: string;
  /** The updatecheck status: "ok", "noupdate", "error-…", or "" if absent. */
  status: string;
  /** Manifest version, when the reply has a manifest. */
  version?: string;
  /** First codebase joined with the first package's name (UPDATE_SERVICE_URL). */
  url?: string;
  codebase?: string;
  packageName?: string;
  size?: number;
  /** Base64 SHA-1 (`package@hash`). */
  hash?: string;
  /** Base64 SHA-256 from the postinstall action. */
  sha256?: string;
}

/**
 * The first app's update, or undefined when the reply has no app or the app
 * has no updatecheck (the original CLI crashed there; callers choose now).
 */
export function updateInfo(response: OmahaResponse): UpdateInfo | undefined {
  const app = response.apps[0];
  const check = app?.updateCheck;
  if (!app || !check) return undefined;

  const info: UpdateInfo = { appId: app.appId, status: check.status };
  const manifest = check.manifest;
  if (manifest) info.version = manifest.version;

  const codebase = check.urls?.[0];
  const pkg = manifest?.packages[0];
  if (codebase !== undefined) info.codebase = codebase;
  if (pkg) {
    info.packageName = pkg.name;
    if (pkg.size !== undefined) info.size = pkg.size;
    if (pkg.hash !== undefined) info.hash = pkg.hash;
  }
  if (codebase !== undefined && pkg) info.url = packageUrl(codebase, pkg.name);

  const postinstall = manifest?.actions.find((action) => action.event === 'postinstall') ?? manifest?.actions[0];
  if (postinstall?.sha256 !== undefined) info.sha256 = postinstall.sha256;
  return info;
}

/** Go's path.Join: join the non-empty parts, clean, no trailing slash. */
function joinPath(base: string, name: string): string {
  const parts = [base, name].filter((part) => part !== '');
  if (parts.length === 0) return '';
  const cleaned = posix.normalize(parts.join('/'));
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

/** Escape what cannot stand in a URL path, as Go's URL.String() does. */
function escapePathSegment(name: string): string {
  try {
    return encodeURI(name).replace(/[?#]/g, encodeURIComponent);
  } catch {
    return name; // lone surrogate: nothing sensible to encode
  }
}

// scheme:, //authority, path, ?query#fragment
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:)?(\/\/[^/?#]*)?([^?#]*)(.*)$/s;

/**
 * The package URL as the original `watch` computed it (Go: url.Parse, then
 * path.Join(url.Path, name)): the codebase's trailing '/' is optional, its
 * query and fragment are kept, and the URL is otherwise left as written.
 */
export function packageUrl(codebase: string, packageName: string): string {
  const [, scheme = '', authority = '', path = '', suffix = ''] = URL_PARTS.exec(codebase) ?? [];
  let joined = joinPath(path, escapePathSegment(packageName));
  if (authority !== '' && joined !== '' && !joined.startsWith('/')) joined = `/${joined}`;
  return scheme + authority + joined + suffix;
}
