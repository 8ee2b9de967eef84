// The HTTP application: Fastify with the v1 API under /_ah/api/update/v1/,
// Hawk on everything but public/* and util/uuid, Google-shaped errors, and
// JSON bodies accepted whatever (or no) content type the client sends.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { API_BASE_PATH } from '../api/types.js';
import { verifyHawk } from './auth/hawk-verify.js';
import { ROUTE_RULES, authorize, principalOf, ruleKey } from './auth/permissions.js';
import type { ServerContext } from './context.js';
import { isStorageFull } from './db/tx.js';
import { ApiError, badRequest, insufficientStorage, internalError, invalid, notFound } from './http/errors.js';
import { clientErrorHandler } from './http/client-errors.js';
import { parseQuery } from './http/query.js';
import { adminRoutes } from './routes/admin.js';
import { appRoutes } from './routes/apps.js';
import { channelRoutes, publicChannelRoutes } from './routes/channels.js';
import { groupRoutes } from './routes/groups.js';
import { omahaFrontHandler, omahaRoutes } from './omaha/route.js';
import { instanceRoutes } from './routes/instances.js';
import { packageRoutes, publicPackageRoutes } from './routes/packages.js';
import { payloadRoutes } from './routes/payloads.js';
import { systemRoutes } from './routes/system.js';
import { upstreamRoutes } from './routes/upstreams.js';
import { utilRoutes } from './routes/util.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { unstorable } from './validate.js';

const API_PREFIX = API_BASE_PATH.replace(/\/$/, '');
const JSON_BODY_LIMIT = 1024 * 1024;

/** The client closed the connection before its request body was read in full. */
function clientWentAway(req: FastifyRequest): boolean {
  return req.raw.readableAborted || (req.raw.destroyed && !req.raw.complete);
}

export interface AppOptions {
  https?: { cert: Buffer; key: Buffer };
}

