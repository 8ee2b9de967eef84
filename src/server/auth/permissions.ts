// Who may do what: the role of each signed user and the one table that maps
// every signed route to the permission it needs. `authorize` (a preHandler
// hook, after Hawk has named the user and the body has been parsed) reads the
// table; routes themselves only narrow listings to a scoped user's apps.
//
// - admin: everything.
// - editor: apps, channels, groups, packages, rollouts and uploads; not users,
//   backups or upstreams.
// - viewer: reads of the same.
// An editor or viewer may be scoped to some apps: it then reads and changes
// those apps only, and listings show it only those.
import type { FastifyRequest } from 'fastify';
import { API_BASE_PATH } from '../../api/types.js';
import type { UserRow } from '../db/schema.js';
import { forbidden } from '../http/errors.js';
import { canonicalAppId } from '../validate.js';

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The signed user of a request, as far as permissions go. */
export interface Principal {
  name: string;
  role: Role;
  /** The apps an editor or viewer is limited to; undefined: every app. */
  apps?: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed user, once Hawk verification succeeded. */
    principal?: Principal;
  }
}

/** Reads the stored role; anything unknown counts as the least privileged. */
export function principalOf(user: Pick<UserRow, 'name' | 'role' | 'apps'>): Principal {
  const role: Role = (ROLES as readonly string[]).includes(user.role) ? (user.role as Role) : 'viewer';
  const apps = role === 'admin' ? [] : decodeApps(user.apps);
  return { name: user.name, role, apps: apps.length > 0 ? apps : undefined };
}

