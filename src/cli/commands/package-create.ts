// `package create` and `package create bulk`: register package metadata.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ApiClient } from '../../api/client.js';
import type { Package } from '../../api/types.js';
import { ExitCode, type Output } from '../command.js';
import { fileError, goJsonIndent } from '../output.js';
import { ErrorCode, failAsJson, jsonDocument, type OutputFormat, type Printer } from '../render.js';
import {
  digestFile,
  goPathBase,
  goPathClean,
  packageFields,
  PACKAGE_COLUMNS,
  packageFileName,
  parseJsonObject,
  type Digest,
} from './package-common.js';

export interface ExplicitMetadata {
  /** Payload size in bytes. */
  size?: number;
  /** Base64 digests (already normalized, see normalizeDigest). */
  sha1Sum?: string;
  sha256Sum?: string;
  metadataSignatureRsa?: string;
  metadataSize?: string;
}

export interface CreatePackageOptions {
  appId: string;
  version: string;
  url: string;
  /** Local payload, or a remote reference (see payloadSource). */
  file: string;
  /** JSON file with `metadata_size` and `metadata_signature_rsa`. */
  meta: string;
  releaseNotes: string;
  /** Metadata given on the command line instead of (or to check against) a local file. */
  explicit: ExplicitMetadata;
}

type CreateDeps = { client: ApiClient; print: Printer; cwd: string; log(message: string): void };

// A URL with a scheme, e.g. `https://…`, `docker://…`.
const URL_WITH_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;
// A container image reference in the Docker grammar: optional registry host
// (with port), lowercase path components, then a tag and/or a digest.
const REGISTRY = String.raw`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?`;
const COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const IMAGE_REFERENCE = new RegExp(
  `^${REGISTRY}${COMPONENT}(?:/${COMPONENT})*(?::(?<tag>\\w[\\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

/**
 * Whether a `--file` value that names no local file is a remote reference.
 *
 * The rule: a value is remote only when no file exists at that path AND it is
 * either a URL with a scheme (`https://host/update.gz`, `docker://…`) or an
 * image reference that names a tag or a digest (`coreos/example:1.0.0`,
 * `quay.io/coreos/etcd@sha256:…`). Everything else is a local path: every
 * value starting with `/`, `.` or `~`, every tagless name (`update.gz`,
 * `dir/update.gz`), and the empty string; a missing local path fails exactly
 * as the original did (`stat of X failed: …`).
 */
export function isRemoteReference(value: string): boolean {
  if (URL_WITH_SCHEME.test(value)) return true;
  const m = IMAGE_REFERENCE.exec(value);
  return m !== null && (m.groups?.['tag'] !== undefined || m.groups?.['digest'] !== undefined);
}

/** The explicit-metadata flags: any of them lets a package be created without a local file. */
export function hasExplicitMetadata(m: ExplicitMetadata): boolean {
  return Object.values(m).some((v) => v !== undefined);
}

type PayloadSource = { kind: 'local'; digest: Digest } | { kind: 'remote' } | { kind: 'none' };

/**
 * Where the package's size and digests come from: a local file (hashed by
 * streaming it), a remote reference (nothing to hash), or, when no --file is
 * given but explicit metadata is, nothing at all.
 */
async function payloadSource(opts: CreatePackageOptions, deps: CreateDeps): Promise<PayloadSource> {
  const file = opts.file;
  if (file === '' && hasExplicitMetadata(opts.explicit)) return { kind: 'none' };
  const path = resolve(deps.cwd, file);
  try {
    // Go's os.Stat("") fails; Node would stat the working directory instead
    if (file === '') throw Object.assign(new Error('empty path'), { code: 'ENOENT' });
    await stat(path);
  } catch (err) {
    const missing = ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');
    if (missing && isRemoteReference(file)) {
      deps.log(
        opts.url
          ? `--file ${file} is not a local file: treating it as a remote reference (no size or checksums); the package URL is --url`
          : `--file ${file} is not a local file: using it as the package URL (no size or checksums)`,
      );
      return { kind: 'remote' };
    }
    throw new Error(`stat of ${file} failed: ${fileError('stat', file, err)}`);
  }
  try {
    return { kind: 'local', digest: await digestFile(path) };
  } catch (err) {
    const op = (err as NodeJS.ErrnoException).syscall === 'open' ? 'open' : 'read';
    throw new Error(`reading ${file} failed: ${fileError(op, file, err)}`);
  }
}

/** `metadata_size` and `metadata_signature_rsa` from a --meta file. */
async function readMetadataFile(file: string, cwd: string): Promise<ExplicitMetadata> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new Error(`reading ${file} failed: ${fileError(opOf(err), file, err)}`);
  }
  let meta: Record<string, unknown>;
  try {
    meta = parseJsonObject(text, 'main.MetadataFile');
  } catch (err) {
    throw new Error(`reading ${file} failed: ${(err as Error).message}`);
  }
  const asText = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  return { metadataSize: asText(meta['metadata_size']), metadataSignatureRsa: asText(meta['metadata_signature_rsa']) };
}

async function readReleaseNotes(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new Error(`reading ${file} failed: ${fileError(opOf(err), file, err)}`);
  }
}

function opOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).syscall === 'open' ? 'open' : 'read';
}

/** An explicit value must agree with what the local file says; a conflict is an error, not a silent override. */
function agree(flag: string, given: string | undefined, computed: string, file: string): string {
  if (given !== undefined && given !== computed) {
    throw new Error(`--${flag}=${given} does not match ${file} (${computed})`);
  }
  return computed;
}

