// Requests for the v1 API: every method of the discovery document, with its
// path parameters, query parameters and JSON body described by kind, so that
// fast-check can build both well-formed calls and hostile ones, and mutate
// the well-formed ones.
import fc from 'fast-check';
import { API_BASE_PATH } from '../../src/api/types.js';
import { APP_ID } from '../server/helpers.js';
import { SHA1, SHA256 } from '../server/omaha-helpers.js';
import { brokenJsonText, deepJsonText, encodeSegment, hostileString, rawUrlPiece, wrongTypeJson } from './strings.js';
import { applyMutations, mutationArb, type Mutation } from './mutations.js';
import { withShortForm, type FuzzRequest, type Signing } from './request.js';

/** What a parameter or field holds; each kind has values the baseline makes valid. */
export type Kind =
  | 'appId'
  | 'groupId'
  | 'channel'
  | 'version'
  | 'user'
  | 'newUser'
  | 'upstreamId'
  | 'date'
  | 'resolution'
  | 'count'
  | 'bool'
  | 'percent'
  | 'label'
  | 'text'
  | 'url'
  | 'upstreamUrl'
  | 'sha1'
  | 'sha256'
  | 'size'
  | 'frames'
  | 'int32'
  | 'eventCode'
  | 'versions'
  | 'clientId'
  | 'oem'
  | 'role'
  | 'appList';

/**
 * Resolved when the request is sent: the id of an upstream that exists (ids
 * are UUIDs the server picks). Braces are percent-encoded in every generated
 * segment, so no hostile value can spell this.
 */
export const UPSTREAM_PLACEHOLDER = '{{upstream}}';

const NOW_SECONDS = String(Math.floor(Date.now() / 1000));

/** Well-formed values of each kind, as JSON values (query and path use their string form). */
export function goodValues(selfUrl: string): Record<Kind, readonly unknown[]> {
  return {
    appId: [APP_ID, APP_ID.toUpperCase(), `{${APP_ID}}`, 'fuzz-app', 'second-app'],
    groupId: ['fake1', 'fuzz-group', 'g 2'],
    channel: ['stable', 'beta', 'fuzz'],
    version: ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '3.0.0-rc.1'],
    user: ['admin', 'fuzzer', 'ci bot'],
    newUser: ['fuzzer', 'ci bot', 'jane/doe', 'u1', 'u2'],
    upstreamId: [UPSTREAM_PLACEHOLDER, '00000000-0000-4000-8000-000000000000'],
    date: ['0', NOW_SECONDS, '1700000000'],
    resolution: ['60', '3600', '86400'],
    count: ['1', '10', '1000'],
    bool: [true, false],
    percent: [0, 12.5, 50, 100],
    label: ['Fuzz', 'a label', ''],
    text: ['', 'some notes', 'caf\u00e9 \ud83d\ude80'],
    url: ['https://example.com/u.gz', 'coreos/example:1.0.0', 'http://[::1]:8080/p'],
    upstreamUrl: [selfUrl, `${selfUrl}/`, 'http://127.0.0.1:1', 'http://localhost:1/base'],
    sha1: [SHA1],
    sha256: [SHA256],
    size: ['1024', 1024, '0'],
    frames: [[{ percent: 50, duration: '3600' }, { percent: 100, duration: '0' }], [], [{ percent: 10 }]],
    int32: [0, 1, 3600],
    eventCode: ['3', '13', ''],
    versions: ['1.0.0,1.1.0', '1.1.0'],
    clientId: ['deadbeefac951f5e8540c87dbd988de8', 'fake-client'],
    oem: ['fakeclient', ''],
    role: ['admin', 'editor', 'viewer'],
    appList: [[APP_ID], [APP_ID, 'fuzz-app'], []],
  };
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the API base; `:kind` segments are parameters. */
  path: string;
  query?: Record<string, Kind>;
  body?: Record<string, Kind>;
}

