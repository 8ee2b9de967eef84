// Byte-level edits of a well-formed request: what a buggy client, a proxy or
// an attacker would do to one. Positions are fractions, so that a mutation
// applies to any request and shrinks towards its start.
import fc from 'fast-check';
import { hostileString } from './strings.js';
import { rawUrlPiece } from './strings.js';
import type { FuzzRequest } from './request.js';

export type Mutation =
  | { op: 'target-insert'; at: number; text: string }
  | { op: 'target-delete'; at: number; length: number }
  | { op: 'target-prefix'; prefix: string }
  | { op: 'target-path'; how: 'double-slash' | 'trailing-slash' | 'dot' | 'dot-dot' | 'upper-case' | 'encode-slash' | 'no-query' }
  | { op: 'method'; method: string }
  | { op: 'body-truncate'; at: number }
  | { op: 'body-insert'; at: number; text: string }
  | { op: 'body-byte'; at: number; byte: number }
  | { op: 'body-encoding'; encoding: 'utf16le' | 'latin1' | 'bom' }
  | { op: 'header'; name: string; value: string | null };

const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('target-insert' as const), at: position, text: rawUrlPiece }),
  fc.record({ op: fc.constant('target-delete' as const), at: position, length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    op: fc.constant('target-prefix' as const),
    prefix: fc.constantFrom('/_ah/api/update/v2/', '/_ah/api/update/v1', '/_ah/api/update/v1//', '/_ah/api/', '/_ah/api/update/v1/../v1/', '/_AH/api/update/v1/', '//_ah/api/update/v1/', '/_ah/api/update/v1/%2e/'),
  }),
  fc.record({ op: fc.constant('target-path' as const), how: fc.constantFrom('double-slash', 'trailing-slash', 'dot', 'dot-dot', 'upper-case', 'encode-slash', 'no-query') }),
  fc.record({ op: fc.constant('method' as const), method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'get') }),
  fc.record({ op: fc.constant('body-truncate' as const), at: position }),
  fc.record({ op: fc.constant('body-insert' as const), at: position, text: fc.oneof(hostileString, fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '\\u', '\\ud800', 'null', '1e400')) }),
  fc.record({ op: fc.constant('body-byte' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('body-encoding' as const), encoding: fc.constantFrom('utf16le', 'latin1', 'bom') }),
  fc.record({
    op: fc.constant('header' as const),
    name: fc.constantFrom('content-type', 'content-encoding', 'accept', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-http-method-override', 'range', 'cookie'),
    value: fc.oneof(
      fc.constantFrom(null, 'gzip', 'br, deflate', 'application/json', 'text/xml', 'multipart/form-data; boundary=', '127.0.0.1, 10.0.0.1', 'https', 'DELETE', 'evil.example', 'bytes=0-0', 'a=b'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    ),
  }),
  // Host from a list: undici itself fails on some values (an unclosed `[`).
  fc.record({ op: fc.constant('header' as const), name: fc.constant('host'), value: fc.constantFrom('evil.example', 'localhost', '127.0.0.1:1', '[::1]:80', 'a..b') }),
);

const at = (fraction: number, length: number) => Math.floor(fraction * (length + 1));

function bodyBytes(body: FuzzRequest['body']): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

function mutate(r: FuzzRequest, m: Mutation): FuzzRequest {
  const next = { ...r, headers: { ...r.headers } };
  const apiBase = '/_ah/api/update/v1/';
  switch (m.op) {
    case 'target-insert': {
      // Never before the leading slash: the request line needs it.
      const i = 1 + at(m.at, r.target.length - 1);
      next.target = r.target.slice(0, i) + m.text + r.target.slice(i);
      break;
    }
    case 'target-delete': {
      const i = 1 + at(m.at, r.target.length - 1);
      next.target = r.target.slice(0, i) + r.target.slice(i + m.length);
      break;
    }
    case 'target-prefix':
      next.target = r.target.startsWith(apiBase) ? m.prefix + r.target.slice(apiBase.length) : r.target;
      break;
    case 'target-path': {
      const q = r.target.indexOf('?');
      const path = q < 0 ? r.target : r.target.slice(0, q);
      const query = q < 0 ? '' : r.target.slice(q);
      const edits: Record<typeof m.how, () => string> = {
        'double-slash': () => path.replace(/\/(?=[^/]*$)/, '//') + query,
        'trailing-slash': () => `${path}/${query}`,
        dot: () => `${path}/.${query}`,
        'dot-dot': () => `${path}/..${query}`,
        // ASCII only: upper-casing `ÿ` gives `Ÿ`, which no request line can carry.
        'upper-case': () => path.replace(/[a-z]+/g, (w) => w.toUpperCase()) + query,
        'encode-slash': () => path.replace(/\/(?=[^/]*$)/, '%2F') + query,
        'no-query': () => path,
      };
      next.target = edits[m.how]();
      break;
    }
    case 'method':
      next.method = m.method;
      break;
    case 'body-truncate': {
      const bytes = bodyBytes(r.body);
      next.body = bytes.subarray(0, at(m.at, bytes.length));
      break;
    }
    case 'body-insert': {
      const bytes = bodyBytes(r.body);
      const i = at(m.at, bytes.length);
      next.body = Buffer.concat([bytes.subarray(0, i), Buffer.from(m.text, 'utf8'), bytes.subarray(i)]);
      break;
    }
    case 'body-byte': {
      const bytes = Buffer.from(bodyBytes(r.body));
      if (bytes.length > 0) bytes[Math.min(bytes.length - 1, at(m.at, bytes.length))] = m.byte;
      next.body = bytes;
      break;
    }
    case 'body-encoding': {
      const text = bodyBytes(r.body).toString('utf8');
      next.body = m.encoding === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) : Buffer.from(text, m.encoding);
      break;
    }
    case 'header':
      if (m.value === null) delete next.headers[m.name];
      else next.headers[m.name] = m.value;
      break;
  }
  return next;
}

export function applyMutations(r: FuzzRequest, mutations: Mutation[]): FuzzRequest {
  return mutations.reduce(mutate, r);
}
