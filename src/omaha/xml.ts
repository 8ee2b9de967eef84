// Omaha 3.0 documents ⇄ the typed model.
//
// Parsers take untrusted bodies (see tree.ts for the safety checks). Builders
// write strings directly, in the layout of Go's xml.MarshalIndent(v, "", " "):
// one space of indentation per level, explicit close tags, no self-closing
// elements. That is byte for byte what the original updateservicectl sent.

import { escapeAttribute } from './escape.js';
import { OmahaParseError, type OmahaLimits } from './errors.js';
import * as S from './schema.js';
import { parseTree, resolveLimits, type XmlElement } from './tree.js';
import type {
  DayStart,
  ExtraAttributes,
  Manifest,
  OmahaAction,
  OmahaPackage,
  OmahaRequest,
  OmahaResponse,
  RequestApp,
  RequestEvent,
  RequestOs,
  RequestPing,
  RequestUpdateCheck,
  ResponseApp,
  ResponseUpdateCheck,
  StatusAck,
} from './types.js';

export const OMAHA_PROTOCOL = '3.0';
/** The `server` attribute of our replies. */
export const SERVER_NAME = 'updateservice';
/** Go's xml.Header: replies start with it, requests do not. */
export const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

// ===========================================================================
// Parsing
// ===========================================================================

type Bag = Record<string, unknown>;

const INTEGER = /^\s*[+-]?\d+\s*$/;
// The spellings Go's strconv.ParseBool accepts, which go-omaha relied on.
const TRUE_WORDS = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

function convertValue(el: XmlElement, spec: S.AttributeSpec, value: string): string | number | boolean {
  switch (spec.kind) {
    case 'string':
      return value;
    case 'int': {
      const n = INTEGER.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(n)) {
        throw new OmahaParseError('invalid', `${el.name}@${spec.wire} is not an integer: "${value}"`);
      }
      return n;
    }
    case 'bool': {
      const word = value.trim();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      throw new OmahaParseError('invalid', `${el.name}@${spec.wire} is not a boolean: "${value}"`);
    }
  }
}

/** Map an element's attributes onto a model object; unknown ones go to `extra`. */
function readAttributes<T>(el: XmlElement, schema: S.ElementSchema): T {
  const out: Bag = {};
  let extra: ExtraAttributes | undefined;
  for (const [name, value] of el.attributes) {
    const spec = schema.byWire.get(name);
    if (spec) {
      out[spec.prop] = convertValue(el, spec, value);
    } else {
      // Null prototype: a client-chosen name such as "__proto__" stays plain data.
      extra ??= Object.create(null) as ExtraAttributes;
      extra[name] = value;
    }
  }
  for (const spec of schema.attributes) {
    if (spec.missing === 'omit' || out[spec.prop] !== undefined) continue;
    if (spec.missing === 'reject') {
      throw new OmahaParseError('invalid', `<${el.name}> has no ${spec.wire} attribute`);
    }
    out[spec.prop] = '';
  }
  if (extra) out.extra = extra;
  return out as T;
}

function first(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((child) => child.name === name);
}

function all(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((child) => child.name === name);
}

function toRequestApp(el: XmlElement): RequestApp {
  const app = readAttributes<RequestApp>(el, S.REQUEST_APP);
  const ping = first(el, 'ping');
  if (ping) app.ping = readAttributes<RequestPing>(ping, S.REQUEST_PING);
  const updateCheck = first(el, 'updatecheck');
  if (updateCheck) app.updateCheck = readAttributes<RequestUpdateCheck>(updateCheck, S.REQUEST_UPDATECHECK);
  app.events = all(el, 'event').map((event) => readAttributes<RequestEvent>(event, S.REQUEST_EVENT));
  return app;
}

/**
 * Parse a client's update request. Throws OmahaParseError (answer 400) for
 * oversized, malformed or hostile bodies and for requests without `protocol`,
 * an `<app>` without `appid`, or an `<event>` without integer codes.
 */
export function parseRequest(body: string | Uint8Array, limits?: Partial<OmahaLimits>): OmahaRequest {
  const root = parseTree(body, 'request', resolveLimits(limits));
  const request = readAttributes<OmahaRequest>(root, S.REQUEST);
  const os = first(root, 'os');
  request.os = os ? readAttributes<RequestOs>(os, S.REQUEST_OS) : {};
  request.apps = all(root, 'app').map(toRequestApp);
  return request;
}

function toUpdateCheck(el: XmlElement): ResponseUpdateCheck {
  const check = readAttributes<ResponseUpdateCheck>(el, S.RESPONSE_UPDATECHECK);
  const urls = first(el, 'urls');
  if (urls) check.urls = all(urls, 'url').map((url) => url.attributes.find(([name]) => name === 'codebase')?.[1] ?? '');
  const manifestEl = first(el, 'manifest');
  if (manifestEl) {
    const manifest = readAttributes<Manifest>(manifestEl, S.MANIFEST);
    const packages = first(manifestEl, 'packages');
    manifest.packages = packages ? all(packages, 'package').map((p) => readAttributes<OmahaPackage>(p, S.PACKAGE)) : [];
    const actions = first(manifestEl, 'actions');
    manifest.actions = actions ? all(actions, 'action').map((a) => readAttributes<OmahaAction>(a, S.ACTION)) : [];
    check.manifest = manifest;
  }
  return check;
}

