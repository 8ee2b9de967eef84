// apps/<app>/packages: create, list, delete, and public/packages.
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';
import type { ServerContext } from '../context.js';
import type { PackageRow } from '../db/schema.js';
import { inTransaction, isUniqueViolation } from '../db/tx.js';
import { conflict, invalid, notFound } from '../http/errors.js';
import { jsonList } from '../http/json-list.js';
import { channelsOnVersion, countPackages, deletePackage, getApp, getPackage, insertPackage, listPublishedPackages, packagePages } from '../store/apps.js';
import { LIMITS, bodyObject, canonicalAppId, checkBool, checkInt64, checkText, checkUrl, checkVersion, has } from '../validate.js';
import { byVersionDesc } from '../versions.js';
import { packageJson } from '../wire.js';

type AppParams = { Params: { appId: string }; Querystring: { version?: string; limit?: string; skip?: string } };
type PackageParams = { Params: { appId: string; version: string } };

/** Validates a Package body into a row (also used by upstream sync). */
export function packageRowFrom(appId: string, version: string, body: Record<string, unknown>, createdAt = Date.now()): PackageRow {
  const metadataSize = checkText('metadataSize', body.metadataSize === undefined ? undefined : String(body.metadataSize), 20);
  if (metadataSize && !/^\d+$/.test(metadataSize)) throw invalid('metadataSize', 'must be a number of bytes');
  return {
    app_id: appId,
    version,
    url: checkUrl('url', body.url),
    size: checkInt64('size', body.size, { min: 0, defaultValue: 0 }),
    sha1_sum: checkText('sha1Sum', body.sha1Sum, LIMITS.hash),
    sha256_sum: checkText('sha256Sum', body.sha256Sum, LIMITS.hash),
    metadata_signature_rsa: checkText('metadataSignatureRsa', body.metadataSignatureRsa, LIMITS.signature),
    metadata_size: metadataSize,
    release_notes: checkText('releaseNotes', body.releaseNotes, LIMITS.releaseNotes),
    required: checkBool('required', body.required) ? 1 : 0,
    created_at: createdAt,
  };
}

function optionalCount(field: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value)) throw invalid(field, 'must be a non-negative integer');
  return Number(value);
}

export function packageRoutes(app: FastifyInstance, { store }: ServerContext): void {
  // A T.PackageList, newest version first, paged in the database and streamed.
  app.get<AppParams>('/apps/:appId/packages', async (req, reply) => {
    const appId = canonicalAppId(req.params.appId);
    if (!(await getApp(store.db, appId))) throw notFound('app');
    const limit = optionalCount('limit', req.query.limit, Number.MAX_SAFE_INTEGER);
    const skip = optionalCount('skip', req.query.skip, 0);
    const version = req.query.version || undefined;
    const total = await countPackages(store.db, appId, version);
    const pages = packagePages(store.db, appId, { version, skip, limit });
    return reply.type('application/json; charset=utf-8').send(jsonList(pages, packageJson, { total }));
  });

  app.post<PackageParams>('/apps/:appId/packages/:version', async (req): Promise<T.Package> => {
    const appId = canonicalAppId(req.params.appId);
    const version = checkVersion('version', req.params.version);
    const body = bodyObject(req.body);
    if (has(body, 'version') && body.version !== version) throw invalid('version', 'does not match the path');
    if (has(body, 'appId') && canonicalAppId(String(body.appId)) !== appId) throw invalid('appId', 'does not match the path');
    const row = packageRowFrom(appId, version, body);
    return inTransaction(store, async (trx) => {
      if (!(await getApp(trx, appId))) throw notFound('app');
      try {
        await insertPackage(trx, row);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('package already exists');
        throw err;
      }
      return packageJson(row);
    });
  });

  app.delete<PackageParams>('/apps/:appId/packages/:version', async (req): Promise<T.Package> => {
    const appId = canonicalAppId(req.params.appId);
    const version = req.params.version;
    return inTransaction(store, async (trx) => {
      if (!(await getApp(trx, appId))) throw notFound('app');
      const row = await getPackage(trx, appId, version);
      if (!row) throw notFound('package');
      const channels = await channelsOnVersion(trx, appId, version);
      if (channels.length > 0) throw conflict(`package is in use by channel ${channels.map((c) => c.label).join(', ')}`);
      await deletePackage(trx, appId, version);
      return packageJson(row);
    });
  });
}

/** public/packages: the packages of published channels, per app, without authentication. */
export function publicPackageRoutes(app: FastifyInstance, { store }: ServerContext): void {
  app.get('/public/packages', async (): Promise<T.PublicPackageList> => {
    const byApp = new Map<string, PackageRow[]>();
    for (const row of await listPublishedPackages(store.db)) {
      const list = byApp.get(row.app_id) ?? [];
      list.push(row);
      byApp.set(row.app_id, list);
    }
    return {
      items: [...byApp].map(([appId, rows]) => ({
        AppId: appId,
        packages: rows.sort((a, b) => byVersionDesc(a.version, b.version)).map(packageJson),
      })),
    };
  });
}
