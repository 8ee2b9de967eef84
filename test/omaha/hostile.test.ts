import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OMAHA_LIMITS,
  OmahaParseError,
  parseRequest,
  parseResponse,
  type OmahaParseErrorReason,
} from '../../src/omaha/index.js';
import { recordedRequests } from './fixtures.js';

function rejection(parse: () => unknown): OmahaParseError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(OmahaParseError);
    return error as OmahaParseError;
  }
  throw new Error('expected an OmahaParseError, but parsing succeeded');
}

function expectRejected(body: string | Uint8Array, reason: OmahaParseErrorReason, limits?: Parameters<typeof parseRequest>[1]) {
  const error = rejection(() => parseRequest(body, limits));
  expect(error.reason).toBe(reason);
  expect(error.name).toBe('OmahaParseError');
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

const app = (events = '') => `<app appid="a">${events}</app>`;
const request = (inner: string) => `<request protocol="3.0">${inner}</request>`;

describe('DTDs and entities are refused before parsing', () => {
  it('DOCTYPE', () => {
    expectRejected(`<!DOCTYPE request>\n${recordedRequests.watchCheck}`, 'dtd');
    expectRejected(`<!doctype request SYSTEM "file:///etc/passwd">${recordedRequests.watchCheck}`, 'dtd');
  });

  it('billion laughs', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<request protocol="3.0"><app appid="&lol4;"></app></request>`;
    expectRejected(laughs, 'dtd');
  });

  it('an ENTITY declaration in any case, even without DOCTYPE', () => {
    expectRejected(`<!EnTiTy x "y">${recordedRequests.watchCheck}`, 'dtd');
  });

  it('undeclared entity references are malformed, not expanded', () => {
    expectRejected(request('<app appid="&xxe;"></app>'), 'malformed');
    expectRejected(request('<app appid="a & b"></app>'), 'malformed');
    expectRejected(request('<app appid="&#0;"></app>'), 'malformed');
  });

  it('comments and CDATA are allowed, but never hide a declaration', () => {
    expect(parseRequest('<!-- hi --><request protocol="3.0"><![CDATA[x]]></request>').protocol).toBe('3.0');
    expectRejected('<request protocol="3.0"><![CDATA[<!DOCTYPE x>]]></request>', 'dtd');
    expectRejected('<request protocol="3.0"><!-- <!ENTITY x "y"> --></request>', 'dtd');
  });
});

describe('size and count limits', () => {
  it('body over the default 64 KiB cap', () => {
    const padding = `<!--${'x'.repeat(DEFAULT_OMAHA_LIMITS.maxBodyBytes)}-->`;
    expectRejected(request(padding), 'too-large');
    expectRejected(Buffer.from(request(padding)), 'too-large');
  });

  it('counts UTF-8 bytes, not characters', () => {
    const body = request(`<!--${'é'.repeat(600)}-->`); // ~1.2 KB in UTF-8, ~0.6 K characters
    expectRejected(body, 'too-large', { maxBodyBytes: 1000 });
    expect(parseRequest(body, { maxBodyBytes: 2000 }).apps).toEqual([]);
  });

  it('too many apps', () => {
    expectRejected(request(app().repeat(DEFAULT_OMAHA_LIMITS.maxApps + 1)), 'too-many-apps');
    expect(parseRequest(request(app().repeat(DEFAULT_OMAHA_LIMITS.maxApps))).apps).toHaveLength(64);
    expectRejected(request(app().repeat(3)), 'too-many-apps', { maxApps: 2 });
  });

  it('too many events, counted over all apps', () => {
    const event = '<event eventtype="3" eventresult="2"></event>';
    expectRejected(request(app(event.repeat(200)) + app(event.repeat(57))), 'too-many-events');
    expect(parseRequest(request(app(event.repeat(200)) + app(event.repeat(56)))).apps[1]?.events).toHaveLength(56);
  });

  it('overlong attribute value', () => {
    const long = 'a'.repeat(DEFAULT_OMAHA_LIMITS.maxAttributeLength + 1);
    expectRejected(request(`<app appid="${long}"></app>`), 'attribute-too-long');
    expectRejected(request(`<app appid="a" unknown="${long}"></app>`), 'attribute-too-long');
    expectRejected(`<request protocol="${long}"></request>`, 'attribute-too-long');
    const fits = 'a'.repeat(DEFAULT_OMAHA_LIMITS.maxAttributeLength);
    expect(parseRequest(request(`<app appid="${fits}"></app>`)).apps[0]?.appId).toBe(fits);
  });

  it('an undefined limit keeps its default', () => {
    expectRejected(request(app().repeat(65)), 'too-many-apps', { maxApps: undefined });
  });

  it('deep nesting', () => {
    expectRejected(request(`${'<x>'.repeat(5000)}${'</x>'.repeat(5000)}`), 'malformed');
  });
});

describe('not well-formed', () => {
  it.each([
    ['empty body', '', 'empty'],
    ['whitespace only', ' \n\t ', 'empty'],
    ['plain text', 'hello', 'malformed'],
    ['unclosed root', '<request protocol="3.0">', 'malformed'],
    ['mismatched tags', '<request protocol="3.0"><app appid="a"></event></request>', 'malformed'],
    ['unquoted attribute', '<request protocol=3.0></request>', 'malformed'],
    ['repeated attribute', '<request protocol="3.0" protocol="2.0"></request>', 'malformed'],
    ["raw '<' in a value", '<request protocol="<3"></request>', 'malformed'],
    ['two roots', '<request protocol="3.0"></request><request protocol="3.0"></request>', 'malformed'],
    ['truncated', recordedRequests.fakeCheck.slice(0, -5), 'malformed'],
    ['JSON', '{"request": {}}', 'malformed'],
  ] as const)('%s', (_, body, reason) => {
    expectRejected(body, reason);
  });

  it('characters XML forbids, raw', () => {
    expectRejected(request('<app appid="a\u0001b"></app>'), 'malformed');
    expectRejected(request('<app appid="a\u0000"></app>'), 'malformed');
    expectRejected(request('<app appid="\uD800"></app>'), 'malformed');
  });

  it('invalid UTF-8 in a byte body', () => {
    expectRejected(Buffer.from([0x3c, 0x72, 0xff, 0xfe, 0x3e]), 'encoding');
  });

  it('prototype-polluting names are refused or kept as plain data', () => {
    expectRejected(request('<__proto__><app appid="a"></app></__proto__>'), 'malformed');
    expectRejected(request('<constructor></constructor>'), 'malformed');
    const parsed = parseRequest(request('<app appid="a" __proto__="x" constructor="y"></app>'));
    expect(parsed.apps[0]?.extra?.['__proto__']).toBe('x');
    expect(parsed.apps[0]?.extra?.['constructor']).toBe('y');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});

describe('structurally invalid requests', () => {
  it.each([
    ['wrong root', '<response protocol="3.0"></response>'],
    ['namespaced root', '<o:request xmlns:o="urn:x" protocol="3.0"></o:request>'],
    ['no protocol', '<request></request>'],
    ['app without appid', request('<app version="1"></app>')],
    ['event without eventtype', request(app('<event eventresult="1"></event>'))],
    ['event without eventresult', request(app('<event eventtype="3"></event>'))],
    ['non-integer eventtype', request(app('<event eventtype="three" eventresult="1"></event>'))],
    ['non-integer errorcode', request(app('<event eventtype="3" eventresult="0" errorcode="1e3"></event>'))],
    ['huge errorcode', request(app('<event eventtype="3" eventresult="0" errorcode="99999999999999999999"></event>'))],
  ])('%s', (_, body) => {
    expectRejected(body, 'invalid');
  });

  it('parseResponse applies the same checks', () => {
    expect(rejection(() => parseResponse('<!DOCTYPE r><response></response>')).reason).toBe('dtd');
    expect(rejection(() => parseResponse('')).reason).toBe('empty');
    expect(rejection(() => parseResponse('<request protocol="3.0"></request>')).reason).toBe('invalid');
    expect(rejection(() => parseResponse('oops')).reason).toBe('malformed');
    expect(
      rejection(() => parseResponse('<response><app><updatecheck PollInterval="soon"></updatecheck></app></response>'))
        .reason,
    ).toBe('invalid');
  });
});
