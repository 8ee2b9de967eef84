// Input rules for identifiers, versions, URLs and text fields. Every check
// throws a 400 that names the field, before anything is written.
import { invalid, required } from './http/errors.js';

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
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

/** Users may carry spaces and slashes (`jane doe/x` is a valid name); no control characters. */
export function checkUserName(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') throw required(field);
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > LIMITS.userName) throw invalid(field, `longer than ${LIMITS.userName} characters`);
  if (CONTROL_CHARS.test(value) || value.trim() !== value) throw invalid(field, 'must not contain control characters or surrounding spaces');
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

/**
 * A payload location: an absolute http(s)/ftp/file URL, or (seed 003) a container
 * image reference such as `coreos/example:1.0.0`. No whitespace or control characters.
 */
export function checkUrl(field: string, value: unknown, opts: { optional?: boolean } = {}): string {
  if (value === undefined || value === null || value === '') {
    if (opts.optional) return '';
    throw required(field);
  }
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > LIMITS.url) throw invalid(field, `longer than ${LIMITS.url} characters`);
  if (/\s/.test(value) || CONTROL_CHARS.test(value)) throw invalid(field, 'must not contain spaces');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    if (!/^(https?|ftp|file|oci|docker)$/i.test(scheme[1]!)) throw invalid(field, `unsupported scheme ${scheme[1]}`);
    try {
      new URL(value);
    } catch {
      throw invalid(field, 'not a valid URL');
    }
  }
  return value;
}

/** An http(s) URL of another service (upstreams). */
export function checkHttpUrl(field: string, value: unknown): string {
  const url = checkUrl(field, value);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(field, 'must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid(field, 'must be an absolute http(s) URL');
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

/** The JSON body as an object; anything else is a 400. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
  return body as Record<string, unknown>;
}

export function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined && obj[key] !== null;
}
