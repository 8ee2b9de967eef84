// Input rules for identifiers, versions, URLs and text fields. Every check
// throws a 400 that names the field, before anything is written.
import { invalid, required } from './http/errors.js';

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** A UTF-16 surrogate without its pair: not a character, and not storable as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const LIMITS = {
  id: 128,
  label: 256,
  description: 4096,
  version: 64,
  url: 2048,
  hash: 256,
  signature: 8192,
  releaseNotes: 65536,
  oemBlacklist: 4096,
  userName: 128,
} as const;

/**
 * App ids are usually UUIDs, which Omaha clients send in any case and often in
 * braces: a UUID is stored lower-case without braces, other ids as written.
 */
export function canonicalAppId(raw: string): string {
  const bare = raw.trim().replace(/^\{(.*)\}$/, '$1');
  return UUID.test(bare) ? bare.toLowerCase() : bare;
}

/** A name used in URLs: app, group and channel ids. Printable, no slash, bounded. */
export function checkId(field: string, value: unknown, max: number = LIMITS.id): string {
  if (value === undefined || value === null || value === '') throw required(field);
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > max) throw invalid(field, `longer than ${max} characters`);
  if (value.trim() !== value || CONTROL_CHARS.test(value) || value.includes('/')) {
    throw invalid(field, 'must not contain "/", control characters or surrounding spaces');
  }
  return value;
}

export function checkAppId(field: string, value: unknown): string {
  return canonicalAppId(checkId(field, value));
}

/**
 * Users may carry spaces and slashes (`jane doe/x` is a valid name). A name
 * travels inside Hawk's quoted `id="…"`, which has no escapes: `"` and `\`
 * would make a user who can never sign.
 */
export function checkUserName(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') throw required(field);
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > LIMITS.userName) throw invalid(field, `longer than ${LIMITS.userName} characters`);
  if (CONTROL_CHARS.test(value) || value.trim() !== value) throw invalid(field, 'must not contain control characters or surrounding spaces');
  if (/["\\]/.test(value)) throw invalid(field, 'must not contain " or \\ (Hawk cannot carry them)');
  return value;
}

/** Free text (labels, descriptions, release notes): a string of bounded length; absent is ''. */
export function checkText(field: string, value: unknown, max: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > max) throw invalid(field, `longer than ${max} characters`);
  return value;
}

/**
 * Semver-ish: 1 to 4 numeric parts (`1.0`, `1.2.3`, `1.2.3.4`), then an
 * optional pre-release / build suffix (`-rc.1`, `+build5`).
 */
const VERSION = /^\d{1,9}(\.\d{1,9}){0,3}([-+][0-9A-Za-z][0-9A-Za-z.+-]*)?$/;

export function checkVersion(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') throw required(field);
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > LIMITS.version || !VERSION.test(value)) {
    throw invalid(field, `"${value.slice(0, LIMITS.version)}" is not a version like 1.2.3`);
  }
  return value;
}

// A container image reference, `[registry[:port]/]name[/name…][:tag][@digest]`
// (Docker's grammar), as seed 003 publishes: `coreos/example:1.0.0`.
const IMAGE_DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?';
const IMAGE_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^${IMAGE_DOMAIN}${IMAGE_COMPONENT}(?:/${IMAGE_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);
/** Schemes a browser or client would act on, never read as an image name (`javascript:alert`). */
const ACTIVE_SCHEMES = /^(javascript|vbscript|data|file|blob|about|ftp|mailto):/i;

/**
 * A payload location, handed to machines in Omaha replies and shown as a link:
 * an absolute http(s) URL, or a container image reference (seed 003), bare or
 * as `docker://…` / `oci://…`. Anything else (`javascript:…`, `file:…`) is refused.
 */
export function checkUrl(field: string, value: unknown, opts: { optional?: boolean } = {}): string {
  if (value === undefined || value === null || value === '') {
    if (opts.optional) return '';
    throw required(field);
  }
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > LIMITS.url) throw invalid(field, `longer than ${LIMITS.url} characters`);
  if (/\s/.test(value) || CONTROL_CHARS.test(value)) throw invalid(field, 'must not contain spaces');
  if (/^https?:\/\//i.test(value)) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw invalid(field, 'not a valid URL');
    }
    if (!parsed.hostname) throw invalid(field, 'not a valid URL');
    return value;
  }
  const image = value.replace(/^(docker|oci):\/\//i, '');
  if (!ACTIVE_SCHEMES.test(image) && IMAGE_REFERENCE.test(image)) return value;
  throw invalid(field, 'must be an http(s) URL or a container image reference');
}

