// Hawk replay protection in the database, so every replica sees every nonce.
import type { Db } from '../db/tx.js';
import { isUniqueViolation } from '../db/tx.js';

/** Records a nonce; false when (user, nonce, ts) was seen before: a replay. */
export async function rememberNonce(db: Db, userName: string, nonce: string, ts: number): Promise<boolean> {
  try {
    const res = await db
      .insertInto('nonces')
      .values({ user_name: userName, nonce, ts, seen_at: Date.now() })
      .onConflict((oc) => oc.columns(['user_name', 'nonce', 'ts']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Forgets nonces older than the window in which their timestamp could still be accepted. */
export async function pruneNonces(db: Db, olderThanMs: number): Promise<void> {
  await db.deleteFrom('nonces').where('seen_at', '<', Date.now() - olderThanMs).execute();
}
