import { describe, expect, it } from 'vitest';
import { escapeLikeGo, goRequestBody } from '../../src/api/go-json.js';

describe("request bodies in the Go client's encoding", () => {
  it('orders keys as the generated structs declared them, nested objects too, and ends with a newline', () => {
    const body = { url: 'u', label: 'l', rollout: [{ percent: 25, duration: '60' }], appId: 'a', updatesPaused: true, updatePercent: 5 };
    expect(goRequestBody(body)).toBe(
      '{"appId":"a","label":"l","rollout":[{"duration":"60","percent":25}],"updatePercent":5,"updatesPaused":true,"url":"u"}\n',
    );
  });

  it('leaves out undefined fields and keeps arrays in order', () => {
    expect(goRequestBody({ b: undefined, a: ['z', 'y'] })).toBe('{"a":["z","y"]}\n');
  });

  it("writes Go's escapes for HTML characters, line separators, backspace, form feed and lone surrogates", () => {
    expect(goRequestBody({ s: '<a href="x?y=1&z=2">\u2028\u2029\b\f\t\n\u0001\ud800' })).toBe(
      '{"s":"\\u003ca href=\\"x?y=1\\u0026z=2\\"\\u003e\\u2028\\u2029\\u0008\\u000c\\t\\n\\u0001\\ufffd"}\n',
    );
  });

  it('does not mistake an escaped backslash for the start of an escape', () => {
    // the text holds a backslash followed by "b", not a backspace
    expect(escapeLikeGo(JSON.stringify('\\b\\f\\ud800'))).toBe('"\\\\b\\\\f\\\\ud800"');
  });

  it('keeps valid non-ASCII text as it is', () => {
    expect(goRequestBody({ label: 'Grüße 😀' })).toBe('{"label":"Grüße 😀"}\n');
  });
});