const GROUP_BODY: Record<string, Kind> = {
  appId: 'appId',
  id: 'groupId',
  label: 'label',
  channelId: 'channel',
  oemBlacklist: 'text',
  updatesPaused: 'bool',
  updatePercent: 'percent',
  rolloutActive: 'bool',
  updateCount: 'int32',
  updateInterval: 'int32',
  updatePooling: 'bool',
};
const PACKAGE_BODY: Record<string, Kind> = {
  appId: 'appId',
  version: 'version',
  url: 'url',
  size: 'size',
  sha1Sum: 'sha1',
  sha256Sum: 'sha256',
  metadataSignatureRsa: 'text',
  metadataSize: 'size',
  releaseNotes: 'text',
  required: 'bool',
};
const CHANNEL_BODY: Record<string, Kind> = { appId: 'appId', label: 'channel', version: 'version', publish: 'bool', upstream: 'upstreamUrl' };
const INSTANCE_QUERY: Record<string, Kind> = {
  appId: 'appId',
  groupId: 'groupId',
  version: 'version',
  oem: 'oem',
  eventType: 'eventCode',
  eventResult: 'eventCode',
  dateStart: 'date',
  dateEnd: 'date',
};
const ROLLUP_QUERY: Record<string, Kind> = { resolution: 'resolution', versions: 'versions' };

/** Every method of coreupdate-v1-discovery.json (the two PATCH aliases share a route), and the roles routes. */
export const ROUTES: RouteSpec[] = [
  { method: 'GET', path: 'admin/user' },
  { method: 'POST', path: 'admin/user', body: { userName: 'newUser', role: 'role', apps: 'appList' } },
  { method: 'GET', path: 'admin/user/:user' },
  { method: 'PUT', path: 'admin/user/:user/token/new', body: { userName: 'user' } },
  { method: 'DELETE', path: 'admin/user/:user' },
  // Roles, beyond the discovery document: a user's role and apps, and the signing user.
  { method: 'PATCH', path: 'admin/user/:user', body: { role: 'role', apps: 'appList' } },
  { method: 'GET', path: 'admin/me' },
  { method: 'GET', path: 'apps' },
  { method: 'POST', path: 'apps', body: { id: 'appId', label: 'label', description: 'text' } },
  { method: 'GET', path: 'apps/:appId' },
  { method: 'PATCH', path: 'apps/:appId', body: { id: 'appId', label: 'label', description: 'text' } },
  { method: 'DELETE', path: 'apps/:appId' },
  { method: 'GET', path: 'apps/:appId/packages', query: { limit: 'count', skip: 'count', version: 'version' } },
  { method: 'POST', path: 'apps/:appId/packages/:version', body: PACKAGE_BODY },
  { method: 'DELETE', path: 'apps/:appId/packages/:version', query: { url: 'url', size: 'size', required: 'bool' } },
  { method: 'GET', path: 'public/packages' },
  { method: 'GET', path: 'appversions', query: INSTANCE_QUERY },
  { method: 'GET', path: 'clientupdatecount', query: INSTANCE_QUERY },
  { method: 'GET', path: 'clientupdates', query: { ...INSTANCE_QUERY, clientId: 'clientId', limit: 'count', skip: 'count' } },
  { method: 'GET', path: 'client/history', query: { clientId: 'clientId' } },
  { method: 'GET', path: 'apps/:appId/channels' },
  { method: 'POST', path: 'apps/:appId/channels', body: CHANNEL_BODY },
  { method: 'PATCH', path: 'apps/:appId/channels/:channel', body: CHANNEL_BODY },
  { method: 'DELETE', path: 'apps/:appId/channels/:channel', query: { publish: 'bool', version: 'version' } },
  { method: 'GET', path: 'public/channels' },
  { method: 'GET', path: 'apps/:appId/groups', query: { limit: 'count' } },
  { method: 'POST', path: 'apps/:appId/groups', body: GROUP_BODY },
  { method: 'GET', path: 'apps/:appId/groups/:groupId', query: { label: 'label', updatePercent: 'percent' } },
  { method: 'PATCH', path: 'apps/:appId/groups/:groupId', body: GROUP_BODY },
  { method: 'POST', path: 'apps/:appId/groups/:groupId', body: { appId: 'appId', id: 'groupId', updatePercent: 'percent' } },
  { method: 'DELETE', path: 'apps/:appId/groups/:groupId', query: { channelId: 'channel', rolloutActive: 'bool' } },
  { method: 'GET', path: 'apps/:appId/groups/:groupId/requests/events/:date/:date', query: ROLLUP_QUERY },
  { method: 'GET', path: 'apps/:appId/groups/:groupId/requests/versions/:date/:date', query: ROLLUP_QUERY },
  { method: 'GET', path: 'apps/:appId/groups/:groupId/rollout' },
  { method: 'POST', path: 'apps/:appId/groups/:groupId/rollout', body: { appId: 'appId', groupId: 'groupId', rollout: 'frames' } },
  { method: 'GET', path: 'apps/:appId/groups/:groupId/rollout/active' },
  { method: 'POST', path: 'apps/:appId/groups/:groupId/rollout/active', body: { appId: 'appId', groupId: 'groupId', active: 'bool' } },
  { method: 'GET', path: 'upstream' },
  { method: 'POST', path: 'upstream', body: { url: 'upstreamUrl', label: 'label' } },
  { method: 'PUT', path: 'upstream/:upstreamId', body: { id: 'upstreamId', url: 'upstreamUrl', label: 'label' } },
  { method: 'DELETE', path: 'upstream/:upstreamId', query: { label: 'label', url: 'upstreamUrl' } },
  { method: 'POST', path: 'upstream/sync' },
  { method: 'GET', path: 'util/uuid' },
];