/** The `apps` column: a JSON array of app ids, `[]` for every app. */
export function decodeApps(stored: string): string[] {
  try {
    const value: unknown = JSON.parse(stored || '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function encodeApps(apps: readonly string[] | undefined): string {
  return JSON.stringify(apps ?? []);
}

/** The apps a request's user is limited to, for routes that list across apps; undefined: every app. */
export function appScope(req: FastifyRequest): readonly string[] | undefined {
  return req.principal?.apps;
}

// ---- the table

/** Where a route finds the app it acts on. */
type AppSource =
  | { from: 'param' | 'query' | 'body'; name: string }
  /** A listing across apps: the route shows a scoped user only its apps. */
  | { from: 'listing' }
  /** Not tied to one app (payload uploads share one folder): needs every app. */
  | { from: 'everyApp' };

export type Rule =
  | { need: 'read' | 'write'; app: AppSource }
  /** Only admins. */
  | { need: 'admin' }
  /** The user named by `:userName` itself, or an admin. */
  | { need: 'selfOrAdmin' }
  /** Any signed user. */
  | { need: 'signedIn' };

const param = (name: string): AppSource => ({ from: 'param', name });
const LISTING: AppSource = { from: 'listing' };
const read = (app: AppSource): Rule => ({ need: 'read', app });
const write = (app: AppSource): Rule => ({ need: 'write', app });
const ADMIN: Rule = { need: 'admin' };

const V1 = API_BASE_PATH.replace(/\/$/, '');
const APP = param('appId');

/** Every signed route, by method and path as registered. A signed route missing here is refused. */
export const ROUTE_RULES: Readonly<Record<string, Rule>> = {
  [`GET ${V1}/admin/me`]: { need: 'signedIn' },
  [`GET ${V1}/admin/user`]: ADMIN,
  [`POST ${V1}/admin/user`]: ADMIN,
  [`GET ${V1}/admin/user/:userName`]: { need: 'selfOrAdmin' },
  [`PATCH ${V1}/admin/user/:userName`]: ADMIN,
  [`DELETE ${V1}/admin/user/:userName`]: ADMIN,
  // A user may rotate its own key (a CI job can renew its key without an admin's).
  [`PUT ${V1}/admin/user/:userName/token/new`]: { need: 'selfOrAdmin' },

  [`GET ${V1}/apps`]: read(LISTING),
  // A scoped editor may create only an app it is limited to, named by its id.
  [`POST ${V1}/apps`]: write({ from: 'body', name: 'id' }),
  [`GET ${V1}/apps/:id`]: read(param('id')),
  [`PATCH ${V1}/apps/:id`]: write(param('id')),
  [`DELETE ${V1}/apps/:id`]: write(param('id')),

  [`GET ${V1}/apps/:appId/channels`]: read(APP),
  [`POST ${V1}/apps/:appId/channels`]: write(APP),
  [`PATCH ${V1}/apps/:appId/channels/:label`]: write(APP),
  [`DELETE ${V1}/apps/:appId/channels/:label`]: write(APP),

  [`GET ${V1}/apps/:appId/packages`]: read(APP),
  [`POST ${V1}/apps/:appId/packages/:version`]: write(APP),
  [`DELETE ${V1}/apps/:appId/packages/:version`]: write(APP),

  [`GET ${V1}/apps/:appId/groups`]: read(APP),
  [`POST ${V1}/apps/:appId/groups`]: write(APP),
  [`GET ${V1}/apps/:appId/groups/:id`]: read(APP),
  [`PATCH ${V1}/apps/:appId/groups/:id`]: write(APP),
  [`POST ${V1}/apps/:appId/groups/:id`]: write(APP),
  [`DELETE ${V1}/apps/:appId/groups/:id`]: write(APP),
  [`GET ${V1}/apps/:appId/groups/:groupId/rollout`]: read(APP),
  [`POST ${V1}/apps/:appId/groups/:groupId/rollout`]: write(APP),
  [`GET ${V1}/apps/:appId/groups/:groupId/rollout/active`]: read(APP),
  [`POST ${V1}/apps/:appId/groups/:groupId/rollout/active`]: write(APP),
  [`GET ${V1}/apps/:appId/groups/:groupId/requests/versions/:dateStart/:dateEnd`]: read(APP),
  [`GET ${V1}/apps/:appId/groups/:groupId/requests/events/:dateStart/:dateEnd`]: read(APP),

  // Instance queries name their app in the query, or list across apps.
  [`GET ${V1}/appversions`]: read({ from: 'query', name: 'appId' }),
  [`GET ${V1}/clientupdates`]: read({ from: 'query', name: 'appId' }),
  [`GET ${V1}/clientupdatecount`]: read({ from: 'query', name: 'appId' }),
  [`GET ${V1}/client/history`]: read(LISTING),

  // Upstreams make the service fetch URLs: admins only.
  [`GET ${V1}/upstream`]: ADMIN,
  [`POST ${V1}/upstream`]: ADMIN,
  [`PUT ${V1}/upstream/:id`]: ADMIN,
  [`DELETE ${V1}/upstream/:id`]: ADMIN,
  [`POST ${V1}/upstream/sync`]: ADMIN,

  'GET /db/backup': ADMIN,
  'POST /package-upload': write({ from: 'everyApp' }),
};

/** The table's key for a route: HEAD is answered by the GET route. */
export function ruleKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

const ARTICLE: Record<Role, string> = { admin: 'an admin', editor: 'an editor', viewer: 'a viewer' };

function appOf(req: FastifyRequest, source: AppSource): string | undefined {
  if (source.from !== 'param' && source.from !== 'query' && source.from !== 'body') return undefined;
  const bag = (source.from === 'param' ? req.params : source.from === 'query' ? req.query : req.body) as Record<string, unknown> | undefined;
  const value = bag?.[source.name];
  return typeof value === 'string' && value !== '' ? canonicalAppId(value) : undefined;
}

/**
 * Throws a 403 unless `who` may call the route `rule` guards, with this
 * request's path, query and body. Nothing is looked up: an app outside a
 * scope is refused whether it exists or not.
 */
export function checkRule(rule: Rule | undefined, who: Principal, req: FastifyRequest): void {
  if (!rule) throw forbidden(`no permission is defined for ${req.method} ${req.routeOptions.url ?? req.url}`);
  if (who.role === 'admin') return;
  switch (rule.need) {
    case 'signedIn':
      return;
    case 'admin':
      throw forbidden(`only an admin may do this; ${who.name} is ${ARTICLE[who.role]}`);
    case 'selfOrAdmin':
      if ((req.params as Record<string, unknown>).userName === who.name) return;
      throw forbidden(`only an admin may manage other users; ${who.name} is ${ARTICLE[who.role]}`);
    case 'read':
    case 'write': {
      if (rule.need === 'write' && who.role === 'viewer') throw forbidden(`${who.name} is a viewer and may not change anything`);
      if (!who.apps) return;
      const source = rule.app;
      if (source.from === 'listing') return;
      if (source.from === 'everyApp') throw forbidden(`${who.name} is limited to some apps; this needs access to every app`);
      const appId = appOf(req, source);
      if (appId === undefined) {
        // A query without an app lists across apps, narrowed by the route.
        if (source.from === 'query') return;
        throw forbidden(`${who.name} is limited to some apps: name one of them`);
      }
      if (!who.apps.includes(appId)) throw forbidden(`${who.name} may not access app ${appId}`);
      return;
    }
  }
}

/** The preHandler hook: requests that carry a verified user are held to the table. */
export async function authorize(req: FastifyRequest): Promise<void> {
  const who = req.principal;
  if (!who) return;
  checkRule(ROUTE_RULES[ruleKey(req.method, req.routeOptions.url ?? '')], who, req);
}
