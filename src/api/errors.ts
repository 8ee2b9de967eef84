// Errors of the v1 client, worded as the original Go client printed them:
// the CLI logs `err.message` behind a timestamp, and scripts match on it.
import type { GoogleErrorBody, GoogleErrorItem } from './types.js';

/** A non-2xx reply, formatted like google-api-go-client's googleapi.Error. */
export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
    readonly apiMessage = '',
    readonly errors: GoogleErrorItem[] = [],
  ) {
    super(formatGoogleError(code, body, apiMessage, errors));
    this.name = 'GoogleApiError';
  }

  /** Builds the error the way googleapi.CheckResponse reads a reply body. */
  static fromReply(status: number, body: string): GoogleApiError {
    try {
      const parsed = JSON.parse(body) as GoogleErrorBody;
      const e = parsed && typeof parsed === 'object' ? parsed.error : undefined;
      if (e && typeof e === 'object') {
        return new GoogleApiError(e.code || status, body, e.message ?? '', Array.isArray(e.errors) ? e.errors : []);
      }
    } catch {
      // not JSON: fall through to the plain form
    }
    return new GoogleApiError(status, body);
  }
}

function formatGoogleError(code: number, body: string, message: string, errors: GoogleErrorItem[]): string {
  if (errors.length === 0 && message === '') {
    return `googleapi: got HTTP response code ${code} with body: ${body}`;
  }
  let out = `googleapi: Error ${code}: ${message}`;
  if (errors.length === 0) return out.trim();
  if (errors.length === 1 && errors[0]!.message === message) {
    return `${out}, ${errors[0]!.reason ?? ''}`;
  }
  out += '\nMore details:\n';
  for (const e of errors) out += `Reason: ${e.reason ?? ''}, Message: ${e.message ?? ''}\n`;
  return out;
}

/** A reply outside the v1 API (`/admin/v1/init`, `/db/backup`) with a status that is not success: its body is the message. */
export class HttpReplyError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(body);
    this.name = 'HttpReplyError';
  }
}

/** The server could not be reached or the exchange broke off. */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** A reply body that is not the JSON the client expected. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

/**
 * Parses a reply body as JSON; on bad input, throws a DecodeError worded like
 * Go's encoding/json decoder ("invalid character 'h' in literal true (expecting 'r')").
 */
export function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const scan = scanJson(text);
    // Go's Decoder reads one value and leaves whatever follows it unread
    if (scan.error === undefined) return JSON.parse(text.slice(0, scan.end));
    throw new DecodeError(scan.error);
  }
}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

/** The syntax error Go's json scanner reports for `text` as a whole document. */
export function goJsonSyntaxError(text: string): string {
  const scan = scanJson(text);
  if (scan.error !== undefined) return scan.error;
  const rest = text.slice(scan.end).trimStart();
  return rest ? `invalid character ${quoteChar(rest[0]!)} after top-level value` : 'unexpected end of JSON input';
}

/** Scans the first JSON value: where it ends, or the first syntax error as Go words it. */
function scanJson(text: string): { end: number; error?: string } {
  let i = 0;
  const n = text.length;
  class Stop extends Error {}
  const fail = (msg: string): never => {
    throw new Stop(msg);
  };
  const ws = () => {
    while (i < n && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const need = (ctx: string) => {
    if (i >= n) fail('unexpected EOF');
    return ctx;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) {
      if (i >= n) fail('unexpected EOF');
      if (text[i] !== word[k]) fail(`invalid character ${quoteChar(text[i]!)} in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
  };
  const str = () => {
    i++;
    for (;;) {
      if (i >= n) fail('unexpected EOF');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (i >= n) fail('unexpected EOF');
        const e = text[i]!;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) fail('unexpected EOF');
            if (!/[0-9a-fA-F]/.test(text[i]!)) fail(`invalid character ${quoteChar(text[i]!)} in \\u hexadecimal character escape`);
          }
        } else if (!'"\\/bfnrt'.includes(e)) {
          fail(`invalid character ${quoteChar(e)} in string escape code`);
        }
        i++;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail(`invalid character ${quoteChar(c)} in string literal`);
      i++;
    }
  };
  const num = () => {
    if (text[i] === '-') {
      i++;
      need('');
      if (!/[0-9]/.test(text[i]!)) fail(`invalid character ${quoteChar(text[i]!)} in numeric literal`);
    }
    if (text[i] === '0') i++;
    else while (i < n && /[0-9]/.test(text[i]!)) i++;
    if (text[i] === '.') {
      i++;
      need('');
      if (!/[0-9]/.test(text[i]!)) fail(`invalid character ${quoteChar(text[i]!)} after decimal point in numeric literal`);
      while (i < n && /[0-9]/.test(text[i]!)) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      need('');
      if (!/[0-9]/.test(text[i]!)) fail(`invalid character ${quoteChar(text[i]!)} in exponent of numeric literal`);
      while (i < n && /[0-9]/.test(text[i]!)) i++;
    }
  };
  const value = (): void => {
    ws();
    if (i >= n) fail('unexpected EOF');
    const c = text[i]!;
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (i >= n) fail('unexpected EOF');
        if (text[i] !== '"') fail(`invalid character ${quoteChar(text[i]!)} looking for beginning of object key string`);
        str();
        ws();
        if (i >= n) fail('unexpected EOF');
        if (text[i] !== ':') fail(`invalid character ${quoteChar(text[i]!)} after object key`);
        i++;
        value();
        ws();
        if (i >= n) fail('unexpected EOF');
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`invalid character ${quoteChar(text[i]!)} after object key:value pair`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (i >= n) fail('unexpected EOF');
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`invalid character ${quoteChar(text[i]!)} after array element`);
      }
    }
    if (c === '"') return str();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || /[0-9]/.test(c)) return num();
    fail(`invalid character ${quoteChar(c)} looking for beginning of value`);
  };
  try {
    ws();
    if (i >= n) return { end: i, error: 'EOF' };
    value();
    return { end: i };
  } catch (e) {
    if (e instanceof Stop) return { end: i, error: e.message };
    throw e;
  }
}
