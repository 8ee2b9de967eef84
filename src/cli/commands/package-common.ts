// Helpers shared by the `package` commands: the package table, the package
// object as the original's Go client encoded it, payload digests, and Go's
// wording of file errors and of `path.Base`.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Package } from '../../api/types.js';
import { goJsonSyntaxError } from '../../api/errors.js';
import type { Columns } from '../render.js';

export const PACKAGE_COLUMNS: Columns<Package> = [
  ['Version', (p) => p.version ?? ''],
  ['URL', (p) => p.url ?? ''],
  ['Size', (p) => p.size ?? ''],
];

// The fields of the Go client's Package struct, in its (alphabetical) order.
const PACKAGE_FIELDS = [
  'appId',
  'dateCreated',
  'metadataSignatureRsa',
  'metadataSize',
  'releaseNotes',
  'required',
  'sha1Sum',
  'sha256Sum',
  'size',
  'url',
  'version',
] as const satisfies readonly (keyof Package)[];

/**
 * A package as the original encoded it: only the struct's fields, in its
 * order, with empty strings and `false` left out (Go's omitempty). Numbers
 * given for the int64/string fields are accepted and sent as strings.
 */
export function packageFields(source: Record<string, unknown>): Package {
  const pkg: Record<string, unknown> = {};
  for (const key of PACKAGE_FIELDS) {
    const value = source[key];
    if (value === undefined || value === null || value === '' || value === false) continue;
    pkg[key] = key === 'required' ? Boolean(value) : typeof value === 'number' ? String(value) : value;
  }
  return pkg as Package;
}

/** Parses a JSON document that must hold an object, with Go's error wording. */
export function parseJsonObject(text: string, goType: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(goJsonSyntaxError(text));
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : 'number';
    throw new Error(`json: cannot unmarshal ${kind} into Go value of type ${goType}`);
  }
  return value as Record<string, unknown>;
}

/** Size and base64 SHA-1 / SHA-256 of a payload, as a package states them. */
export interface Digest {
  size: number;
  sha1Sum: string;
  sha256Sum: string;
}

/** Hashes a payload chunk by chunk, so a payload of any size is never held in memory. */
export class PayloadDigest {
  private readonly sha1: Hash = createHash('sha1');
  private readonly sha256: Hash = createHash('sha256');
  private size = 0;

  update(chunk: Buffer): void {
    this.sha1.update(chunk);
    this.sha256.update(chunk);
    this.size += chunk.length;
  }

  result(): Digest {
    return { size: this.size, sha1Sum: this.sha1.digest('base64'), sha256Sum: this.sha256.digest('base64') };
  }
}

/** Streams a file through the digests; `onChunk` sees each chunk's length (for progress). */
export async function digestFile(path: string, onChunk?: (bytes: number) => void): Promise<Digest> {
  const digest = new PayloadDigest();
  for await (const chunk of createReadStream(path)) {
    digest.update(chunk as Buffer);
    onChunk?.((chunk as Buffer).length);
  }
  return digest.result();
}

/** Go's path.Base: the last slash-separated element, `.` for an empty path. */
export function goPathBase(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Go's path.Clean: one slash between elements, `.` and `..` resolved lexically. */
export function goPathClean(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = (rooted ? '/' : '') + parts.join('/');
  return joined === '' ? '.' : joined;
}

/** `<app id>_<version>_<name>`: how `package download` names the files of a package. */
export function packageFileName(pkg: Package, name: string): string {
  return `${pkg.appId ?? ''}_${pkg.version ?? ''}_${name}`;
}

/** The local name of a package's payload: its URL's last path element behind app id and version. */
export function payloadFileName(pkg: Package): string {
  return packageFileName(pkg, goPathBase(pkg.url ?? ''));
}

/** The metadata file written beside a downloaded payload (and read by `package create bulk`). */
export function infoFileName(pkg: Package): string {
  return packageFileName(pkg, 'info.json');
}
