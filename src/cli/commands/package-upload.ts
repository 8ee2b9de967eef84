// `package upload` and `package upload bulk`: send payload files to the
// server's upload endpoint (`POST <server>/package-upload`, multipart field
// `file`). The multipart body is produced as a stream straight from disk, so
// a payload of any size is never held in memory.
import { randomBytes } from 'node:crypto';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ApiClient } from '../../api/client.js';
import { HttpReplyError } from '../../api/errors.js';
import type { PackageUploadResp } from '../../api/types.js';
import { ExitCode, type Output } from '../command.js';
import { fileError } from '../output.js';
import { ErrorCode, failAsJson, type Printer } from '../render.js';
import { uploadProgress, type Progress } from './package-progress.js';

type UploadDeps = { client: ApiClient; cwd: string; stderr: Output };

/** Go's multipart escaping of a quoted header parameter. */
function escapeQuotes(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A random boundary like Go's multipart.Writer: 30 random bytes in hex. */
export function multipartBoundary(): string {
  return randomBytes(30).toString('hex');
}

/** A multipart/form-data body with one file part named `file`, as Go's multipart.Writer lays it out. */
export async function* multipartFileBody(boundary: string, filename: string, content: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="file"; filename="${escapeQuotes(filename)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  yield* content;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

async function* countedChunks(handle: FileHandle, progress: Progress): AsyncGenerator<Buffer> {
  for await (const chunk of handle.createReadStream({ autoClose: false })) {
    progress.add((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}

/** The server's reply to an upload (this service's extension), or just the name when it said nothing usable. */
function uploadReply(name: string, text: string): PackageUploadResp {
  try {
    const reply: unknown = JSON.parse(text);
    if (reply !== null && typeof reply === 'object' && !Array.isArray(reply)) return { name, ...(reply as PackageUploadResp) };
  } catch {
    // the original service replied with an empty body
  }
  return { name };
}

/** Uploads one file; throws an Error worded as the original's on any failure. */
export async function uploadPayload(file: string, { client, cwd, stderr }: UploadDeps): Promise<PackageUploadResp> {
  if (file === '') throw new Error('missing file argument');
  const path = resolve(cwd, file);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new Error(fileError('open', path, err));
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new Error(`read ${path}: is a directory`);
    const boundary = multipartBoundary();
    const progress = uploadProgress(info.size, `upload ${basename(path)}`, stderr);
    const body = Readable.from(multipartFileBody(boundary, basename(path), countedChunks(handle, progress)));
    let status: number;
    let text: string;
    try {
      const reply = await client.send('POST', client.serverUrl('/package-upload'), {
        body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      status = reply.status;
      text = await reply.body.text().catch(() => '');
    } finally {
      progress.finish();
    }
    // the original accepted exactly 200 and showed any other reply's body
    if (status !== 200) throw new HttpReplyError(status, `error uploading file ${text}`);
    return uploadReply(basename(path), text);
  } finally {
    await handle.close();
  }
}

/** `package upload`: on failure, the original's two-part message and the usage (exit 2); in JSON, the server's reply or one error. */
export async function uploadCommand(file: string, deps: UploadDeps & { print: Printer }): Promise<number> {
  let reply: PackageUploadResp;
  try {
    reply = await uploadPayload(file, deps);
  } catch (err) {
    if (deps.print.json) failAsJson(deps.stderr, err, ExitCode.USAGE, file === '' ? ErrorCode.USAGE : ErrorCode.FAILURE);
    deps.print.note(`error uploading file\n${(err as Error).message}`);
    return ExitCode.USAGE;
  }
  deps.print.message(`uploaded file ${file}\n`, reply);
  return ExitCode.OK;
}

/**
 * `package upload bulk`: every regular file in the folder, in name order.
 * As in the original, a failed file's error is printed without a newline and
 * is followed by its `uploaded <name>` line, and the command exits 0.
 */
export async function uploadDirectory(
  dir: string,
  deps: UploadDeps & { print: Printer; log(message: string): void },
): Promise<number> {
  const { print } = deps;
  if (dir === '') return ExitCode.USAGE;
  const path = resolve(deps.cwd, dir);
  let names: string[];
  try {
    names = (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch (err) {
    const message = fileError('open', path, err);
    if (print.json) failAsJson(deps.stderr, new Error(message), ExitCode.USAGE, ErrorCode.USAGE);
    deps.log(message);
    return ExitCode.USAGE;
  }
  names.sort();
  let errors = 0;
  const uploaded: PackageUploadResp[] = [];
  for (const name of names) {
    try {
      uploaded.push(await uploadPayload(join(path, name), deps));
    } catch (err) {
      errors++;
      // in JSON, stdout holds only the array: the failure is a log line
      if (print.json) deps.log((err as Error).message);
      else print.note((err as Error).message);
    }
    print.note(`uploaded ${name}\n`);
  }
  deps.log(`Package payloads uploaded. Total=${names.length} Errors=${errors}`);
  if (print.json) print.document(uploaded);
  return ExitCode.OK;
}
