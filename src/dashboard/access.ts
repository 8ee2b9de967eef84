// What the signed-in user may do, from `GET admin/me` (see docs/server.md,
// "Security"): the views offer only the forms and buttons its role allows.
// The service enforces the same rules; this only spares the user refusals.
import type * as T from '../api/types.js';
import { ApiError, type Api } from './api.js';

export interface Access {
  role: T.UserRole;
  /** The apps an editor or viewer is limited to; undefined: every app. */
  apps?: string[];
}

/** A service without roles (the original CoreUpdate) has no admin/me, and every user of it is an admin. */
const EVERYTHING: Access = { role: 'admin' };

export async function loadAccess(api: Api): Promise<Access> {
  try {
    const me = await api.whoAmI();
    return { role: me.role ?? 'admin', apps: me.apps?.length ? me.apps : undefined };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return EVERYTHING;
    throw err;
  }
}

/** May change the app's channels, groups, packages and rollouts. */
export function canChange(access: Access, appId: string): boolean {
  if (access.role === 'admin') return true;
  return access.role === 'editor' && (!access.apps || access.apps.includes(appId));
}

/** May create applications (a user limited to some apps manages those only). */
export function canCreateApps(access: Access): boolean {
  return access.role === 'admin' || (access.role === 'editor' && !access.apps);
}
