// One fuzzed HTTP request, as generated (before signing), and how it is shown
// in a failure report: long values cut, so a counterexample stays readable.
import fc from 'fast-check';

/** How the request is authenticated. */
export type Signing =
  /** Hawk as the CoreUpdate client signs it: hawkHeader over the URL the target parses to. */
  | { kind: 'client' }
  /** Hawk over the request target exactly as sent. */
  | { kind: 'raw' }
  /** No Authorization header. */
  | { kind: 'none' }
  /** A header that must not authenticate anyone. */
  | { kind: 'forged'; how: 'bad-mac' | 'wrong-key' | 'stale' | 'future' | 'missing-nonce' | 'basic' | 'unknown-user' | 'garbage'; text?: string };

export interface FuzzRequest {
  /** The route (or endpoint) the request was generated from: failures are grouped by it. */
  family: string;
  method: string;
  /** Path and query, sent byte for byte (Latin-1 on the wire). */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  sign: Signing;
}

export function cut(text: string, max = 160): string {
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return text.length > max ? `${shown}…(${text.length} chars)` : shown;
}

export function describeRequest(r: FuzzRequest): string {
  const body =
    r.body === undefined ? '' : typeof r.body === 'string' ? ` body=${cut(r.body)}` : ` body=<${r.body.length} bytes ${Buffer.from(r.body.slice(0, 48)).toString('hex')}>`;
  const sign = r.sign.kind === 'forged' ? `forged:${r.sign.how}${r.sign.text !== undefined ? `(${cut(r.sign.text, 40)})` : ''}` : r.sign.kind;
  const headers = Object.keys(r.headers).length ? ` headers=${cut(JSON.stringify(r.headers), 200)}` : '';
  return `${r.method} ${cut(r.target, 240)} [${r.family}; ${sign}]${headers}${body}`;
}

/** Gives a request fast-check's short form in counterexamples. */
export function withShortForm(r: FuzzRequest): FuzzRequest {
  Object.defineProperty(r, fc.toStringMethod, { value: () => describeRequest(r), enumerable: false });
  return r;
}
