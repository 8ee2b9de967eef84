// apps/<app>/channels: create, list, update, delete, and public/channels.
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';
import type { ServerContext } from '../context.js';
import type { ChannelRow } from '../db/schema.js';
import { inTransaction, isUniqueViolation } from '../db/tx.js';
import { conflict, invalid, notFound } from '../http/errors.js';
import { deleteChannel, getApp, getChannel, insertChannel, listChannels, listPublishedChannels, updateChannel } from '../store/apps.js';
import type { Db } from '../db/tx.js';
import { LIMITS, bodyObject, canonicalAppId, checkBool, checkHttpUrl, checkId, checkVersion, has } from '../validate.js';
import { channelJson } from '../wire.js';

type AppParams = { Params: { appId: string } };
type ChannelParams = { Params: { appId: string; label: string } };

async function requireApp(db: Db, appId: string): Promise<void> {
  if (!(await getApp(db, appId))) throw notFound('app');
}

async function groupsOnChannel(db: Db, appId: string, label: string): Promise<string[]> {
  const rows = await db.selectFrom('groups').select('id').where('app_id', '=', appId).where('channel_id', '=', label).execute();
  return rows.map((r) => r.id);
}

export function channelRoutes(app: FastifyInstance, { store }: ServerContext): void {
  app.get<AppParams>('/apps/:appId/channels', async (req): Promise<T.ChannelListResp> => {
    const appId = canonicalAppId(req.params.appId);
    await requireApp(store.db, appId);
    return { items: (await listChannels(store.db, appId)).map(channelJson) };
  });

  // The original CLI posts to apps/<channel>/channels with the real app in the
  // body: when the path's app does not exist and the body's does, use the body's.
  app.post<AppParams>('/apps/:appId/channels', async (req): Promise<T.AppChannel> => {
    const body = bodyObject(req.body);
    const label = checkId('label', body.label, LIMITS.id);
    const version = checkVersion('version', body.version);
    const publish = checkBool('publish', body.publish);
    const upstream = checkHttpUrl('upstream', body.upstream, { optional: true });
    return inTransaction(store, async (trx) => {
      let appId = canonicalAppId(req.params.appId);
      if (!(await getApp(trx, appId)) && has(body, 'appId')) {
        const bodyApp = canonicalAppId(String(body.appId));
        if (await getApp(trx, bodyApp)) appId = bodyApp;
      }
      await requireApp(trx, appId);
      const row: ChannelRow = { app_id: appId, label, version, publish: publish ? 1 : 0, upstream, created_at: Date.now() };
      try {
        await insertChannel(trx, row);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('channel already exists');
        throw err;
      }
      return channelJson(row);
    });
  });

  // Whole-request semantics as the original: `publish` absent means false
  // (`channel update` without --publish unpublishes); `version` absent keeps it.
  // A missing channel is created (0.x `update-channel` never created one first).
  app.patch<ChannelParams>('/apps/:appId/channels/:label', async (req): Promise<T.AppChannel> => {
    const appId = canonicalAppId(req.params.appId);
    const label = checkId('label', req.params.label);
    const body = bodyObject(req.body);
    if (has(body, 'label') && body.label !== label) throw invalid('label', 'does not match the path');
    const version = has(body, 'version') ? checkVersion('version', body.version) : undefined;
    const publish = checkBool('publish', body.publish) ? 1 : 0;
    const upstream = has(body, 'upstream') ? checkHttpUrl('upstream', body.upstream, { optional: true }) : undefined;
    return inTransaction(store, async (trx) => {
      await requireApp(trx, appId);
      const existing = await getChannel(trx, appId, label);
      if (!existing) {
        if (version === undefined) throw invalid('version', 'required to create the channel');
        const row: ChannelRow = { app_id: appId, label, version, publish, upstream: upstream ?? '', created_at: Date.now() };
        await insertChannel(trx, row);
        return channelJson(row);
      }
      const set = { publish, ...(version !== undefined ? { version } : {}), ...(upstream !== undefined ? { upstream } : {}) };
      await updateChannel(trx, appId, label, set);
      return channelJson({ ...existing, ...set });
    });
  });

  app.delete<ChannelParams>('/apps/:appId/channels/:label', async (req): Promise<T.ChannelRequest> => {
    const appId = canonicalAppId(req.params.appId);
    const label = req.params.label;
    return inTransaction(store, async (trx) => {
      await requireApp(trx, appId);
      const row = await getChannel(trx, appId, label);
      if (!row) throw notFound('channel');
      const users = await groupsOnChannel(trx, appId, label);
      if (users.length > 0) throw conflict(`channel is used by group ${users.join(', ')}`);
      await deleteChannel(trx, appId, label);
      return { appId, label, version: row.version, publish: !!row.publish };
    });
  });
}

/** public/channels: published channels of every app, without authentication. */
export function publicChannelRoutes(app: FastifyInstance, { store }: ServerContext): void {
  app.get('/public/channels', async (): Promise<T.ChannelListResp> => ({
    items: (await listPublishedChannels(store.db)).map(channelJson),
  }));
}
