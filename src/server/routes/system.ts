// Routes outside the v1 API: health, database init and backup.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ServerContext } from '../context.js';
import { takeSnapshot } from '../db/backup.js';
import { createInitialAdmin } from '../store/users.js';

export function systemRoutes(app: FastifyInstance, { store, config }: ServerContext, requireHawk: (req: any) => Promise<void>): void {
  app.get('/health', async (_req, reply) => {
    try {
      await sql`select 1`.execute(store.db);
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });

  // `database init`: creates `admin` while no user exists and answers `ok`
  // (the key goes to the service's output, as on first start). Once a user
  // exists it changes nothing and answers 409 `already initialized`.
  app.get('/admin/v1/init', async (_req, reply) => {
    const key = await createInitialAdmin(store.db, config.adminKey);
    reply.type('text/plain; charset=utf-8');
    if (!key) return reply.code(409).send('already initialized');
    config.onAdminKey?.(key);
    return 'ok';
  });

  app.get('/db/backup', { onRequest: requireHawk }, async (req, reply) => {
    const snapshot = await takeSnapshot(store);
    snapshot.stream.on('error', (err) => req.log.error({ err }, 'backup failed while streaming'));
    return reply
      .type(snapshot.contentType)
      .header('content-disposition', `attachment; filename="${snapshot.fileName}"`)
      .header('cache-control', 'no-store')
      .send(snapshot.stream);
  });
}
