// Instance queries: appversions, clientupdates, clientupdatecount, client/history.
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';
import { appScope } from '../auth/permissions.js';
import type { ServerContext } from '../context.js';
import { invalid, required } from '../http/errors.js';
import { clientHistory, countByAppGroupVersion, countInstances, listInstances, type InstanceFilter } from '../store/instances.js';
import { canonicalAppId, checkInt64 } from '../validate.js';
import { byVersionDesc } from '../versions.js';
import { clientUpdateJson, historyJson } from '../wire.js';

type Query = Partial<Record<keyof T.InstanceQuery, string>>;

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;
const HISTORY_LIMIT = 1000;

function eventCode(field: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,9}$/.test(value)) throw invalid(field, 'must be an event code number');
  return Number(value);
}

/** dateStart/dateEnd in seconds; 0 or absent = unbounded. */
function date(field: string, value: string | undefined): number | undefined {
  const n = checkInt64(field, value, { min: 0, defaultValue: 0 });
  return n === 0 ? undefined : n;
}

function text(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The query's filter; `appIds` narrows it to the apps a scoped user may see. */
export function filterFrom(q: Query, appIds?: readonly string[]): InstanceFilter {
  return {
    appId: q.appId ? canonicalAppId(q.appId) : undefined,
    appIds,
    groupId: text(q.groupId),
    clientId: text(q.clientId),
    version: text(q.version),
    oem: text(q.oem),
    eventType: eventCode('eventType', q.eventType),
    eventResult: eventCode('eventResult', q.eventResult),
    dateStart: date('dateStart', q.dateStart),
    dateEnd: date('dateEnd', q.dateEnd),
  };
}

function paging(q: Query): { limit: number; skip: number } {
  const limit = checkInt64('limit', q.limit, { min: 1, defaultValue: DEFAULT_LIMIT });
  const skip = checkInt64('skip', q.skip, { min: 0, defaultValue: 0 });
  return { limit: Math.min(limit, MAX_LIMIT), skip };
}

export function instanceRoutes(app: FastifyInstance, { store, omaha }: ServerContext): void {
  // Instance reports are written behind (every ~100 ms): write them before reading.
  const flushed = async () => {
    await omaha?.flush();
  };

  app.get<{ Querystring: Query }>('/appversions', async (req): Promise<T.AppVersionList> => {
    await flushed();
    const rows = await countByAppGroupVersion(store.db, filterFrom(req.query, appScope(req)));
    rows.sort((a, b) => a.appId.localeCompare(b.appId) || a.groupId.localeCompare(b.groupId) || byVersionDesc(a.version, b.version));
    return { items: rows };
  });

  app.get<{ Querystring: Query }>('/clientupdates', async (req): Promise<T.ClientUpdateList> => {
    await flushed();
    const { limit, skip } = paging(req.query);
    const rows = await listInstances(store.db, filterFrom(req.query, appScope(req)), limit, skip);
    return { items: rows.map(clientUpdateJson) };
  });

  app.get<{ Querystring: Query }>('/clientupdatecount', async (req): Promise<T.ClientCountResp> => {
    await flushed();
    return { count: await countInstances(store.db, filterFrom(req.query, appScope(req))) };
  });

  app.get<{ Querystring: Query }>('/client/history', async (req): Promise<T.ClientHistoryResp> => {
    const clientId = text(req.query.clientId);
    if (!clientId) throw required('clientId');
    await flushed();
    return { items: (await clientHistory(store.db, clientId, HISTORY_LIMIT, appScope(req))).map(historyJson) };
  });
}
