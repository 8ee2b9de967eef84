// HTTP side of the Omaha endpoint: POST /v1/update/ and /v1/update. Bodies
// are taken raw under any or no content type, parsed by the safe parser, and
// answered with text/xml and HTTP 200; a body the parser refuses (or a value
// we will not store) gets 400.
//
// Two doors, one exchange: `omahaFrontHandler` answers the endpoint straight
// on node:http, in front of Fastify on the same server (a check costs less
// than Fastify's per-request pipeline), and `omahaRoutes` registers the same
// endpoint in Fastify for what the front door passes on (other spellings of
// the path, requests while closing, app.inject). Both end in `omahaExchange`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_OMAHA_LIMITS, OmahaParseError, buildResponse, parseRequest } from '../../omaha/index.js';
import type { ServerConfig } from '../config.js';
import { OmahaInputError } from './handler.js';
import type { OmahaService } from './service.js';

const XML_TYPE = 'text/xml; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
/** One byte over the cap still reaches the parser, which says why it refuses. */
const BODY_LIMIT = DEFAULT_OMAHA_LIMITS.maxBodyBytes + 1;
const TOO_LARGE = `body exceeds ${DEFAULT_OMAHA_LIMITS.maxBodyBytes} bytes`;

export interface OmahaPeer {
  ip: string;
  /** `protocol://host` as the client reached us (used when no base URL is configured). */
  baseUrl: string;
}

export interface OmahaHttpReply {
  status: number;
  contentType: string;
  body: string;
}

const badRequest = (message: string): OmahaHttpReply => ({ status: 400, contentType: TEXT_TYPE, body: `bad request: ${message}\n` });
const internalError = (): OmahaHttpReply => ({ status: 500, contentType: TEXT_TYPE, body: 'internal error\n' });

/** Whether an error is the client's fault (400) rather than ours (500). */
function isClientError(err: Error & { statusCode?: number }): boolean {
  return err instanceof OmahaParseError || err instanceof OmahaInputError || (err.statusCode !== undefined && err.statusCode < 500);
}

/** One Omaha exchange: the raw body in, the HTTP reply out. Never throws. */
export async function omahaExchange(omaha: OmahaService, body: Buffer | undefined, peer: OmahaPeer, log: Pick<FastifyBaseLogger, 'error'>): Promise<OmahaHttpReply> {
  try {
    const request = parseRequest(body ?? '');
    const response = await omaha.handle(request, peer);
    return { status: 200, contentType: XML_TYPE, body: buildResponse(response) };
  } catch (err) {
    const e = err as Error & { statusCode?: number };
    if (isClientError(e)) return badRequest(e.message);
    log.error({ err }, 'omaha request failed');
    return internalError();
  }
}

// ---- the front door: node:http ----------------------------------------------

/** Is this request line the Omaha endpoint as the clients spell it? */
function isOmahaUrl(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith('/v1/update')) return false;
  const rest = url.length === 10 ? '' : url.slice(10);
  return rest === '' || rest === '/' || rest[0] === '?' || rest.startsWith('/?');
}

/** The first entry of a header that may repeat ("a, b"), trimmed. */
function firstEntry(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const s = Array.isArray(value) ? value.join(',') : value;
  const cut = s.indexOf(',');
  return (cut < 0 ? s : s.slice(0, cut)).trim() || undefined;
}

/** The last entry of a header that may repeat, trimmed (what Fastify reads for X-Forwarded-Proto/Host). */
function lastEntry(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const s = Array.isArray(value) ? value.join(',') : value;
  const cut = s.lastIndexOf(',');
  return (cut < 0 ? s : s.slice(cut + 1)).trim();
}

/** The client as Fastify's req.ip, req.protocol and req.host would give it. */
export function peerOf(req: IncomingMessage, config: Pick<ServerConfig, 'trustProxy' | 'baseUrl'>): OmahaPeer {
  const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean };
  let ip = socket.remoteAddress ?? '';
  let protocol = socket.encrypted ? 'https' : 'http';
  let host = req.headers.host ?? '';
  if (config.trustProxy) {
    ip = firstEntry(req.headers['x-forwarded-for']) ?? ip;
    const proto = req.headers['x-forwarded-proto'];
    if (proto) protocol = lastEntry(proto)!;
    const fwdHost = req.headers['x-forwarded-host'];
    if (fwdHost) host = lastEntry(fwdHost)!;
  }
  return { ip, baseUrl: config.baseUrl ?? `${protocol}://${host}` };
}

function send(res: ServerResponse, reply: OmahaHttpReply): void {
  res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

/**
 * A node:http handler placed in front of Fastify's: answers POST /v1/update(/)
 * itself and returns true, or returns false for Fastify to handle the request.
 * No per-request log line (as the Fastify route, logged at warn); failures are.
 */
export function omahaFrontHandler(
  omaha: OmahaService,
  config: Pick<ServerConfig, 'trustProxy' | 'baseUrl'>,
  log: Pick<FastifyBaseLogger, 'error'>,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST' || !isOmahaUrl(req.url)) return false;
    const peer = peerOf(req, config);
    const answer = (body: Buffer | undefined) =>
      void omahaExchange(omaha, body, peer, log).then(
        (reply) => send(res, reply),
        (err) => {
          log.error({ err }, 'omaha request failed');
          if (!res.headersSent) send(res, internalError());
        },
      );

    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > BODY_LIMIT) {
      send(res, badRequest(TOO_LARGE)); // node discards the unread body
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        done = true;
        req.off('data', onData);
        send(res, badRequest(TOO_LARGE));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (done) return;
      done = true;
      answer(size === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    // An aborted upload has nobody to answer.
    req.once('error', () => {
      done = true;
    });
    return true;
  };
}

// ---- the Fastify route --------------------------------------------------------

export async function omahaRoutes(app: FastifyInstance, omaha: OmahaService, config: ServerConfig): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
      const bad = isClientError(err);
      if (!bad) req.log.error({ err }, 'omaha request failed');
      const out = bad ? badRequest(err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? TOO_LARGE : err.message) : internalError();
      return reply.code(out.status).type(out.contentType).send(out.body);
    });

    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : undefined;
      const out = await omahaExchange(omaha, body, { ip: req.ip, baseUrl: config.baseUrl ?? `${req.protocol}://${req.host}` }, req.log);
      return reply.code(out.status).type(out.contentType).send(out.body);
    };
    // Per-request logs would cost more than the check itself; errors are still logged.
    scope.post('/v1/update', { logLevel: 'warn' }, handler);
  });
}
