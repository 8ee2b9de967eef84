// Upstream services that this one mirrors.
import type { Db } from '../db/tx.js';
import type { UpstreamRow } from '../db/schema.js';

export const getUpstream = (db: Db, id: string): Promise<UpstreamRow | undefined> =>
  db.selectFrom('upstreams').selectAll().where('id', '=', id).executeTakeFirst();

export const listUpstreams = (db: Db): Promise<UpstreamRow[]> =>
  db.selectFrom('upstreams').selectAll().orderBy('created_at').orderBy('id').execute();

export async function insertUpstream(db: Db, row: UpstreamRow): Promise<void> {
  await db.insertInto('upstreams').values(row).execute();
}

export async function updateUpstream(db: Db, id: string, set: Pick<UpstreamRow, 'url' | 'label'>): Promise<void> {
  await db.updateTable('upstreams').set(set).where('id', '=', id).execute();
}

export async function deleteUpstream(db: Db, id: string): Promise<void> {
  await db.deleteFrom('upstreams').where('id', '=', id).execute();
}
