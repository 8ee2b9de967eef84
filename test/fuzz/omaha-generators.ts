// Omaha bodies for POST /v1/update/: the shapes update_engine, `instance fake`
// and `watch` send, filled with good or hostile values (escaped or raw), many
// apps and events around the parser's limits, and byte-level mutations of all
// of them.
import fc from 'fast-check';
import { DEFAULT_OMAHA_LIMITS, buildRequest, escapeAttribute, type OmahaRequest, type RequestApp } from '../../src/omaha/index.js';
import { recordedRequests } from '../omaha/fixtures.js';
import { requests as shapes, type Shape } from '../server/fixtures/omaha-requests.js';
import { APP_ID } from '../server/helpers.js';
import { withShortForm, type FuzzRequest } from './request.js';
import { hostileString } from './strings.js';

const GOOD = {
  appId: [APP_ID, APP_ID.toUpperCase(), `{${APP_ID}}`, '00000000-0000-0000-0000-000000000000', 'fuzz-app'],
  version: ['1.0.0', '1.1.0', '0.0.0', '1.2.0', '2.0.0.1', '1.0'],
  track: ['fake1', 'stable', 'beta', 'alpha', 'fuzz-group', ''],
  machineId: ['deadbeefac951f5e8540c87dbd988de8', 'fake-0056ec-edc836168b5248e0bc9b4df978bd3ed9', 'b41a6546-6101-4e59-9cb0-1c639acc4582'],
  installSource: ['scheduler', 'ondemandupdate'],
};

/** Event codes update_engine sends, and some it never does. */
const eventCode = fc.oneof(
  fc.constantFrom('3', '13', '14', '800', '1', '0', '2'),
  fc.integer({ min: -5, max: 1000 }).map(String),
  fc.constantFrom('', '-0', '+3', '3.0', '0x3', '99999999999999999999', ' 3', '3 '),
  hostileString,
);

const value = (good: readonly string[]) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: hostileString });

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  appId: value(GOOD.appId),
  version: value(GOOD.version),
  track: value(GOOD.track),
  machineId: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...GOOD.machineId) }, { weight: 4, arbitrary: fc.stringMatching(/^[0-9a-f]{32}$/) }, { weight: 2, arbitrary: hostileString }),
  installSource: fc.option(value(GOOD.installSource), { nil: undefined }),
});

/** A recorded client body with its values substituted, escaped as XML wants or inserted raw. */
const recordedShape: fc.Arbitrary<string> = fc
  .tuple(shapeArb, fc.boolean(), fc.constantFrom(...(Object.keys(shapes) as (keyof typeof shapes)[])), eventCode, eventCode, fc.option(eventCode))
  .map(([shape, escape, kind, type, result, errorCode]) => {
    const s: Shape = escape
      ? { appId: escapeAttribute(shape.appId), version: escapeAttribute(shape.version), track: escapeAttribute(shape.track), machineId: escapeAttribute(shape.machineId), installSource: shape.installSource && escapeAttribute(shape.installSource) }
      : shape;
    const fn = shapes[kind] as (s: Shape, type: number, result: number, errorCode?: number) => string;
    // The event builders write their numbers as given: hostile codes go in as text.
    return fn(s, type as unknown as number, result as unknown as number, (errorCode ?? undefined) as unknown as number | undefined);
  });

/** Requests built by the project's own builder: many apps and events, around the parser's limits. */
const builtRequest: fc.Arbitrary<string> = fc
  .record({
    apps: fc.array(
      fc.record({
        shape: shapeArb,
        ping: fc.boolean(),
        check: fc.boolean(),
        events: fc.array(fc.record({ type: eventCode, result: eventCode, errorCode: fc.option(eventCode, { nil: undefined }) }), { maxLength: 4 }),
        oem: fc.option(value(['fakeclient', 'qemu', 'ec2']), { nil: undefined }),
      }),
      { minLength: 0, maxLength: 4 },
    ),
    // Now and then the first app repeated up to the limit on apps, or its events up to the limit on events.
    appCount: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(DEFAULT_OMAHA_LIMITS.maxApps, DEFAULT_OMAHA_LIMITS.maxApps + 1) }),
    manyEvents: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(DEFAULT_OMAHA_LIMITS.maxEvents, DEFAULT_OMAHA_LIMITS.maxEvents + 1) }),
  })
  .map(({ apps, appCount, manyEvents }) => {
    const built: RequestApp[] = apps.map((a) => ({
      appId: a.shape.appId,
      version: a.shape.version,
      track: a.shape.track,
      machineId: a.shape.machineId,
      oem: a.oem,
      ...(a.ping ? { ping: { r: '1', status: '1' } } : {}),
      ...(a.check ? { updateCheck: {} } : {}),
      events: a.events.map((e) => ({ eventType: e.type, eventResult: e.result, errorCode: e.errorCode }) as unknown as RequestApp['events'][number]),
    }));
    const all = appCount && built[0] ? Array.from({ length: appCount }, () => built[0]!) : built;
    if (manyEvents && all[0]) all[0] = { ...all[0], events: Array.from({ length: manyEvents }, () => ({ eventType: 3, eventResult: 2 }) as unknown as RequestApp['events'][number]) };
    const request: OmahaRequest = { protocol: '3.0', installSource: 'scheduler', os: { platform: 'CoreOS', version: 'lsb' }, apps: all };
    return buildRequest(request);
  });