/**
 * An http(s) URL of another service (upstreams): no user name or password in
 * it (a credential stored in plain sight) and no fragment (never sent).
 */
export function checkHttpUrl(field: string, value: unknown, opts: { optional?: boolean } = {}): string {
  if (typeof value === 'string' && value !== '' && !/^https?:\/\//i.test(value)) throw invalid(field, 'must be an absolute http(s) URL');
  const url = checkUrl(field, value, opts);
  if (url === '') return url;
  // checkUrl has parsed it: an http(s) URL.
  const parsed = new URL(url);
  if (parsed.username || parsed.password) throw invalid(field, 'must not contain a user name or password');
  if (url.includes('#')) throw invalid(field, 'must not contain a fragment (#…)');
  return url;
}

export function checkBool(field: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(field, 'must be true or false');
}

/** int64 fields travel as strings; numbers are accepted too. */
export function checkInt64(field: string, value: unknown, opts: { min?: number; defaultValue?: number } = {}): number {
  if (value === undefined || value === null || value === '') {
    if (opts.defaultValue !== undefined) return opts.defaultValue;
    throw required(field);
  }
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d{1,16}$/.test(text)) throw invalid(field, 'must be an integer');
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw invalid(field, 'out of range');
  if (opts.min !== undefined && n < opts.min) throw invalid(field, `must be at least ${opts.min}`);
  return n;
}

export function checkInt32(field: string, value: unknown, min = 0, max = 2 ** 31 - 1): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(field, 'must be an integer');
  if (value < min || value > max) throw invalid(field, `must be between ${min} and ${max}`);
  return value;
}

export function checkPercent(field: string, value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a number');
  if (value < 0 || value > 100) throw invalid(field, 'must be between 0 and 100');
  return value;
}

/**
 * Why `text` cannot be stored as it was sent, or undefined: a lone surrogate
 * is not text (UTF-8 has no encoding for it), and PostgreSQL's text type
 * refuses NUL. Both engines refuse both, so that they agree.
 */
export function unstorable(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (\\ud800-\\udfff): not text';
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  return undefined;
}

/** The JSON body as an object; anything else, or any string or key in it that cannot be stored, is a 400. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
  const found = unstorableField(body);
  if (found !== undefined) throw invalid(found.at, found.why);
  return body as Record<string, unknown>;
}

/**
 * The path of the first string (or key) that cannot be stored, and why. A
 * walk with its own stack, not recursion: a body nested a hundred thousand
 * levels deep still fits in the body limit.
 */
function unstorableField(body: unknown): { at: string; why: string } | undefined {
  const pending: { value: unknown; at: string; key?: string }[] = [{ value: body, at: 'body' }];
  while (pending.length > 0) {
    const { value, at, key } = pending.pop()!;
    const why = (key === undefined ? undefined : unstorable(key)) ?? (typeof value === 'string' ? unstorable(value) : undefined);
    if (why !== undefined) return { at, why };
    if (typeof value !== 'object' || value === null) continue;
    // Pushed last to first, so that fields are looked at in their order.
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, inner] = entries[i]!;
      pending.push({ value: inner, key: k, at: Array.isArray(value) ? `${at}[${k}]` : at === 'body' ? k : `${at}.${k}` });
    }
  }
  return undefined;
}

export function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined && obj[key] !== null;
}
