// admin/user: users, their keys and their roles; admin/me: the signed user.
// Who may call which of these is in auth/permissions.ts.
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';
import { ROLES, encodeApps, principalOf, type Principal, type Role } from '../auth/permissions.js';
import type { ServerContext } from '../context.js';
import type { UserRow } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { conflict, invalid, notFound } from '../http/errors.js';
import { deleteUser, getUser, insertUser, listUsers, lockAdmins, newKey, setUserAccess, setUserKey } from '../store/users.js';
import { bodyObject, checkAppId, checkUserName, has } from '../validate.js';

type NameParams = { Params: { userName: string } };

/** More apps than any scope needs; keeps a user row small. */
const MAX_SCOPED_APPS = 1000;

/** A user on the wire: name, role, and the apps it is limited to (absent: every app). */
function userJson(who: Principal): T.AdminUser {
  return { user: who.name, role: who.role, ...(who.apps ? { apps: [...who.apps] } : {}) };
}

const userOf = (row: UserRow) => userJson(principalOf(row));

function checkRole(value: unknown): Role {
  if (typeof value !== 'string' || !(ROLES as readonly string[]).includes(value)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

/** `apps`: a list of app ids (canonical, without repeats); null or [] for every app. */
function checkApps(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('apps', 'must be a list of app ids');
  if (value.length > MAX_SCOPED_APPS) throw invalid('apps', `more than ${MAX_SCOPED_APPS} apps`);
  return [...new Set(value.map((id, i) => checkAppId(`apps[${i}]`, id)))];
}

/** The role and apps a body asks for, over what the user has now (a new user: an admin). */
function accessFrom(body: Record<string, unknown>, current?: Principal): { role: Role; apps: string[] } {
  const role = has(body, 'role') ? checkRole(body.role) : (current?.role ?? 'admin');
  // Becoming an admin drops a scope; otherwise the scope stays unless replaced.
  const apps = has(body, 'apps') ? checkApps(body.apps) : role === 'admin' ? [] : [...(current?.apps ?? [])];
  if (role === 'admin' && apps.length > 0) throw invalid('apps', 'an admin has every app: only editors and viewers are limited to some');
  return { role, apps };
}

export function adminRoutes(app: FastifyInstance, { store }: ServerContext): void {
  // Who signed this request, with what role: the dashboard shows only what it may do.
  app.get('/admin/me', async (req): Promise<T.AdminUser> => userJson(req.principal!));

  // Keys are shown once, when issued (create, token/new); listings carry names and roles only.
  app.get('/admin/user', async (): Promise<T.AdminListUsersResp> => {
    const users = await listUsers(store.db);
    return { users: users.map(userOf) };
  });

  app.get<NameParams>('/admin/user/:userName', async (req): Promise<T.AdminUser> => {
    const user = await getUser(store.db, req.params.userName);
    if (!user) throw notFound('user');
    return userOf(user);
  });

  // Without a role the new user is an admin, as every user of the original service was.
  app.post('/admin/user', async (req): Promise<T.AdminUser> => {
    const body = bodyObject(req.body);
    const name = checkUserName('userName', body.userName);
    const { role, apps } = accessFrom(body);
    const key = newKey();
    if (!(await insertUser(store.db, name, key, { role, apps: encodeApps(apps) }))) throw conflict('user already exists');
    return { ...userJson({ name, role, apps: apps.length > 0 ? apps : undefined }), token: key };
  });

  // Changes a user's role or apps; the key stays.
  app.patch<NameParams>('/admin/user/:userName', async (req): Promise<T.AdminUser> => {
    const body = bodyObject(req.body);
    const name = req.params.userName;
    if (has(body, 'userName') && body.userName !== name) throw invalid('userName', 'does not match the path');
    return inTransaction(store, async (trx) => {
      const admins = await lockAdmins(store, trx);
      const row = await getUser(trx, name);
      if (!row) throw notFound('user');
      const { role, apps } = accessFrom(body, principalOf(row));
      if (role !== 'admin' && admins.length === 1 && admins[0] === name) throw conflict('cannot demote the last admin');
      await setUserAccess(trx, name, { role, apps: encodeApps(apps) });
      return userJson({ name, role, apps: apps.length > 0 ? apps : undefined });
    });
  });

  app.put<NameParams>('/admin/user/:userName/token/new', async (req): Promise<T.AdminUser> => {
    const body = bodyObject(req.body);
    const name = req.params.userName;
    if (body.userName !== undefined && body.userName !== name) throw invalid('userName', 'does not match the path');
    const key = newKey();
    if (!(await setUserKey(store.db, name, key))) throw notFound('user');
    return { user: name, token: key };
  });

  app.delete<NameParams>('/admin/user/:userName', async (req): Promise<T.AdminUser> => {
    const name = req.params.userName;
    return inTransaction(store, async (trx) => {
      const admins = await lockAdmins(store, trx);
      if (!(await getUser(trx, name))) throw notFound('user');
      // The last admin cannot go: nobody could manage users any more.
      if (admins.length === 1 && admins[0] === name) throw conflict('cannot delete the last admin');
      await deleteUser(trx, name);
      return { user: name };
    });
  });
}
