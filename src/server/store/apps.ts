// Applications, channels and packages.
import { sql } from 'kysely';
import type { AppRow, ChannelRow, PackageRow } from '../db/schema.js';
import type { Db } from '../db/tx.js';
import { versionSortKey } from '../versions.js';
import { keysetPages } from './pages.js';

export const getApp = (db: Db, id: string): Promise<AppRow | undefined> =>
  db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();

/** The apps (only those in `ids`, when given), a page at a time. */
export function appPages(db: Db, ids?: readonly string[]): AsyncGenerator<AppRow[]> {
  return keysetPages((last, rows) => {
    let q = db.selectFrom('apps').selectAll();
    if (ids) q = ids.length ? q.where('id', 'in', ids) : q.where(sql<boolean>`1 = 0`);
    if (last) q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(last.created_at, last.id)));
    return q.orderBy('created_at').orderBy('id').limit(rows).execute();
  });
}

export async function insertApp(db: Db, row: AppRow): Promise<void> {
  await db.insertInto('apps').values(row).execute();
}

export async function updateApp(db: Db, id: string, set: Partial<Pick<AppRow, 'label' | 'description'>>): Promise<void> {
  if (Object.keys(set).length === 0) return;
  await db.updateTable('apps').set(set).where('id', '=', id).execute();
}

/**
 * Removes an app and everything that belongs to it, history, grants and
 * counters included, so a re-created app starts afresh. Its groups go first:
 * on PostgreSQL that waits for report batches in flight for them, and later
 * ones find no group and are dropped (see IF_GROUP in omaha/storage.ts).
 */
export async function deleteAppCascade(db: Db, id: string): Promise<void> {
  await db.deleteFrom('groups').where('app_id', '=', id).execute();
  await deleteHistory(db, id);
  await db.deleteFrom('rollout_frames').where('app_id', '=', id).execute();
  await db.deleteFrom('channels').where('app_id', '=', id).execute();
  await db.deleteFrom('packages').where('app_id', '=', id).execute();
  await db.deleteFrom('apps').where('id', '=', id).execute();
}

/** The instances, events, grants and counters of an app, or of one of its groups. */
export async function deleteHistory(db: Db, appId: string, groupId?: string): Promise<void> {
  for (const table of ['events', 'grants', 'rollup_versions', 'rollup_events', 'instances'] as const) {
    let q = db.deleteFrom(table).where('app_id', '=', appId);
    if (groupId !== undefined) q = q.where('group_id', '=', groupId);
    await q.execute();
  }
}

// ---- channels

export const getChannel = (db: Db, appId: string, label: string): Promise<ChannelRow | undefined> =>
  db.selectFrom('channels').selectAll().where('app_id', '=', appId).where('label', '=', label).executeTakeFirst();

export const listChannels = (db: Db, appId: string): Promise<ChannelRow[]> =>
  db.selectFrom('channels').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('label').execute();

export const listPublishedChannels = (db: Db): Promise<ChannelRow[]> =>
  db.selectFrom('channels').selectAll().where('publish', '=', 1).orderBy('app_id').orderBy('created_at').orderBy('label').execute();

export async function insertChannel(db: Db, row: ChannelRow): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}

export async function updateChannel(
  db: Db,
  appId: string,
  label: string,
  set: Partial<Pick<ChannelRow, 'version' | 'publish' | 'upstream'>>,
): Promise<void> {
  await db.updateTable('channels').set(set).where('app_id', '=', appId).where('label', '=', label).execute();
}

export async function deleteChannel(db: Db, appId: string, label: string): Promise<void> {
  await db.deleteFrom('channels').where('app_id', '=', appId).where('label', '=', label).execute();
}

export const channelsOnVersion = (db: Db, appId: string, version: string): Promise<ChannelRow[]> =>
  db.selectFrom('channels').selectAll().where('app_id', '=', appId).where('version', '=', version).execute();

// ---- packages

export const getPackage = (db: Db, appId: string, version: string): Promise<PackageRow | undefined> =>
  db.selectFrom('packages').selectAll().where('app_id', '=', appId).where('version', '=', version).executeTakeFirst();

export interface PackageQuery {
  version?: string;
  skip: number;
  limit: number;
}

export async function countPackages(db: Db, appId: string, version?: string): Promise<number> {
  let q = db.selectFrom('packages').select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', appId);
  if (version) q = q.where('version', '=', version);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * An app's packages, newest version first, read from the database a page at
 * a time: OFFSET for the client's `skip` on the first page, then keyset pages.
 */
export function packagePages(db: Db, appId: string, query: PackageQuery): AsyncGenerator<PackageRow[]> {
  return keysetPages<PackageRow & { sort_key: string }>((last, rows) => {
    let q = db.selectFrom('packages').selectAll().where('app_id', '=', appId);
    if (query.version) q = q.where('version', '=', query.version);
    if (last) q = q.where((eb) => eb(eb.refTuple('sort_key', 'version'), '<', eb.tuple(last.sort_key, last.version)));
    else if (query.skip > 0) q = q.offset(query.skip);
    return q.orderBy('sort_key', 'desc').orderBy('version', 'desc').limit(rows).execute();
  }, query.limit);
}

/** Packages named by a published channel: what `public/packages` offers. */
export function listPublishedPackages(db: Db): Promise<PackageRow[]> {
  return db
    .selectFrom('packages')
    .selectAll('packages')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('channels')
          .select('channels.label')
          .whereRef('channels.app_id', '=', 'packages.app_id')
          .whereRef('channels.version', '=', 'packages.version')
          .where('channels.publish', '=', 1),
      ),
    )
    .orderBy('packages.app_id')
    .execute();
}

export async function insertPackage(db: Db, row: PackageRow): Promise<void> {
  await db.insertInto('packages').values({ ...row, sort_key: versionSortKey(row.version) }).execute();
}

/** Adds a package unless that version exists; true when added (upstream sync). */
export async function insertPackageIfMissing(db: Db, row: PackageRow): Promise<boolean> {
  const res = await db
    .insertInto('packages')
    .values({ ...row, sort_key: versionSortKey(row.version) })
    .onConflict((oc) => oc.columns(['app_id', 'version']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function deletePackage(db: Db, appId: string, version: string): Promise<void> {
  await db.deleteFrom('packages').where('app_id', '=', appId).where('version', '=', version).execute();
}