export async function buildApp(ctx: ServerContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const serverOptions: FastifyServerOptions = {
    logger: {
      level: ctx.config.logLevel,
      // Keys never reach the log: no headers are serialised, and these are redacted if ever logged.
      redact: ['req.headers.authorization', 'headers.authorization', 'token', 'key'],
    },
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: ctx.config.trustProxy,
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: true, querystringParser: parseQuery },
    // update_engine and watch keep connections open between polls.
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    clientErrorHandler,
    // A malformed request target (`/apps/%ZZ`) is answered in the API's own error shape.
    frameworkErrors: (error: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply) => {
      const e = error.code === 'FST_ERR_BAD_URL' ? badRequest(`malformed URL: ${req.raw.url ?? ''}`) : badRequest(error.message);
      void reply.code(e.status).type('application/json; charset=utf-8').send(e.body());
    },
  } as FastifyServerOptions;

  // Omaha checks are answered by a plain node:http handler in front of
  // Fastify's on the same server (see omaha/route.ts); while closing, every
  // request goes to Fastify, which answers 503.
  let front: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  let closing = false;
  serverOptions.serverFactory = (fastifyHandler) => {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      if (closing || !front?.(req, res)) fastifyHandler(req, res);
    };
    // Header, request and idle limits are checked this often (node's default is 30 s).
    const checks = { connectionsCheckingInterval: 1000 };
    const server = opts.https ? createHttpsServer({ ...checks, cert: opts.https.cert, key: opts.https.key }, handler) : createHttpServer(checks, handler);
    // update_engine and watch keep connections open between polls; a client
    // that trickles its headers or body, or sits silent, is cut off.
    const { headersTimeout, requestTimeout, idleTimeout } = ctx.config;
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = headersTimeout * 1000;
    server.requestTimeout = requestTimeout * 1000;
    server.setTimeout(idleTimeout * 1000);
    return server;
  };
  const app = (opts.https ? Fastify({ ...serverOptions, https: opts.https } as FastifyServerOptions) : Fastify(serverOptions)) as FastifyInstance;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  // The Go client sends `application/json`, but JSON is accepted under any or no
  // content type; an empty body is no body. Multipart is left to @fastify/multipart.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', '*'], { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(badRequest(`invalid JSON body: ${(err as Error).message}`), undefined);
    }
  });
  await app.register(fastifyMultipart);

  const requireHawk = async (req: FastifyRequest) => {
    const user = await verifyHawk(
      ctx.store,
      {
        method: req.method,
        rawUrl: req.raw.url ?? req.url,
        hostHeader: req.headers.host,
        protocol: req.protocol,
        authorization: req.headers.authorization,
      },
      { baseUrl: ctx.config.baseUrl },
    );
    req.principal = principalOf(user);
  };
  // Roles: every signed request is held to auth/permissions.ts, after its
  // body is parsed (POST apps names its app there) and before its handler.
  app.addHook('preHandler', authorize);

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') apiError = new ApiError(413, 'requestTooLarge', 'request body too large');
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') apiError = new ApiError(415, 'unsupportedMediaType', err.message);
    else if (err.validation) apiError = badRequest(err.message);
    else if (isStorageFull(err)) apiError = insufficientStorage();
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) apiError = new ApiError(err.statusCode, 'badRequest', err.message);
    else if (clientWentAway(req)) {
      // An upload the client cut off is the client's doing, not a server failure.
      req.log.info({ code: err.code }, 'request aborted by the client');
      apiError = new ApiError(400, 'badRequest', 'request aborted by the client');
    } else {
      req.log.error({ err }, 'request failed');
      apiError = internalError();
    }
    if (apiError.status >= 500) req.log.warn({ status: apiError.status, reason: apiError.reason }, apiError.message);
    return reply.code(apiError.status).headers(apiError.headers).type('application/json; charset=utf-8').send(apiError.body());
  });

  app.setNotFoundHandler((req, reply) => {
    const e = notFound(req.url.startsWith(API_PREFIX) ? 'method' : 'page');
    return reply.code(404).type('application/json; charset=utf-8').send(e.body());
  });

  // The v1 API. Public listings and util/uuid need no signature.
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (req) => {
        const alt = (req.query as Record<string, unknown>).alt;
        if (alt !== undefined && alt !== 'json') throw badRequest(`unsupported alt=${String(alt)}: only json`);
        // Path and query values go into queries as they are: refuse what no engine stores.
        for (const values of [req.params, req.query] as Record<string, unknown>[]) {
          for (const [name, value] of Object.entries(values ?? {})) {
            const why = typeof value === 'string' ? unstorable(value) : undefined;
            if (why !== undefined) throw invalid(name, why);
          }
        }
      });
      await api.register(async (open) => {
        publicChannelRoutes(open, ctx);
        publicPackageRoutes(open, ctx);
        utilRoutes(open);
      });
      await api.register(async (signed) => {
        signed.addHook('onRequest', requireHawk);
        // A signed route without a permission rule is refused to everyone: catch that at start.
        signed.addHook('onRoute', (route) => {
          for (const method of [route.method].flat()) {
            if (method !== 'HEAD' && !ROUTE_RULES[ruleKey(method, route.url)]) throw new Error(`no permission rule for ${method} ${route.url}`);
          }
        });
        adminRoutes(signed, ctx);
        appRoutes(signed, ctx);
        channelRoutes(signed, ctx);
        packageRoutes(signed, ctx);
        groupRoutes(signed, ctx);
        instanceRoutes(signed, ctx);
        upstreamRoutes(signed, ctx);
      });
    },
    { prefix: API_PREFIX },
  );

  // The Omaha endpoint; any other write may change apps, groups, channels or
  // packages, so this process's catalog cache re-reads the generation.
  if (ctx.omaha) {
    const omaha = ctx.omaha;
    await omahaRoutes(app, omaha, ctx.config);
    front = omahaFrontHandler(omaha, ctx.config, app.log);
    // onSend: after the route's transaction committed, before the client can act on the reply.
    app.addHook('onSend', (req, _reply, payload, done) => {
      if (req.method !== 'GET' && req.method !== 'HEAD' && !req.url.startsWith('/v1/update')) omaha.invalidate();
      done(null, payload);
    });
  }
  systemRoutes(app, ctx, requireHawk);
  payloadRoutes(app, ctx, requireHawk);
  dashboardRoutes(app);
  return app;
}
