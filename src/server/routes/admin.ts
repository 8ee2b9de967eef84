// admin/user: users and their keys.
import type { FastifyInstance } from 'fastify';
import type * as T from '../../api/types.js';
import type { ServerContext } from '../context.js';
import { inTransaction } from '../db/tx.js';
import { conflict, invalid, notFound } from '../http/errors.js';
import { countUsers, deleteUser, getUser, insertUser, listUsers, newKey, setUserKey } from '../store/users.js';
import { bodyObject, checkUserName } from '../validate.js';

type NameParams = { Params: { userName: string } };

export function adminRoutes(app: FastifyInstance, { store }: ServerContext): void {
  // Keys are shown once, when issued (create, token/new); listings carry names only.
  app.get('/admin/user', async (): Promise<T.AdminListUsersResp> => {
    const users = await listUsers(store.db);
    return { users: users.map((u) => ({ user: u.name })) };
  });

  app.get<NameParams>('/admin/user/:userName', async (req): Promise<T.AdminUser> => {
    const user = await getUser(store.db, req.params.userName);
    if (!user) throw notFound('user');
    return { user: user.name };
  });

  app.post('/admin/user', async (req): Promise<T.AdminUser> => {
    const body = bodyObject(req.body);
    const name = checkUserName('userName', body.userName);
    const key = newKey();
    if (!(await insertUser(store.db, name, key))) throw conflict('user already exists');
    return { user: name, token: key };
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
      if (!(await getUser(trx, name))) throw notFound('user');
      // The last user cannot go: nobody could sign a request any more.
      if ((await countUsers(trx)) <= 1) throw conflict('cannot delete the last user');
      await deleteUser(trx, name);
      return { user: name };
    });
  });
}
