// Users and their Hawk keys. Keys are stored as issued: Hawk needs the raw key
// on the server to recompute MACs, so it cannot be hashed.
import { randomBytes } from 'node:crypto';
import type { Store } from '../db/connect.js';
import { lockForUpdate, type Db } from '../db/tx.js';
import type { UserRow } from '../db/schema.js';

/** 32 hex characters, the shape of the original service's keys. */
export function newKey(): string {
  return randomBytes(16).toString('hex');
}

export const getUser = (db: Db, name: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();

export const listUsers = (db: Db): Promise<UserRow[]> =>
  db.selectFrom('users').selectAll().orderBy('created_at').orderBy('name').execute();

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What a user may do: a role and, for editors and viewers, the apps it is limited to ('[]': every app). */
export type UserAccess = Pick<UserRow, 'role' | 'apps'>;

/** Inserts unless the name exists; true when this call created it (safe across replicas). Without `access`, an admin. */
export async function insertUser(db: Db, name: string, key: string, access?: UserAccess): Promise<boolean> {
  const res = await db
    .insertInto('users')
    .values({ name, key, created_at: Date.now(), ...access })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function setUserKey(db: Db, name: string, key: string): Promise<boolean> {
  const res = await db.updateTable('users').set({ key }).where('name', '=', name).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function setUserAccess(db: Db, name: string, access: UserAccess): Promise<boolean> {
  const res = await db.updateTable('users').set(access).where('name', '=', name).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * The names of the admins. On PostgreSQL their rows stay locked until the
 * transaction ends, so two requests that each remove a different admin
 * cannot both see the other one remaining.
 */
export async function lockAdmins(store: Store, db: Db): Promise<string[]> {
  const rows = await lockForUpdate(store, db.selectFrom('users').select('name').where('role', '=', 'admin')).execute();
  return rows.map((r) => r.name);
}

export async function deleteUser(db: Db, name: string): Promise<boolean> {
  const res = await db.deleteFrom('users').where('name', '=', name).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

/**
 * Creates `admin` when the database has no user at all. Returns the key when
 * this call created it (only one replica wins a race on an empty database).
 */
export async function createInitialAdmin(db: Db, key?: string): Promise<string | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  const adminKey = key || newKey();
  return (await insertUser(db, 'admin', adminKey)) ? adminKey : undefined;
}

/**
 * Gives `admin` a new key (`key`, or a random one), creating it if missing,
 * and makes it an admin of every app again. For an operator who lost the key.
 */
export async function resetAdminUser(db: Db, key?: string): Promise<string> {
  const adminKey = key || newKey();
  const access: UserAccess = { role: 'admin', apps: '[]' };
  if (!(await insertUser(db, 'admin', adminKey, access))) {
    await setUserKey(db, 'admin', adminKey);
    await setUserAccess(db, 'admin', access);
  }
  return adminKey;
}
