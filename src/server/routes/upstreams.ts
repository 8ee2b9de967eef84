// upstream: other services this one mirrors, and `upstream/sync`.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';
import type { ServerContext } from '../context.js';
import { inTransaction } from '../db/tx.js';
import { conflict, invalid, notFound } from '../http/errors.js';
import { deleteUpstream, getUpstream, insertUpstream, listUpstreams, updateUpstream } from '../store/upstreams.js';
import { describeSync, syncUpstreams, upstreamKey } from '../sync/upstream-sync.js';
import { LIMITS, bodyObject, checkHttpUrl, checkText, has } from '../validate.js';
import { upstreamJson } from '../wire.js';

type IdParams = { Params: { id: string } };

export function upstreamRoutes(app: FastifyInstance, { store }: ServerContext): void {
  app.get('/upstream', async (): Promise<T.UpstreamListResp> => ({ items: (await listUpstreams(store.db)).map(upstreamJson) }));

  app.post('/upstream', async (req): Promise<T.Upstream> => {
    const body = bodyObject(req.body);
    const url = upstreamKey(checkHttpUrl('url', body.url));
    const label = checkText('label', body.label, LIMITS.label);
    return inTransaction(store, async (trx) => {
      const existing = await listUpstreams(trx);
      if (existing.some((u) => upstreamKey(u.url) === url)) throw conflict('upstream already exists');
      const row = { id: randomUUID(), url, label, created_at: Date.now() };
      await insertUpstream(trx, row);
      return upstreamJson(row);
    });
  });

  app.put<IdParams>('/upstream/:id', async (req): Promise<T.Upstream> => {
    const id = req.params.id;
    const body = bodyObject(req.body);
    if (has(body, 'id') && body.id !== id) throw invalid('id', 'does not match the path');
    const url = upstreamKey(checkHttpUrl('url', body.url));
    const label = checkText('label', body.label, LIMITS.label);
    return inTransaction(store, async (trx) => {
      const row = await getUpstream(trx, id);
      if (!row) throw notFound('upstream');
      const others = (await listUpstreams(trx)).filter((u) => u.id !== id);
      if (others.some((u) => upstreamKey(u.url) === url)) throw conflict('upstream already exists');
      await updateUpstream(trx, id, { url, label });
      return upstreamJson({ ...row, url, label });
    });
  });

  app.delete<IdParams>('/upstream/:id', async (req): Promise<T.Upstream> => {
    return inTransaction(store, async (trx) => {
      const row = await getUpstream(trx, req.params.id);
      if (!row) throw notFound('upstream');
      await deleteUpstream(trx, row.id);
      return upstreamJson(row);
    });
  });

  app.post('/upstream/sync', async (): Promise<T.UpstreamSyncResp> => {
    const result = await syncUpstreams(store);
    return { status: 'ok', detail: describeSync(result) };
  });
}
