// Hostile-input gate and minimal element tree. Everything an untrusted body
// can do to us is checked here, cheapest check first: size, DTD, forbidden
// characters, well-formedness (fast-xml-parser's validator), then parsing
// without entity expansion, then element counts and attribute lengths while
// the tree is built.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeAttribute } from './escape.js';
import { DEFAULT_OMAHA_LIMITS, OmahaParseError, type OmahaLimits } from './errors.js';
import { fastParseTree } from './fast-tree.js';

export interface XmlElement {
  readonly name: string;
  /** Decoded attribute values, in document order. */
  readonly attributes: ReadonlyArray<readonly [name: string, value: string]>;
  readonly children: readonly XmlElement[];
}

// Omaha documents nest six deep (response/app/updatecheck/manifest/packages/package);
// anything far deeper is an attack on the parser's recursion.
const MAX_DEPTH = 16;

const ATTRIBUTE_PREFIX = '@_';
const ATTRIBUTES_KEY = ':@';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  // A prefix keeps names like "constructor" from ever being object keys as-is.
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  processEntities: false,
  htmlEntities: false,
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
});

// Characters XML 1.0 forbids anywhere in a document (the validator lets them through).
const FORBIDDEN_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

// "<!" that opens anything but a comment or CDATA: DOCTYPE, ENTITY, ELEMENT,
// ATTLIST… in any letter case.
const DECLARATION = /<!(?!--|\[CDATA\[)/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Defaults overridden by the given limits; an undefined entry keeps its default. */
export function resolveLimits(limits?: Partial<OmahaLimits>): OmahaLimits {
  if (!limits) return DEFAULT_OMAHA_LIMITS;
  const resolved = { ...DEFAULT_OMAHA_LIMITS };
  for (const key of Object.keys(resolved) as Array<keyof OmahaLimits>) {
    const value = limits[key];
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}

function bodyText(body: string | Uint8Array, maxBytes: number): string {
  if (typeof body === 'string') {
    // UTF-8 needs at most three bytes per UTF-16 unit: only count when it matters.
    if (body.length > maxBytes || (body.length * 3 > maxBytes && Buffer.byteLength(body, 'utf8') > maxBytes)) {
      throw new OmahaParseError('too-large', `body exceeds ${maxBytes} bytes`);
    }
    return body;
  }
  if (body.byteLength > maxBytes) {
    throw new OmahaParseError('too-large', `body exceeds ${maxBytes} bytes`);
  }
  try {
    return utf8.decode(body); // drops a leading BOM
  } catch (cause) {
    throw new OmahaParseError('encoding', 'body is not valid UTF-8', { cause });
  }
}

interface Budget {
  apps: number;
  events: number;
  readonly limits: OmahaLimits;
}

type FxpNode = Record<string, unknown>;

function convert(node: FxpNode, name: string, budget: Budget): XmlElement {
  if (name === 'app' && ++budget.apps > budget.limits.maxApps) {
    throw new OmahaParseError('too-many-apps', `more than ${budget.limits.maxApps} <app> elements`);
  }
  if (name === 'event' && ++budget.events > budget.limits.maxEvents) {
    throw new OmahaParseError('too-many-events', `more than ${budget.limits.maxEvents} <event> elements`);
  }

  const attributes: Array<readonly [string, string]> = [];
  const rawAttributes = node[ATTRIBUTES_KEY] as Record<string, unknown> | undefined;
  if (rawAttributes !== undefined) {
    for (const key of Object.keys(rawAttributes)) {
      const attrName = key.slice(ATTRIBUTE_PREFIX.length);
      const raw = String(rawAttributes[key]);
      if (raw.includes('<')) {
        throw new OmahaParseError('malformed', `'<' in the value of ${name}@${attrName}`);
      }
      const value = decodeAttribute(raw);
      if (value === undefined) {
        throw new OmahaParseError('malformed', `bad character or entity reference in ${name}@${attrName}`);
      }
      if (value.length > budget.limits.maxAttributeLength) {
        throw new OmahaParseError(
          'attribute-too-long',
          `${name}@${attrName} is longer than ${budget.limits.maxAttributeLength} characters`,
        );
      }
      attributes.push([attrName, value]);
    }
  }

  return { name, attributes, children: convertChildren(node[name], budget) };
}

function convertChildren(list: unknown, budget: Budget): XmlElement[] {
  const children: XmlElement[] = [];
  if (!Array.isArray(list)) return children;
  for (const child of list as FxpNode[]) {
    const name = elementName(child);
    // Text, CDATA and comments carry nothing in Omaha.
    if (name !== undefined) children.push(convert(child, name, budget));
  }
  return children;
}

function elementName(node: FxpNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ATTRIBUTES_KEY && key !== '#text') return key;
  }
  return undefined;
}

/**
 * Check an untrusted body against every limit and parse it into a tree.
 * Throws OmahaParseError for anything that is not one safe, well-formed
 * document with the expected root element.
 */
export function parseTree(body: string | Uint8Array, rootName: string, limits: OmahaLimits): XmlElement {
  // trim() also drops a leading byte-order mark.
  const text = bodyText(body, limits.maxBodyBytes).trim();
  if (text === '') throw new OmahaParseError('empty', 'empty body');
  if (DECLARATION.test(text)) {
    throw new OmahaParseError('dtd', 'DTDs and entity declarations (<!DOCTYPE, <!ENTITY) are not allowed');
  }

  if (FORBIDDEN_CHARACTER.test(text)) {
    throw new OmahaParseError('malformed', 'body contains a character XML does not allow');
  }

  // Plain documents (every real client's) take the strict fast path; anything
  // else gets the general validator and parser, which decide and explain.
  const fast = fastParseTree(text, limits);
  if (fast !== undefined) {
    if (fast.name !== rootName) {
      throw new OmahaParseError('invalid', `root element is <${fast.name}>, expected <${rootName}>`);
    }
    return fast;
  }

  return generalParseTree(text, rootName, limits);
}

/**
 * The general path: fast-xml-parser's validator, then its parser without
 * entity expansion, then the caps. Exported for the fast path's differential
 * tests; callers use parseTree.
 */
export function generalParseTree(text: string, rootName: string, limits: OmahaLimits): XmlElement {
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new OmahaParseError('malformed', `malformed XML at line ${line}, column ${col}: ${msg}`);
  }

  let top: FxpNode[];
  try {
    top = parser.parse(text) as FxpNode[];
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new OmahaParseError('malformed', `XML could not be parsed: ${detail}`, { cause });
  }

  const budget: Budget = { apps: 0, events: 0, limits };
  const roots = convertChildren(top, budget);
  if (roots.length !== 1) {
    throw new OmahaParseError('malformed', `expected one root element, found ${roots.length}`);
  }
  const root = roots[0]!;
  if (root.name !== rootName) {
    throw new OmahaParseError('invalid', `root element is <${root.name}>, expected <${rootName}>`);
  }
  return root;
}
