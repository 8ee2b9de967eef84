// apps: create, list, get, update (patch semantics), delete.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';
import { appScope } from '../auth/permissions.js';
import type { ServerContext } from '../context.js';
import { inTransaction, isUniqueViolation } from '../db/tx.js';
import { conflict, invalid, notFound } from '../http/errors.js';
import { jsonList } from '../http/json-list.js';
import { appPages, deleteAppCascade, getApp, insertApp, updateApp } from '../store/apps.js';
import { LIMITS, bodyObject, canonicalAppId, checkAppId, checkText, has } from '../validate.js';
import { appJson } from '../wire.js';

type IdParams = { Params: { id: string } };

export function appRoutes(app: FastifyInstance, { store }: ServerContext): void {
  // A user limited to some apps sees only those.
  // A T.AppListResp, streamed a page at a time.
  app.get('/apps', async (req, reply) => {
    const pages = appPages(store.db, appScope(req));
    return reply.type('application/json; charset=utf-8').send(jsonList(pages, appJson));
  });

  app.get<IdParams>('/apps/:id', async (req): Promise<T.App> => {
    const row = await getApp(store.db, canonicalAppId(req.params.id));
    if (!row) throw notFound('app');
    return appJson(row);
  });

  app.post('/apps', async (req): Promise<T.App> => {
    const body = bodyObject(req.body);
    const row = {
      id: has(body, 'id') ? checkAppId('id', body.id) : randomUUID(),
      label: checkText('label', body.label, LIMITS.label),
      description: checkText('description', body.description, LIMITS.description),
      created_at: Date.now(),
    };
    try {
      await insertApp(store.db, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('app already exists');
      throw err;
    }
    return appJson(row);
  });

  // PATCH keeps absent fields. It creates a missing app: the 0.x `update-app`
  // walkthroughs (seeds 002, 003) start with it on a service where CoreUpdate
  // had the app pre-provisioned.
  app.patch<IdParams>('/apps/:id', async (req): Promise<T.App> => {
    const id = checkAppId('id', req.params.id);
    const body = bodyObject(req.body);
    if (has(body, 'id') && canonicalAppId(String(body.id)) !== id) throw invalid('id', 'does not match the path');
    const set: { label?: string; description?: string } = {};
    if (has(body, 'label')) set.label = checkText('label', body.label, LIMITS.label);
    if (has(body, 'description')) set.description = checkText('description', body.description, LIMITS.description);
    return inTransaction(store, async (trx) => {
      const existing = await getApp(trx, id);
      if (!existing) {
        const row = { id, label: set.label ?? '', description: set.description ?? '', created_at: Date.now() };
        await insertApp(trx, row);
        return appJson(row);
      }
      await updateApp(trx, id, set);
      return appJson({ ...existing, ...set });
    });
  });

  app.delete<IdParams>('/apps/:id', async (req): Promise<T.App> => {
    const id = canonicalAppId(req.params.id);
    return inTransaction(store, async (trx) => {
      const row = await getApp(trx, id);
      if (!row) throw notFound('app');
      await deleteAppCascade(trx, id);
      return appJson(row);
    });
  });
}
