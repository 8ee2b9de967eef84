// Package payloads: `POST /package-upload` (multipart field `file`, streamed to
// the packages dir, only when uploads are enabled) and `GET /packages/<name>`
// (with single byte ranges, which update_engine uses to resume downloads).
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type * as T from '../../api/types.js';
import type { ServerContext } from '../context.js';
import { ApiError, badRequest, invalid } from '../http/errors.js';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;
/** An upload being written; renamed to its name once complete. */
const PARTIAL_PREFIX = '.upload-';

/** Removes the partial files of uploads that a crash cut short. */
export async function removePartialUploads(packagesDir: string): Promise<number> {
  const names = await readdir(packagesDir).catch(() => [] as string[]);
  const partial = names.filter((n) => n.startsWith(PARTIAL_PREFIX));
  await Promise.all(partial.map((n) => rm(path.join(packagesDir, n), { force: true })));
  return partial.length;
}

/**
 * The payload file for `name`: a regular file that resolves (through any
 * links) inside the packages folder, or undefined. A link pointing elsewhere
 * (`/etc/passwd`) is not served.
 */
async function payloadFile(packagesDir: string, name: string): Promise<{ file: string; size: number; mtime: Date } | undefined> {
  const [root, file] = await Promise.all([realpath(packagesDir).catch(() => undefined), realpath(path.join(packagesDir, name)).catch(() => undefined)]);
  if (!root || !file || !file.startsWith(root + path.sep)) return undefined;
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? { file, size: info.size, mtime: info.mtime } : undefined;
}

/** The stored name of an uploaded file: its base name, if it is a plain, safe one. */
export function payloadName(fileName: string | undefined): string {
  const base = path.basename((fileName ?? '').replace(/\\/g, '/'));
  if (!SAFE_NAME.test(base)) throw invalid('file', 'file name must be letters, digits, ".", "_", "+" or "-"');
  return base;
}

export function publicBaseUrl(config: ServerContext['config'], req: FastifyRequest): string {
  if (config.baseUrl) return config.baseUrl;
  return `${req.protocol}://${req.host}`;
}

export function payloadRoutes(app: FastifyInstance, { config }: ServerContext, requireHawk: (req: any) => Promise<void>): void {
  app.post('/package-upload', { onRequest: requireHawk }, async (req, reply) => {
    if (!config.enablePackageUploads) {
      return reply.code(403).type('text/plain; charset=utf-8').send('uploads disabled');
    }
    if (!req.isMultipart()) throw badRequest('expected a multipart/form-data body with a field "file"');
    const part = await req.file({ limits: { fileSize: Number.MAX_SAFE_INTEGER, files: 1, fields: 10 } });
    if (!part) throw badRequest('missing multipart field "file"');
    if (part.fieldname !== 'file') throw invalid('file', `expected the multipart field "file", got "${part.fieldname}"`);
    const name = payloadName(part.filename);

    await mkdir(config.packagesDir, { recursive: true });
    const tmp = path.join(config.packagesDir, `${PARTIAL_PREFIX}${randomUUID()}`);
    const sha1 = createHash('sha1');
    const sha256 = createHash('sha256');
    let size = 0;
    const digest = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sha1.update(chunk);
        sha256.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(part.file, digest, createWriteStream(tmp, { flags: 'wx' }));
      // Rename last: a reader never sees a half-written payload.
      await rename(tmp, path.join(config.packagesDir, name));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const body: T.PackageUploadResp = {
      name,
      url: `${publicBaseUrl(config, req)}/packages/${encodeURIComponent(name)}`,
      size: String(size),
      sha1Sum: sha1.digest('base64'),
      sha256Sum: sha256.digest('base64'),
    };
    req.log.info({ payload: name, size }, 'payload uploaded');
    return body;
  });

  const servePayload = async (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    let name: string;
    try {
      name = payloadName(req.params.name);
    } catch {
      throw new ApiError(404, 'notFound', 'payload not found');
    }
    const info = await payloadFile(config.packagesDir, name);
    if (!info) throw new ApiError(404, 'notFound', 'payload not found');
    const { file } = info;
    reply.header('accept-ranges', 'bytes').type('application/octet-stream');
    reply.header('last-modified', info.mtime.toUTCString());
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    let start = 0;
    let end = info.size - 1;
    if (range && (range[1] || range[2])) {
      if (range[1]) {
        start = Number(range[1]);
        if (range[2]) end = Math.min(Number(range[2]), end);
      } else {
        start = Math.max(0, info.size - Number(range[2]));
      }
      if (start > end || start >= info.size) {
        return reply.code(416).header('content-range', `bytes */${info.size}`).send();
      }
      reply.code(206).header('content-range', `bytes ${start}-${end}/${info.size}`);
    }
    reply.header('content-length', String(info.size === 0 ? 0 : end - start + 1));
    if (req.method === 'HEAD' || info.size === 0) return reply.send();
    return reply.send(createReadStream(file, { start, end }));
  };
  app.get('/packages/:name', servePayload);
}
