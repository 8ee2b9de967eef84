// Hostile text and JSON for the fuzz suite: the values a careless or malicious
// client could put in a path, a query or a body.
import fc from 'fast-check';

/** Strings that have broken parsers, databases and templates before. */
export const NASTY_STRINGS = [
  '',
  ' ',
  ' padded ',
  '\u0000',
  'nul\u0000inside',
  '\t\r\n',
  'line\nbreak',
  '\u007f\u0085\u2028\u2029',
  '..',
  '.',
  '../../../etc/passwd',
  '..\\..\\windows',
  '/',
  '//',
  '%',
  '%2F',
  '%00',
  '%ZZ',
  '?',
  '#',
  '&',
  '=',
  '+',
  '"',
  "'",
  '\\',
  '`',
  "' OR '1'='1",
  '"; DROP TABLE apps; --',
  "1'); DELETE FROM users; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '${7*7}',
  '{{7*7}}',
  '%s%s%n',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  'true',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '-9223372036854775809',
  '0x1f',
  '\u202eevil',
  '\ufeffbom',
  '\ufffe\uffff',
  '\ud800',
  '\udfff',
  'x\ud800y',
  '\udc00\ud800',
  '\ud83d\ude80',
  '\u00e9\u0301',
  '\u4e2d\u6587',
  'e96281a6-d1af-4bde-9a0a-97b76e56dc57',
  '{E96281A6-D1AF-4BDE-9A0A-97B76E56DC57}',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>',
  'file:///etc/passwd',
  'http://127.0.0.1:1/',
  'https://user:pw@127.0.0.1/',
  'https://127.0.0.1/#frag',
  'coreos/example:1.0.0',
  '1.0.0',
  '1.0.0-rc.1+build.5',
  '01.002.0003.4',
  'admin',
  'Hawk id="admin"',
];

/** Lengths on either side of the server's documented limits. */
const BOUNDARY_LENGTHS = [63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 1001, 2047, 2048, 2049, 4095, 4096, 4097, 8192, 8193, 65536, 65537];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const specialChar = fc.constantFrom('"', '\\', '/', '%', '.', '<', '>', '&', "'", ' ', '{', '}', '?', '#', '\u00ff', '\ufffd');

/** One character likely to matter, or any code point. */
const spicyChar = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: specialChar },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: control },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** A long run of one character, around a limit or far beyond it. */
export const hugeString = fc
  .tuple(fc.constantFrom('a', '\u00e9', '\ud83d\ude80', '%', '<', '9', ' '), fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_LENGTHS) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 70_000 }) }))
  .map(([c, n]) => c.repeat(Math.max(1, Math.floor(n / c.length))));

/** Any string a hostile client might send. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: spicyChar, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: spicyChar, maxLength: 8 })).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: hugeString },
);

/** A JSON value of a type the field does not expect. */
export const wrongTypeJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, 101, 2 ** 31, 2 ** 53 + 2, '', 'true', '50', []),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.integer(), hostileString), { maxLength: 3 }),
  fc.dictionary(hostileString, fc.oneof(fc.integer(), hostileString, fc.constant(null)), { maxKeys: 3 }),
  fc.constantFrom({ __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }),
);

/** A small JSON document of any shape. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** JSON text nested `depth` levels deep, inside an object field or bare. */
export const deepJsonText = fc
  .tuple(fc.integer({ min: 50, max: 150_000 }), fc.constantFrom('[', '{"a":'), fc.boolean(), fc.constantFrom('label', 'rollout', 'body', 'userName'))
  .map(([depth, open, inField, field]) => {
    const close = open === '[' ? ']' : '}';
    const inner = open.repeat(depth) + '1' + close.repeat(depth);
    return inField ? `{"${field}":${inner}}` : inner;
  });

/** Text that is almost JSON, or not at all. */
export const brokenJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"id":',
    '{"id":"a"',
    '{"id":"a",}',
    "{'id':'a'}",
    '{"id":"\\ud800"}',
    '{"id":"\\u00"}',
    '{"id":"a"}{"id":"b"}',
    '{"id":1e99999}',
    '{"id":-}',
    '{"updatePercent":NaN}',
    '{"updatePercent":Infinity}',
    '{"id":"a","id":"b"}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '[]',
    '""',
    '"string"',
    'null',
    'true',
    '123',
    '\ufeff{}',
    '\u0000',
    '<xml/>',
    'id=a&label=b',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.json({ maxDepth: 2 }).chain((j) => fc.nat({ max: Math.max(0, j.length - 1) }).map((cut) => j.slice(0, cut))),
);

/** encodeURIComponent, except that lone surrogates (which it throws on) are written as their UTF-8-ish bytes. */
export function encodeSegment(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(ch);
  }
  return out;
}

/**
 * A path segment or query value sent without encoding: bad percent-escapes,
 * dot segments, overlong UTF-8, raw Latin-1 bytes. Only characters undici
 * lets through on a request line (0x21-0xff).
 */
export const rawUrlPiece: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom('%', '%Z', '%ZZ', '%0', '%00', '%2F', '%2f', '%5C', '%2e%2e', '%2E', '..', '.', '%C0%AF', '%E0%80%AF', '%ED%A0%80', '%FF', '%E0%A4%A', '%%', '%u0041', ';', ':', '@', '!', '$', "'", '(', '*', ',', '~', '[', ']', '|', '^', '\u00e9', '\u00ff', '\u0080'),
      fc.string({ unit: fc.constantFrom(...'abcXYZ019-_'), minLength: 1, maxLength: 4 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''));
