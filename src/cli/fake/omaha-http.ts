// One Omaha exchange as the original clients made it: POST the document as
// text/xml, read the reply whatever its HTTP status (the original never looked
// at it), and decode it. Failures carry the wording of Go's net/http and
// encoding/xml, since the original printed those errors as they were.
import type { ApiClient } from '../../api/client.js';
import { describeTransportError } from '../../api/client.js';
import { TransportError } from '../../api/errors.js';
import {
  buildRequest,
  OMAHA_PROTOCOL,
  OmahaParseError,
  parseResponse,
  type OmahaResponse,
  type RequestApp,
} from '../../omaha/index.js';

/**
 * A one-app request as the original clients wrote it: fixed `<os>` values,
 * `installsource` only from `instance fake`.
 */
export function clientRequest(app: RequestApp, installSource?: string): string {
  return buildRequest({
    protocol: OMAHA_PROTOCOL,
    installSource,
    os: { platform: 'CoreOS', version: 'lsb' },
    apps: [app],
  });
}

/** Go wrote no empty attribute (omitempty): '' becomes absent. */
export function omitEmpty(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/** POSTs an Omaha document (unsigned) and returns the reply body. */
export async function postOmaha(client: ApiClient, url: URL, xml: string): Promise<string> {
  const reply = await client.send('POST', url, {
    body: xml,
    headers: { 'content-type': 'text/xml' },
    sign: false,
  });
  try {
    return await reply.body.text();
  } catch (err) {
    throw new TransportError(describeTransportError('POST', url, err));
  }
}

// An element start: without one, Go's decoder reached the end of the input
// before finding any element and reported io.EOF.
const ELEMENT_START = /<[A-Za-z_:]/;

/** What Go's encoding/xml said about a reply our parser refused. */
export function goXmlError(body: string, err: unknown): string {
  if (!(err instanceof OmahaParseError)) return err instanceof Error ? err.message : String(err);
  if (err.reason === 'empty' || !ELEMENT_START.test(body)) return 'EOF';
  const root = /^root element is <([^>]*)>/.exec(err.message);
  if (root) return `expected element type <response> but have <${root[1]}>`;
  const line = /line (\d+)/.exec(err.message);
  return line ? `XML syntax error on line ${line[1]}: ${err.message}` : err.message;
}

/** Parses a reply; throws an Error worded like Go's xml decoder. */
export function decodeOmahaReply(body: string): OmahaResponse {
  try {
    return parseResponse(body);
  } catch (err) {
    throw new Error(goXmlError(body, err), { cause: err });
  }
}

// The panics of the original when a reply lacked what it indexed blindly.
export const NO_APP_ERROR = 'runtime error: index out of range [0] with length 0';
export const NIL_POINTER_ERROR = 'runtime error: invalid memory address or nil pointer dereference';