/** The package to register, from the payload source, --meta, --release-notes and the explicit flags. */
export async function buildPackage(opts: CreatePackageOptions, deps: CreateDeps): Promise<Package> {
  const source = await payloadSource(opts, deps);
  // the original hashed the --meta file instead of the payload; the payload is what clients verify
  const meta = opts.meta ? await readMetadataFile(opts.meta, deps.cwd) : {};
  const notes = opts.releaseNotes ? await readReleaseNotes(opts.releaseNotes, deps.cwd) : '';
  const x = opts.explicit;
  const size = x.size === undefined ? undefined : String(x.size);
  const sums =
    source.kind === 'local'
      ? {
          size: agree('size', size, String(source.digest.size), opts.file),
          sha1Sum: agree('sha1sum', x.sha1Sum, source.digest.sha1Sum, opts.file),
          sha256Sum: agree('sha256sum', x.sha256Sum, source.digest.sha256Sum, opts.file),
        }
      : { size, sha1Sum: x.sha1Sum, sha256Sum: x.sha256Sum };
  return packageFields({
    url: opts.url || (source.kind === 'remote' ? opts.file : ''),
    ...sums,
    metadataSignatureRsa: x.metadataSignatureRsa ?? meta.metadataSignatureRsa,
    metadataSize: x.metadataSize ?? meta.metadataSize,
    releaseNotes: notes,
  });
}

/** Prints the package about to be created (as the original did), creates it, prints the table (in JSON: the package). */
export async function createPackage(opts: CreatePackageOptions, deps: CreateDeps): Promise<number> {
  const pkg = await buildPackage(opts, deps);
  deps.print.note(goJsonIndent(pkg) + '\n');
  const created = await deps.client.insertPackage(opts.appId, opts.version, pkg);
  await deps.print.item(PACKAGE_COLUMNS, created);
  return ExitCode.OK;
}

const DIGEST_BYTES: Record<string, number> = { sha1sum: 20, sha256sum: 32 };

/**
 * A digest flag's value as the API wants it (base64). Hex is accepted too
 * (what `sha1sum`/`sha256sum` print); anything else is rejected with a
 * Go-flag style message.
 */
export function normalizeDigest(flag: 'sha1sum' | 'sha256sum', value: string): string {
  const bytes = DIGEST_BYTES[flag]!;
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(value)) return Buffer.from(value, 'hex').toString('base64');
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : undefined;
  if (decoded?.length === bytes && decoded.toString('base64') === value) return value;
  throw new Error(`invalid value "${value}" for flag -${flag}: not a base64 or hex ${flag === 'sha1sum' ? 'SHA-1' : 'SHA-256'} digest`);
}

// ---- create bulk

/** Go's url.URL path escaping (encodePath): everything but unreserved and `$&+,/:;=@` is escaped. */
function escapeUrlPath(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** `base` with `name` joined to its path, as the original rewrote a package URL for --base-url. */
export function rebaseUrl(base: string, name: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)?([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(base)!;
  const [, origin = '', rawPath = '', query = '', fragment = ''] = m;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  let joined = goPathClean([path, name].filter((p) => p !== '').join('/'));
  if (origin && !joined.startsWith('/')) joined = '/' + joined;
  return origin + escapeUrlPath(joined) + query + fragment;
}

type BulkDeps = {
  client: ApiClient;
  cwd: string;
  log(message: string): void;
  stdout: Output;
  stderr: Output;
  /** `json`: the created packages as a JSON array on stdout; a bad folder is a JSON error. */
  format: OutputFormat;
};

/** Registers one package from an `_info.json` file written by `package download`. */
async function createFromInfoFile(path: string, baseUrl: string, deps: BulkDeps): Promise<Package> {
  let text: string;
  try {
    text = await readFile(resolve(deps.cwd, path), 'utf8');
  } catch (err) {
    throw new Error(fileError(opOf(err), path, err));
  }
  const pkg = packageFields(parseJsonObject(text, 'update.Package'));
  deps.log(`Creating package with AppId=${pkg.appId ?? ''} and Version=${pkg.version ?? ''}`);
  if (baseUrl) pkg.url = rebaseUrl(baseUrl, packageFileName(pkg, goPathBase(pkg.url ?? '')));
  return deps.client.insertPackage(pkg.appId ?? '', pkg.version ?? '', pkg);
}

/**
 * `package create bulk`: every regular `*info.json` file in the folder, in
 * name order, one after another (the original ran them all at once, which
 * made its log order random).
 */
export async function createPackagesFromDir(opts: { dir: string; baseUrl: string }, deps: BulkDeps): Promise<number> {
  const dir = opts.dir || deps.cwd;
  let names: string[];
  try {
    const entries = await readdir(resolve(deps.cwd, dir), { withFileTypes: true });
    names = entries.filter((e) => e.isFile() && e.name.endsWith('info.json')).map((e) => e.name);
  } catch (err) {
    const message = fileError('open', dir, err);
    if (deps.format === 'json') failAsJson(deps.stderr, new Error(message), ExitCode.USAGE, ErrorCode.USAGE);
    deps.log(message);
    return ExitCode.USAGE;
  }
  names.sort();
  let errors = 0;
  const created: Package[] = [];
  for (const name of names) {
    try {
      created.push(await createFromInfoFile(join(dir, name), opts.baseUrl, deps));
    } catch (err) {
      errors++;
      deps.log(`Error while creating package. Error=${(err as Error).message}`);
    }
  }
  deps.log(`Package metadata uploaded. Total=${names.length} Errors=${errors}`);
  if (opts.baseUrl) deps.log(`Please upload payloads to ${opts.baseUrl}.`);
  if (deps.format === 'json') deps.stdout.write(jsonDocument(created));
  return ExitCode.OK;
}
