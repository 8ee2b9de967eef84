// util/uuid: a fresh UUID (no authentication).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';

export function utilRoutes(app: FastifyInstance): void {
  app.get('/util/uuid', async (): Promise<T.GenerateUuidResp> => ({ uuid: randomUUID() }));
}