/** Pieces of XML (and not quite XML) to splice into a body. */
const xmlSnippet = fc.oneof(
  fc.constantFrom(
    '<!DOCTYPE request [<!ENTITY x "y">]>',
    '<!ENTITY lol "lol">',
    '&xxe;',
    '&#0;',
    '&#xD800;',
    '&#x110000;',
    '&amp',
    '<![CDATA[<app appid="x">]]>',
    '<!-- <app appid="x"> -->',
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<?xml-stylesheet href="x"?>',
    '<app appid="',
    '</app>',
    '</request>',
    '<request protocol="3.0">',
    '<updatecheck/>',
    '<event eventtype="3" eventresult="2"/>',
    ' appid="dup"',
    ' xmlns:x="urn:x" x:appid="a"',
    '"',
    '<',
    '>',
    '\u0000',
    '\ufeff',
    '\ud800',
  ),
  fc.integer({ min: 10, max: 20_000 }).map((n) => '<a>'.repeat(n)),
  fc.constantFrom(1023, 1024, 1025).map((n) => `<app appid="${'x'.repeat(n)}">`),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

type TextMutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'byte'; at: number; byte: number };

const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: position, text: xmlSnippet }),
  fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('byte' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
);

function mutateBytes(body: Buffer, m: TextMutation): Buffer {
  const i = Math.floor(m.at * (body.length + 1));
  switch (m.op) {
    case 'insert':
      return Buffer.concat([body.subarray(0, i), Buffer.from(m.text, 'utf8'), body.subarray(i)]);
    case 'delete':
      return Buffer.concat([body.subarray(0, i), body.subarray(i + m.length)]);
    case 'truncate':
      return body.subarray(0, i);
    case 'duplicate':
      return Buffer.concat([body.subarray(0, i + m.length), body.subarray(i)]);
    case 'byte': {
      const out = Buffer.from(body);
      if (out.length > 0) out[Math.min(i, out.length - 1)] = m.byte;
      return out;
    }
  }
}

/** A body: recorded, built or random, then zero to three byte-level mutations, then perhaps re-encoded. */
export const omahaBody: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: recordedShape },
      { weight: 3, arbitrary: builtRequest },
      { weight: 2, arbitrary: fc.constantFrom(...Object.values(recordedRequests)) },
      { weight: 1, arbitrary: fc.constantFrom('', '{}', '<request/>', '<request protocol="3.0"/>', '<response protocol="3.0"></response>', '<?xml version="1.0"?>') },
      { weight: 1, arbitrary: fc.constantFrom(1023, 1024, 1025, 20_000).map((n) => `<request protocol="3.0"><app appid="${APP_ID}" version="${'1'.repeat(n)}"></app></request>`) },
      { weight: 1, arbitrary: fc.integer({ min: DEFAULT_OMAHA_LIMITS.maxBodyBytes - 64, max: DEFAULT_OMAHA_LIMITS.maxBodyBytes + 64 }).map((n) => `<request protocol="3.0">${' '.repeat(n)}</request>`) },
    ),
    fc.oneof(fc.constant([]), fc.array(textMutation, { minLength: 1, maxLength: 3 })),
    fc.constantFrom('utf8', 'utf8', 'utf8', 'utf8', 'utf8', 'utf8', 'utf16le', 'latin1', 'bom'),
  )
  .map(([text, mutations, encoding]) => {
    const encoded =
      encoding === 'utf16le'
        ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
        : encoding === 'latin1'
          ? Buffer.from(text, 'latin1')
          : encoding === 'bom'
            ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
            : Buffer.from(text, 'utf8');
    return mutations.reduce(mutateBytes, encoded);
  });

/** A request to the Omaha endpoint: mostly as clients send it, sometimes by another path, method or content type. */
export const omahaRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    body: omahaBody,
    target: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('/v1/update/', '/v1/update') },
      { weight: 1, arbitrary: fc.constantFrom('/v1/update/?x=1', '/v1/update//', '/v1/update/%ZZ', '/v1/update/..', '/v1/UPDATE/', '/v1/update?', '/v1/updatex', '/v1/update/\u00e9') },
    ),
    method: fc.oneof({ weight: 20, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'HEAD', 'OPTIONS') }),
    contentType: fc.oneof(
      { weight: 10, arbitrary: fc.constant<string | null>('text/xml') },
      { weight: 2, arbitrary: fc.constantFrom<string | null>(null, 'application/xml', 'application/json', 'text/xml; charset=utf-16', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '') },
    ),
  })
  .map(({ body, target, method, contentType }) =>
    withShortForm({ family: 'omaha', method, target, headers: contentType === null ? {} : { 'content-type': contentType }, body, sign: { kind: 'none' } }),
  );
