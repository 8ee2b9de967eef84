// Groups and their rollout frames.
import type { Store } from '../db/connect.js';
import type { FrameRow, GroupRow } from '../db/schema.js';
import { lockForUpdate, type Db } from '../db/tx.js';
import { deleteHistory } from './apps.js';
import { keysetPages } from './pages.js';

export function getGroup(db: Db, appId: string, id: string, lock?: Store): Promise<GroupRow | undefined> {
  const q = db.selectFrom('groups').selectAll().where('app_id', '=', appId).where('id', '=', id);
  return (lock ? lockForUpdate(lock, q) : q).executeTakeFirst();
}

/** An app's groups, `limit` at most, a page at a time. */
export function groupPages(db: Db, appId: string, limit?: number): AsyncGenerator<GroupRow[]> {
  return keysetPages((last, rows) => {
    let q = db.selectFrom('groups').selectAll().where('app_id', '=', appId);
    if (last) q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(last.created_at, last.id)));
    return q.orderBy('created_at').orderBy('id').limit(rows).execute();
  }, limit);
}

export async function insertGroup(db: Db, row: GroupRow): Promise<void> {
  await db.insertInto('groups').values(row).execute();
}

export async function updateGroup(db: Db, appId: string, id: string, set: Partial<Omit<GroupRow, 'app_id' | 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('groups').set(set).where('app_id', '=', appId).where('id', '=', id).execute();
}

/** Removes a group with its instances, history, grants and counters (the group row first: see deleteAppCascade). */
export async function deleteGroup(db: Db, appId: string, id: string): Promise<void> {
  await db.deleteFrom('groups').where('app_id', '=', appId).where('id', '=', id).execute();
  await deleteHistory(db, appId, id);
  await db.deleteFrom('rollout_frames').where('app_id', '=', appId).where('group_id', '=', id).execute();
}

export const listFrames = (db: Db, appId: string, groupId: string): Promise<FrameRow[]> =>
  db
    .selectFrom('rollout_frames')
    .selectAll()
    .where('app_id', '=', appId)
    .where('group_id', '=', groupId)
    .orderBy('position')
    .execute();

export async function replaceFrames(db: Db, appId: string, groupId: string, frames: { percent: number; duration: number }[]): Promise<void> {
  await db.deleteFrom('rollout_frames').where('app_id', '=', appId).where('group_id', '=', groupId).execute();
  // Insert in slices: SQLite caps bound parameters per statement.
  for (let i = 0; i < frames.length; i += 100) {
    const slice = frames.slice(i, i + 100).map((f, k) => ({ app_id: appId, group_id: groupId, position: i + k, ...f }));
    await db.insertInto('rollout_frames').values(slice).execute();
  }
}