function toResponseApp(el: XmlElement): ResponseApp {
  const app = readAttributes<ResponseApp>(el, S.RESPONSE_APP);
  app.events = all(el, 'event').map((event) => readAttributes<StatusAck>(event, S.STATUS_ACK));
  const ping = first(el, 'ping');
  if (ping) app.ping = readAttributes<StatusAck>(ping, S.STATUS_ACK);
  const updateCheck = first(el, 'updatecheck');
  if (updateCheck) app.updateCheck = toUpdateCheck(updateCheck);
  return app;
}

/**
 * Parse a server's reply. Same safety checks as parseRequest; missing
 * attributes read as '' or undefined rather than failing.
 */
export function parseResponse(body: string | Uint8Array, limits?: Partial<OmahaLimits>): OmahaResponse {
  const root = parseTree(body, 'response', resolveLimits(limits));
  const response = readAttributes<OmahaResponse>(root, S.RESPONSE);
  const dayStart = first(root, 'daystart');
  if (dayStart) response.dayStart = readAttributes<DayStart>(dayStart, S.RESPONSE_DAYSTART);
  response.apps = all(root, 'app').map(toResponseApp);
  return response;
}

// ===========================================================================
// Building
// ===========================================================================

const ATTRIBUTE_NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*$/;

function writeAttributes(model: object, schema: S.ElementSchema): string {
  const bag = model as Bag;
  let out = '';
  for (const spec of schema.attributes) {
    const value = bag[spec.prop];
    if (value === undefined) continue;
    out += ` ${spec.wire}="${escapeAttribute(String(value))}"`;
  }
  const extra = bag.extra as ExtraAttributes | undefined;
  if (extra) {
    for (const name of Object.keys(extra)) {
      // Names are not escapable: refuse rather than emit broken XML.
      if (!ATTRIBUTE_NAME.test(name)) throw new TypeError(`invalid XML attribute name: ${JSON.stringify(name)}`);
      out += ` ${name}="${escapeAttribute(String(extra[name]))}"`;
    }
  }
  return out;
}

const PADDING = Array.from({ length: 8 }, (_, depth) => ' '.repeat(depth));

/** `<name attrs></name>`, or the children one level deeper on their own lines. */
function element(depth: number, name: string, attributes: string, children: readonly string[]): string {
  const pad = PADDING[depth]!;
  if (children.length === 0) return `${pad}<${name}${attributes}></${name}>`;
  return `${pad}<${name}${attributes}>\n${children.join('\n')}\n${pad}</${name}>`;
}

function requestApp(app: RequestApp): string {
  const children: string[] = [];
  if (app.ping) children.push(element(2, 'ping', writeAttributes(app.ping, S.REQUEST_PING), []));
  if (app.updateCheck) {
    children.push(element(2, 'updatecheck', writeAttributes(app.updateCheck, S.REQUEST_UPDATECHECK), []));
  }
  for (const event of app.events) children.push(element(2, 'event', writeAttributes(event, S.REQUEST_EVENT), []));
  return element(1, 'app', writeAttributes(app, S.REQUEST_APP), children);
}

/**
 * Serialise a request exactly as the original `instance fake` and `watch`
 * did: no XML declaration, no trailing newline. Attributes left undefined are
 * omitted; empty strings are written.
 */
export function buildRequest(request: OmahaRequest): string {
  const children = [element(1, 'os', writeAttributes(request.os, S.REQUEST_OS), [])];
  for (const app of request.apps) children.push(requestApp(app));
  return element(0, 'request', writeAttributes(request, S.REQUEST), children);
}

function updateCheckElement(check: ResponseUpdateCheck): string {
  const children: string[] = [];
  if (check.urls) {
    const urls = check.urls.map((codebase) => element(4, 'url', ` codebase="${escapeAttribute(codebase)}"`, []));
    children.push(element(3, 'urls', '', urls));
  }
  const manifest = check.manifest;
  if (manifest) {
    const packages = manifest.packages.map((p) => element(5, 'package', writeAttributes(p, S.PACKAGE), []));
    const actions = manifest.actions.map((a) => element(5, 'action', writeAttributes(a, S.ACTION), []));
    children.push(
      element(3, 'manifest', writeAttributes(manifest, S.MANIFEST), [
        element(4, 'packages', '', packages),
        element(4, 'actions', '', actions),
      ]),
    );
  }
  return element(2, 'updatecheck', writeAttributes(check, S.RESPONSE_UPDATECHECK), children);
}

function responseApp(app: ResponseApp): string {
  const children: string[] = [];
  for (const event of app.events) children.push(element(2, 'event', writeAttributes(event, S.STATUS_ACK), []));
  if (app.ping) children.push(element(2, 'ping', writeAttributes(app.ping, S.STATUS_ACK), []));
  if (app.updateCheck) children.push(updateCheckElement(app.updateCheck));
  return element(1, 'app', writeAttributes(app, S.RESPONSE_APP), children);
}

/**
 * Serialise a reply: XML declaration, then the document with one-space
 * indentation and explicit close tags, ending in a newline. Children of an
 * app come as event acks, ping ack, updatecheck.
 */
export function buildResponse(response: OmahaResponse): string {
  const children: string[] = [];
  if (response.dayStart) {
    children.push(element(1, 'daystart', writeAttributes(response.dayStart, S.RESPONSE_DAYSTART), []));
  }
  for (const app of response.apps) children.push(responseApp(app));
  return `${XML_HEADER}${element(0, 'response', writeAttributes(response, S.RESPONSE), children)}\n`;
}
