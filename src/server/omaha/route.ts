// HTTP side of the Omaha endpoint: POST /v1/update/ and /v1/update (the
// router ignores the trailing slash). Bodies are taken raw under any or no
// content type, parsed by the safe parser, and answered with text/xml and
// HTTP 200; a body the parser refuses (or a value we will not store) gets 400.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_OMAHA_LIMITS, OmahaParseError, buildResponse, parseRequest } from '../../omaha/index.js';
import type { ServerConfig } from '../config.js';
import { OmahaInputError } from './handler.js';
import type { OmahaService } from './service.js';

const XML_TYPE = 'text/xml; charset=utf-8';

export async function omahaRoutes(app: FastifyInstance, omaha: OmahaService, config: ServerConfig): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // One byte over the cap still reaches the parser, which says why it refuses.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: DEFAULT_OMAHA_LIMITS.maxBodyBytes + 1 }, (_req, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
      const bad = err instanceof OmahaParseError || err instanceof OmahaInputError || (err.statusCode !== undefined && err.statusCode < 500);
      if (!bad) req.log.error({ err }, 'omaha request failed');
      const message = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `body exceeds ${DEFAULT_OMAHA_LIMITS.maxBodyBytes} bytes` : err.message;
      return reply
        .code(bad ? 400 : 500)
        .type('text/plain; charset=utf-8')
        .send(bad ? `bad request: ${message}\n` : 'internal error\n');
    });

    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const body = req.body;
      const request = parseRequest(Buffer.isBuffer(body) ? body : '');
      const baseUrl = config.baseUrl ?? `${req.protocol}://${req.host}`;
      const response = await omaha.handle(request, { ip: req.ip, baseUrl });
      return reply.type(XML_TYPE).send(buildResponse(response));
    };
    // Per-request logs would cost more than the check itself; errors are still logged.
    scope.post('/v1/update', { logLevel: 'warn' }, handler);
  });
}
