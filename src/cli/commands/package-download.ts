// `package download`: fetch every published payload (optionally filtered by
// app and version) into a folder, each verified against its package's size
// and digests, with its metadata in `<app>_<version>_info.json` beside it.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ApiClient, RawReply } from '../../api/client.js';
import type { Package, PublicPackageList } from '../../api/types.js';
import { ExitCode, type Output } from '../command.js';
import { fileError, goJson } from '../output.js';
import { ErrorCode, failAsJson, jsonDocument, jsonErrorLine, type OutputFormat } from '../render.js';
import {
  PayloadDigest,
  digestFile,
  infoFileName,
  packageFields,
  payloadFileName,
  type Digest,
} from './package-common.js';
import { downloadProgress, type Progress } from './package-progress.js';

export interface DownloadOptions {
  /** Each filter is undefined when its flag was not given (`--app-id=` filters on the empty id). */
  appId?: string;
  version?: string;
  minVersion?: string;
  /** Empty: the working directory. */
  dir: string;
}

type DownloadDeps = {
  client: ApiClient;
  stdout: Output;
  stderr: Output;
  cwd: string;
  log(message: string): void;
  /** `json`: the saved packages as a JSON array on stdout, no counter lines, failures as one JSON error. */
  format?: OutputFormat;
};

/** Payloads fetched at the same time. */
const PARALLEL_DOWNLOADS = 4;
const MAX_REDIRECTS = 10;

// ---- versions, as coreos/go-semver parsed and ordered them

interface SemVer {
  core: [bigint, bigint, bigint];
  pre: string[];
}

export function parseSemver(text: string): SemVer {
  let version = text;
  const plus = version.indexOf('+');
  if (plus >= 0) version = version.slice(0, plus);
  const dash = version.indexOf('-');
  const pre = dash >= 0 ? version.slice(dash + 1).split('.') : [];
  if (dash >= 0) version = version.slice(0, dash);
  const parts = version.split('.');
  if (parts.length < 3) throw new Error(`${version} is not in dotted-tri format`);
  const dotted = [parts[0]!, parts[1]!, parts.slice(2).join('.')];
  const core = dotted.map((p) => {
    if (!/^[+-]?\d+$/.test(p)) throw new Error(`strconv.ParseInt: parsing "${p}": invalid syntax`);
    return BigInt(p);
  }) as SemVer['core'];
  return { core, pre };
}

function comparePreRelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function compareSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! < b.core[i]! ? -1 : 1;
  return comparePreRelease(a.pre, b.pre);
}

// ---- selection

interface Selected {
  pkg: Package;
  /** Stated payload size, when it parses. */
  size?: number;
}

function selectPackages(list: PublicPackageList, opts: DownloadOptions, min: SemVer | undefined, log: (m: string) => void): Selected[] {
  const wanted = (appId: string, version: string): boolean => {
    if (opts.appId !== undefined && opts.appId !== appId) return false;
    if (opts.version !== undefined && opts.version !== version) return false;
    if (min) {
      try {
        if (compareSemver(parseSemver(version), min) < 0) return false;
      } catch (err) {
        log((err as Error).message);
        return false;
      }
    }
    return true;
  };
  const selected: Selected[] = [];
  for (const item of list.items ?? []) {
    for (const pkg of item.packages ?? []) {
      if (!wanted(item.AppId ?? '', pkg.version ?? '')) continue;
      const size = /^[+-]?\d+$/.test(String(pkg.size ?? '')) ? Number(pkg.size) : undefined;
      if (size === undefined) log('Parse of package size failed.');
      selected.push({ pkg, size });
    }
  }
  return selected;
}

// ---- files

/** The folder to save into: created (not its parents) when missing, as the original did. */
async function prepareSaveDir(dir: string, cwd: string): Promise<string> {
  const path = resolve(cwd, dir || cwd);
  try {
    if (!(await stat(path)).isDirectory()) throw new Error(`${dir || cwd} is not a directory`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    try {
      await mkdir(path, { mode: 0o700 });
    } catch (mkdirErr) {
      throw new Error(fileError('mkdir', dir, mkdirErr));
    }
  }
  return path;
}

/** Throws when the payload is not the one the package describes. */
function verify(sel: Selected, got: Digest): void {
  const { pkg, size } = sel;
  if (size !== undefined && got.size !== size) {
    throw new Error(`Download size does not match package size. ${got.size} != ${size}`);
  }
  if (pkg.sha1Sum && Buffer.from(pkg.sha1Sum, 'base64').toString('base64') !== got.sha1Sum) {
    throw new Error(`SHA1 sums do not match: package says ${pkg.sha1Sum}, download has ${got.sha1Sum}`);
  }
  if (pkg.sha256Sum && Buffer.from(pkg.sha256Sum, 'base64').toString('base64') !== got.sha256Sum) {
    throw new Error(`SHA256 sums do not match: package says ${pkg.sha256Sum}, download has ${got.sha256Sum}`);
  }
}

/** True when `path` already holds the payload the package describes (so it need not be fetched again). */
async function isValidCopy(path: string, sel: Selected): Promise<boolean> {
  if (sel.size === undefined && !sel.pkg.sha1Sum && !sel.pkg.sha256Sum) return false;
  try {
    const info = await stat(path);
    if (!info.isFile() || (sel.size !== undefined && info.size !== sel.size)) return false;
    verify(sel, await digestFile(path));
    return true;
  } catch {
    return false;
  }
}

async function writeInfo(dir: string, pkg: Package): Promise<void> {
  const path = join(dir, infoFileName(pkg));
  try {
    await writeFile(path, goJson(packageFields(pkg as Record<string, unknown>)));
  } catch (err) {
    throw new Error(fileError('open', path, err));
  }
}

// ---- network

/** GET without credentials, following redirects as Go's http.Get did. */
async function fetchPayload(client: ApiClient, url: string): Promise<RawReply> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new Error(`parse ${url}: invalid URL`);
  }
  for (let hops = 0; ; hops++) {
    const reply = await client.send('GET', target, { sign: false });
    const location = reply.headers['location'];
    if (reply.status < 300 || reply.status > 399 || typeof location !== 'string') return reply;
    await reply.body.dump();
    if (hops === MAX_REDIRECTS) throw new Error(`Get "${url}": stopped after ${MAX_REDIRECTS} redirects`);
    target = new URL(location, target);
  }
}

