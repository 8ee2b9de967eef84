// Output conventions of the original CLI: Go's `log` lines on stderr, Go's
// float formatting, and Go's JSON encoding where the CLI echoes objects.
import { escapeLikeGo } from '../api/go-json.js';

/** `YYYY/MM/DD HH:MM:SS ` in local time, as Go's log.LstdFlags prints it. */
export function logStamp(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}/${p(date.getMonth() + 1)}/${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())} `;
}

/** A log line as Go's log.Print writes it: stamp, message, newline unless present. */
export function logLine(message: string, date = new Date()): string {
  return logStamp(date) + message + (message.endsWith('\n') ? '' : '\n');
}

/** Go's `%v` of a float64: shortest digits, exponent form below 1e-4 or from 1e6 (strconv 'g', -1). */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // JavaScript's own shortest form is plain decimal in this range
  return String(x);
}

/** Go's `%f`: six decimals. */
export function goFixed(x: number, decimals = 6): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  return x.toFixed(decimals);
}

/** Go's json.MarshalIndent(v, "", " ") for plain objects, keys in the given order. */
export function goJsonIndent(value: unknown): string {
  return escapeLikeGo(JSON.stringify(value, null, 1));
}

/** Go's json.Marshal of a plain object: compact. */
export function goJson(value: unknown): string {
  return escapeLikeGo(JSON.stringify(value));
}

/** Go's zero value test as omitempty applies it. */
export function isZero(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0 || value === false;
}

/**
 * Drops empty, zero and false fields, as the original's JSON encoding
 * (omitempty) did, except the `keep` ones the command sets on purpose.
 */
export function withoutZeroFields<T extends object>(obj: T, keep: readonly string[] = []): T {
  return Object.fromEntries(Object.entries(obj).filter(([k, v]) => keep.includes(k) || !isZero(v))) as T;
}

/** An int64 that travels as a JSON string, printed as Go's `%d` would: absent is 0. */
export function goInt64(value: string | number | undefined): string {
  if (value === undefined || value === '') return '0';
  try {
    return BigInt(value).toString();
  } catch {
    return String(value);
  }
}

const GO_ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file exists',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
};

/** Go's *PathError text for a failed file operation: `open notes.txt: no such file or directory`. */
export function fileError(op: string, path: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reason = GO_ERRNO_TEXT[e.code ?? ''] ?? /^[A-Z0-9_]+: (.+?)(, \w+ '.*')?$/.exec(e.message ?? '')?.[1] ?? String(err);
  return `${op} ${path}: ${reason}`;
}