export const routeName = (r: RouteSpec) => `${r.method} ${r.path}`;

/** A call built from a route: path segments already encoded, query pairs already encoded. */
export interface ApiCall {
  route: RouteSpec;
  segments: string[];
  query: [string, string][];
  /** JSON value to serialise, or raw text/bytes to send as they are. */
  body: { json: unknown } | { raw: string | Uint8Array } | undefined;
  contentType: string | null;
}

export function callTarget(call: ApiCall): string {
  let i = 0;
  const path = call.route.path
    .split('/')
    .map((s) => (s.startsWith(':') ? call.segments[i++] ?? '' : s))
    .join('/');
  const q = call.query.map(([k, v]) => (v === NO_VALUE ? k : `${k}=${v}`)).join('&');
  return `${API_BASE_PATH}${path}${q ? `?${q}` : ''}`;
}

export function callBody(call: ApiCall): string | Uint8Array | undefined {
  if (!call.body) return undefined;
  if ('json' in call.body) return call.body.json === undefined ? undefined : JSON.stringify(call.body.json);
  return call.body.raw;
}

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A query parameter written as a bare name (`?limit`), without `=`. */
const NO_VALUE = '\u0000novalue';

/** `good` alone, or `hostile` picked `hostileWeight` times in 10. */
function mix<T>(good: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>, hostileWeight: number): fc.Arbitrary<T> {
  if (hostileWeight <= 0) return good;
  if (hostileWeight >= 10) return hostile;
  return fc.oneof({ weight: 10 - hostileWeight, arbitrary: good }, { weight: hostileWeight, arbitrary: hostile });
}

export interface ApiArbitraries {
  /** A call as a well-behaved client would make it (values from the baseline's pools). */
  wellFormed: fc.Arbitrary<ApiCall>;
  /** A call with hostile parameters, queries, bodies and headers. */
  hostile: fc.Arbitrary<ApiCall>;
  /** A request ready to send: random or mutated, signed or not. */
  request: fc.Arbitrary<FuzzRequest>;
}

