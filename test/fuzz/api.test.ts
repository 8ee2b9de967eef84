// Fuzzing the v1 API of a real `serve`: every route of the discovery
// document, first with one well-formed call each (they must all succeed, so
// the route table matches the server), then with random and mutated calls,
// signed with the admin key. No reply may be a 5xx, the service must stay
// healthy, and a refused request must change nothing.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_BASE_PATH } from '../../src/api/types.js';
import { describeEngines } from '../server/helpers.js';
import { SHA1, SHA256 } from '../server/omaha-helpers.js';
import { ROUTES, UPSTREAM_PLACEHOLDER, apiArbitraries, routeName } from './api-generators.js';
import { FuzzTarget, assertProperty, fuzzSettings, testTimeout } from './harness.js';
import type { FuzzRequest } from './request.js';

const API_RUN = fuzzSettings({ runs: 400, seconds: 20 });

/** One well-formed call per route, in an order where each one succeeds. */
function corpus(selfUrl: string): [method: string, path: string, body?: unknown][] {
  const app = 'fuzz-app';
  const pkg = { url: 'https://example.com/2.0.0/update.gz', size: '2048', sha1Sum: SHA1, sha256Sum: SHA256, releaseNotes: 'notes', required: false };
  return [
    ['GET', 'util/uuid'],
    ['GET', 'admin/user'],
    ['POST', 'admin/user', { userName: 'corpus-user' }],
    ['GET', 'admin/user/corpus-user'],
    ['PUT', 'admin/user/corpus-user/token/new', { userName: 'corpus-user' }],
    ['GET', 'apps'],
    ['POST', 'apps', { id: app, label: 'Fuzz', description: 'fuzzed' }],
    ['GET', `apps/${app}`],
    ['PATCH', `apps/${app}`, { label: 'Fuzz 2', description: 'fuzzed again' }],
    ['PATCH', 'admin/user/corpus-user', { role: 'editor', apps: [app] }],
    ['GET', 'admin/me'],
    ['POST', `apps/${app}/packages/2.0.0`, pkg],
    ['GET', `apps/${app}/packages?limit=10&skip=0`],
    ['POST', `apps/${app}/channels`, { appId: app, label: 'beta', version: '2.0.0', publish: true }],
    ['GET', `apps/${app}/channels`],
    ['PATCH', `apps/${app}/channels/beta`, { appId: app, label: 'beta', version: '2.0.0', publish: false }],
    ['GET', 'public/channels'],
    ['GET', 'public/packages'],
    ['POST', `apps/${app}/groups`, { id: 'fuzz-group', label: 'Fuzz group', channelId: 'beta', updatePercent: 100 }],
    ['GET', `apps/${app}/groups?limit=10`],
    ['GET', `apps/${app}/groups/fuzz-group`],
    ['PATCH', `apps/${app}/groups/fuzz-group`, { id: 'fuzz-group', label: 'Fuzz group', channelId: 'beta', updatePercent: 50, updatesPaused: false }],
    ['POST', `apps/${app}/groups/fuzz-group`, { updatePercent: 25 }],
    ['POST', `apps/${app}/groups/fuzz-group/rollout`, { rollout: [{ percent: 50, duration: '3600' }, { percent: 100, duration: '0' }] }],
    ['GET', `apps/${app}/groups/fuzz-group/rollout`],
    ['POST', `apps/${app}/groups/fuzz-group/rollout/active`, { active: true }],
    ['GET', `apps/${app}/groups/fuzz-group/rollout/active`],
    ['GET', `apps/${app}/groups/fuzz-group/requests/events/0/0?resolution=3600`],
    ['GET', `apps/${app}/groups/fuzz-group/requests/versions/0/0?resolution=60&versions=2.0.0`],
    ['GET', `appversions?appId=${app}`],
    ['GET', `clientupdatecount?appId=${app}&groupId=fuzz-group`],
    ['GET', `clientupdates?appId=${app}&limit=10&skip=0`],
    ['GET', 'client/history?clientId=deadbeef'],
    ['GET', 'upstream'],
    ['PUT', `upstream/${UPSTREAM_PLACEHOLDER}`, { url: selfUrl, label: 'self again' }],
    ['POST', 'upstream/sync'],
    ['DELETE', `upstream/${UPSTREAM_PLACEHOLDER}`],
    ['POST', 'upstream', { url: selfUrl, label: 'self' }],
    ['DELETE', `apps/${app}/groups/fuzz-group`],
    ['DELETE', `apps/${app}/channels/beta`],
    ['DELETE', `apps/${app}/packages/2.0.0`],
    ['DELETE', `apps/${app}`],
    ['DELETE', 'admin/user/corpus-user'],
  ];
}

/** The route a corpus entry exercises. */
function routeOf(method: string, path: string): string | undefined {
  const segments = path.split('?')[0]!.split('/');
  return ROUTES.find((r) => {
    const parts = r.path.split('/');
    return r.method === method && parts.length === segments.length && parts.every((p, i) => p.startsWith(':') || p === segments[i]);
  })?.path;
}

describeEngines('fuzz: the v1 API', (engine) => {
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await FuzzTarget.start(engine);
  });
  afterAll(async () => {
    if (target) console.log(`[fuzz] ${engine} API replies: ${target.summary()}`);
    await target?.close();
  });

  it('covers every route with a well-formed call that succeeds', async () => {
    const calls = corpus(target.url);
    const covered = new Set(calls.map(([m, p]) => `${m} ${routeOf(m, p)}`));
    expect(ROUTES.map(routeName).filter((r) => !covered.has(r))).toEqual([]);
    for (const [method, path, body] of calls) {
      const request: FuzzRequest = {
        family: `corpus ${method} ${routeOf(method, path)}`,
        method,
        target: `${API_BASE_PATH}${path}${path.includes('?') ? '&' : '?'}alt=json`,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        sign: { kind: 'client' },
      };
      const reply = await target.exchange(request);
      expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(200);
    }
  });

  it(
    'random and mutated signed requests: no 5xx, still healthy, refused requests change nothing',
    async () => {
      const { request } = apiArbitraries(target.url);
      const property = fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), async (requests) => {
        await target.ensureBaseline();
        for (const r of requests) await target.exchange(r);
        if (!(await target.healthy())) throw new Error('the health check failed after the run');
      });
      await assertProperty(`${engine} v1 API`, property, API_RUN);
      expect(await target.healthy()).toBe(true);
      expect(await target.integrity()).toBe('ok');
    },
    testTimeout(API_RUN),
  );
});