/** Downloads one payload into `dir` through a temporary file, verifies it, then moves it into place. */
async function downloadOne(sel: Selected, dir: string, client: ApiClient, progress: Progress): Promise<void> {
  const url = sel.pkg.url ?? '';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase() ?? '';
  if (scheme !== 'http' && scheme !== 'https') throw new Error(`Cannot download package with scheme ${scheme}`);

  const target = join(dir, payloadFileName(sel.pkg));
  if (await isValidCopy(target, sel)) {
    progress.add(sel.size ?? 0);
  } else {
    const temp = join(dir, `.${payloadFileName(sel.pkg)}.${randomBytes(4).toString('hex')}.part`);
    try {
      const reply = await fetchPayload(client, url);
      if (reply.status < 200 || reply.status > 299) {
        await reply.body.dump();
        throw new Error(`Get "${url}": server replied with HTTP status ${reply.status}`);
      }
      const digest = new PayloadDigest();
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          digest.update(chunk);
          progress.add(chunk.length);
          done(null, chunk);
        },
      });
      await pipeline(reply.body, tap, createWriteStream(temp, { flags: 'wx' })).catch((err: NodeJS.ErrnoException) => {
        throw new Error(err.syscall ? fileError(err.syscall, temp, err) : `Get "${url}": ${err.message}`);
      });
      verify(sel, digest.result());
      await rename(temp, target);
    } catch (err) {
      // neither the partial download nor a stale invalid copy is kept
      await unlink(temp).catch(() => undefined);
      await unlink(target).catch(() => undefined);
      throw err;
    }
  }
  await writeInfo(dir, sel.pkg);
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * `package download`. Bad flags, an unusable folder and a failed package list
 * print usage (exit 2) as in the original; a payload that fails to download
 * or verify is reported, removed, and makes the exit code 1 once the others
 * are done (the original exited 0 and kept the bad file).
 */
export async function downloadPackages(opts: DownloadOptions, deps: DownloadDeps): Promise<number> {
  const json = deps.format === 'json';
  // a log line and the usage (exit 2), as the original did; in JSON one error
  const refuse = (err: unknown, code: number = ErrorCode.USAGE): number => {
    if (json) failAsJson(deps.stderr, err, ExitCode.USAGE, code);
    deps.log((err as Error).message);
    return ExitCode.USAGE;
  };
  let dir: string;
  try {
    dir = await prepareSaveDir(opts.dir, deps.cwd);
  } catch (err) {
    return refuse(err);
  }
  if (opts.version !== undefined && opts.minVersion !== undefined) {
    return refuse(new Error('Please use either -version or -min-version, but not both.'));
  }
  let min: SemVer | undefined;
  try {
    min = opts.minVersion === undefined ? undefined : parseSemver(opts.minVersion);
  } catch (err) {
    return refuse(err);
  }
  let list: PublicPackageList;
  try {
    list = await deps.client.publicPackages();
  } catch (err) {
    return refuse(err, ErrorCode.FAILURE);
  }

  const selected = selectPackages(list, opts, min, deps.log);
  const totalBytes = selected.reduce((sum, s) => sum + (s.size ?? 0), 0);
  deps.log(`Downloading ${selected.length} packages.`);
  const progress = downloadProgress(totalBytes, deps, !json);
  // reported once the progress display is done with, so they do not tear a terminal bar
  const failures: string[] = [];
  const saved = new Set<Package>();
  try {
    await eachLimited(selected, PARALLEL_DOWNLOADS, async (sel) => {
      try {
        await downloadOne(sel, dir, deps.client, progress);
        saved.add(sel.pkg);
      } catch (err) {
        const { appId = '', version = '', url = '' } = sel.pkg;
        failures.push(`Error while downloading. AppId=${appId}, Version=${version}, URL=${url}, Error=${(err as Error).message}`);
      }
    });
  } finally {
    progress.finish();
  }
  if (json) {
    deps.stdout.write(jsonDocument(selected.filter((s) => saved.has(s.pkg)).map((s) => s.pkg)));
    if (failures.length > 0) deps.stderr.write(jsonErrorLine(new Error(failures.join('\n'))));
  } else {
    for (const message of failures) deps.log(message);
  }
  return failures.length > 0 ? ExitCode.ERROR : ExitCode.OK;
}