export function apiArbitraries(selfUrl: string): ApiArbitraries {
  const good = goodValues(selfUrl);
  const goodOf = (kind: Kind) => fc.constantFrom(...good[kind]);

  // ---- path segments
  const goodSegment = (kind: Kind) => goodOf(kind).map((v) => (v === UPSTREAM_PLACEHOLDER ? v : encodeSegment(asText(v))));
  const hostileSegment = fc.oneof(
    { weight: 4, arbitrary: hostileString.map(encodeSegment) },
    { weight: 3, arbitrary: rawUrlPiece },
    { weight: 1, arbitrary: fc.constant('') },
  );
  const segment = (kind: Kind, hostileWeight: number) => mix(goodSegment(kind), hostileSegment, hostileWeight);

  // ---- query
  const queryValue = (kind: Kind, hostileWeight: number) =>
    mix(
      goodOf(kind).map((v) => encodeSegment(asText(v))),
      fc.oneof(hostileString.map(encodeSegment), rawUrlPiece, fc.constant(NO_VALUE)),
      hostileWeight,
    );
  const altPair = fc.oneof(
    { weight: 12, arbitrary: fc.constant<[string, string][]>([['alt', 'json']]) },
    { weight: 2, arbitrary: fc.constant<[string, string][]>([]) },
    { weight: 1, arbitrary: fc.constantFrom<[string, string][]>([['alt', 'xml']], [['alt', '']], [['alt', 'json'], ['alt', 'json']], [['alt', 'json'], ['alt', 'proto']], [['ALT', 'json']]) },
  );
  const queryFor = (route: RouteSpec, hostileWeight: number) => {
    const known = Object.entries(route.query ?? {});
    const pairs = known.map(([name, kind]) => fc.option(queryValue(kind, hostileWeight).map((v): [string, string] => [name, v]), { freq: 2 }));
    // Now and then a known parameter a second time, as a hostile client might.
    const repeated =
      known.length && hostileWeight
        ? fc.oneof(
            { weight: 3, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...known), queryValue('text', 5)).map(([[name], v]): [string, string] => [name, v]) },
          )
        : fc.constant(null);
    const extra = fc.array(fc.tuple(fc.oneof(hostileString.map(encodeSegment), rawUrlPiece), fc.oneof(hostileString.map(encodeSegment), rawUrlPiece)), { maxLength: hostileWeight ? 2 : 0 });
    return fc.tuple(altPair, fc.tuple(...pairs), repeated, extra).map(([alt, ps, rep, ex]) => {
      const out: [string, string][] = [...alt, ...(ps.filter(Boolean) as [string, string][])];
      if (rep) out.push(rep);
      return [...out, ...ex];
    });
  };

  // ---- body
  const fieldValue = (kind: Kind, hostileWeight: number) =>
    mix(goodOf(kind), fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 2, arbitrary: wrongTypeJson }), hostileWeight);
  const objectBody = (fields: Record<string, Kind>, hostileWeight: number) => {
    const entries = Object.entries(fields);
    return fc
      .tuple(
        fc.tuple(...entries.map(([, kind]) => fc.option(fieldValue(kind, hostileWeight), { freq: 3, nil: undefined }))),
        fc.dictionary(hostileString, wrongTypeJson, { maxKeys: hostileWeight ? 2 : 0 }),
      )
      .map(([values, extra]) => {
        const obj: Record<string, unknown> = {};
        entries.forEach(([name], i) => {
          if (values[i] !== undefined) obj[name] = values[i];
        });
        for (const [k, v] of Object.entries(extra)) Object.defineProperty(obj, k, { value: v, enumerable: true, configurable: true, writable: true });
        return obj;
      });
  };
  const hostileBody = (route: RouteSpec): fc.Arbitrary<ApiCall['body']> =>
    fc.oneof(
      { weight: 16, arbitrary: objectBody(route.body ?? { label: 'label', id: 'appId' }, 4).map((json) => ({ json })) },
      { weight: 3, arbitrary: wrongTypeJson.map((json) => ({ json })) },
      { weight: 3, arbitrary: brokenJsonText.map((raw) => ({ raw })) },
      { weight: 1, arbitrary: deepJsonText.map((raw) => ({ raw })) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((raw) => ({ raw })) },
      { weight: 1, arbitrary: fc.integer({ min: 1024 * 1024 - 16, max: 1024 * 1024 + 64 }).map((n) => ({ raw: `{"label":"${'x'.repeat(n)}"}` })) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );

  const contentType = fc.oneof(
    { weight: 12, arbitrary: fc.constant<string | null>('application/json') },
    { weight: 1, arbitrary: fc.constant<string | null>(null) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<string | null>(
        'text/plain',
        'application/json; charset=utf-16',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=xyz',
        'multipart/form-data',
        'application/xml',
        '*/*',
        'application/json; charset="',
        ';;;',
      ),
    },
  );

  const route = fc.constantFrom(...ROUTES);
  const segmentKinds = (r: RouteSpec) => r.path.split('/').filter((s) => s.startsWith(':')).map((s) => s.slice(1) as Kind);

  const callFor = (r: RouteSpec, hostileWeight: number): fc.Arbitrary<ApiCall> =>
    fc.record({
      route: fc.constant(r),
      segments: segmentKinds(r).length ? fc.tuple(...segmentKinds(r).map((k) => segment(k, hostileWeight))) : fc.constant([] as string[]),
      query: queryFor(r, hostileWeight),
      body:
        r.method === 'GET' || r.method === 'DELETE'
          ? hostileWeight
            ? fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileBody(r) })
            : fc.constant(undefined)
          : hostileWeight
            ? hostileBody(r)
            : r.body
              ? objectBody(r.body, 0).map((json) => ({ json }))
              : fc.constant(undefined),
      contentType: hostileWeight ? contentType : fc.constant('application/json'),
    });

  const wellFormed = route.chain((r) => callFor(r, 0));
  const hostile = fc.tuple(route, fc.integer({ min: 1, max: 9 })).chain(([r, w]) => callFor(r, w));

  const signing: fc.Arbitrary<Signing> = fc.oneof(
    { weight: 12, arbitrary: fc.constant<Signing>({ kind: 'client' }) },
    { weight: 6, arbitrary: fc.constant<Signing>({ kind: 'raw' }) },
    { weight: 1, arbitrary: fc.constant<Signing>({ kind: 'none' }) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom<Signing>({ kind: 'forged', how: 'bad-mac' }, { kind: 'forged', how: 'wrong-key' }, { kind: 'forged', how: 'stale' }, { kind: 'forged', how: 'future' }, { kind: 'forged', how: 'missing-nonce' }, { kind: 'forged', how: 'basic' }),
        fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((s): Signing => ({ kind: 'forged', how: 'unknown-user', text: s.replace(/["\\]/g, '') || 'x' })),
        fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((s): Signing => ({ kind: 'forged', how: 'garbage', text: s })),
      ),
    },
  );

  const toRequest = (call: ApiCall, sign: Signing, mutations: Mutation[]): FuzzRequest => {
    const base: FuzzRequest = {
      family: routeName(call.route),
      method: call.route.method,
      target: callTarget(call),
      headers: call.contentType === null ? {} : { 'content-type': call.contentType },
      body: callBody(call),
      sign,
    };
    return withShortForm(applyMutations(base, mutations));
  };

  const request = fc.oneof(
    // Random: hostile values from the start.
    { weight: 5, arbitrary: fc.tuple(hostile, signing).map(([c, s]) => toRequest(c, s, [])) },
    // Mutated: a well-formed call, then one to three edits of its bytes.
    { weight: 4, arbitrary: fc.tuple(wellFormed, signing, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([c, s, m]) => toRequest(c, s, m)) },
    // Well-formed: keeps the state moving (creates, deletes, key changes).
    { weight: 3, arbitrary: fc.tuple(wellFormed, fc.constant<Signing>({ kind: 'client' })).map(([c, s]) => toRequest(c, s, [])) },
  );

  return { wellFormed, hostile, request };
}
