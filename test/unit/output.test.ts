import { describe, expect, it } from 'vitest';
import { GoogleApiError, goJsonSyntaxError } from '../../src/api/errors.js';
import { goFixed, goFloat, goJsonIndent, logLine } from '../../src/cli/output.js';

describe('Go number formatting', () => {
  it.each([
    [50, '50'],
    [12.5, '12.5'],
    [100 / 3, '33.333333333333336'],
    [0, '0'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-1, '-1'],
  ])('%v of %s', (x, text) => expect(goFloat(x)).toBe(text));

  it('%f', () => expect([goFixed(50), goFixed(12.5), goFixed(0.06944444444444445)]).toEqual(['50.000000', '12.500000', '0.069444']));
});

describe('Go JSON and log output', () => {
  it('indents with one space and escapes HTML characters', () => {
    expect(goJsonIndent({ url: 'http://x/?a=1&b=<2>' })).toBe('{\n "url": "http://x/?a=1\\u0026b=\\u003c2\\u003e"\n}');
  });

  it('stamps log lines in local time', () => {
    expect(logLine('boom', new Date(2026, 10, 22, 2, 0, 9))).toBe('2026/11/22 02:00:09 boom\n');
  });
});

describe('API error wording', () => {
  it('adds the reason when one error repeats the message', () => {
    const body = JSON.stringify({ error: { code: 404, message: 'app not found', errors: [{ reason: 'notFound', message: 'app not found' }] } });
    expect(GoogleApiError.fromReply(404, body).message).toBe('googleapi: Error 404: app not found, notFound');
  });

  it('lists several errors under More details', () => {
    const body = JSON.stringify({ error: { code: 400, message: 'bad', errors: [{ reason: 'invalid', message: 'a' }, { reason: 'required', message: 'b' }] } });
    expect(GoogleApiError.fromReply(400, body).message).toBe(
      'googleapi: Error 400: bad\nMore details:\nReason: invalid, Message: a\nReason: required, Message: b\n',
    );
  });

  it('shows a body that is not a Google error as is', () => {
    expect(GoogleApiError.fromReply(502, '').message).toBe('googleapi: got HTTP response code 502 with body: ');
    expect(GoogleApiError.fromReply(409, '{"error":{"code":409,"message":"group already exists"}}').message).toBe(
      'googleapi: Error 409: group already exists',
    );
  });

  it.each([
    ['this is not json', "invalid character 'h' in literal true (expecting 'r')"],
    ['', 'EOF'],
    ['{"a":', 'unexpected EOF'],
    ['<html>', "invalid character '<' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
  ])('words a bad JSON reply %j like Go', (text, message) => expect(goJsonSyntaxError(text)).toBe(message));
});

describe('reply decoding', () => {
  it('reads the first JSON value and ignores what follows, as Go does', async () => {
    const { decodeJson } = await import('../../src/api/errors.js');
    expect(decodeJson('{"a":1} trailing')).toEqual({ a: 1 });
    expect(() => decodeJson('nope')).toThrow("invalid character 'o' in literal null (expecting 'u')");
  });
});
