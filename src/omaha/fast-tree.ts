// Fast path for the common case: a small, plain Omaha document (elements,
// quoted attributes, whitespace between tags, an optional XML declaration).
// It accepts only a strict subset of well-formed XML and builds the same
// XmlElement tree as the general path; on anything outside that subset
// (comments, CDATA, text, namespaces, odd declarations, limits reached,
// any syntax error) it returns undefined and the caller runs the general
// validator and parser, which give the authoritative answer and error.
// Callers run the size, DTD and forbidden-character checks first.

import { decodeAttribute } from './escape.js';
import type { OmahaLimits } from './errors.js';
import type { XmlElement } from './tree.js';

const MAX_DEPTH = 16;

// Elements of Omaha requests and replies; any other name goes the general way.
const KNOWN_ELEMENTS = new Set([
  'request', 'response', 'os', 'app', 'ping', 'updatecheck', 'event', 'daystart',
  'urls', 'url', 'manifest', 'packages', 'package', 'actions', 'action',
]);

// <?xml version="1.x" [encoding="…"] [standalone="yes|no"] ?>
const DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isNameStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
const isNameChar = (c: number) => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

interface Open {
  name: string;
  attributes: Array<readonly [string, string]>;
  children: XmlElement[];
}

/** The document's single root element, or undefined when the general path must decide. */
export function fastParseTree(text: string, limits: OmahaLimits): XmlElement | undefined {
  let i = 0;
  const n = text.length;
  if (text.startsWith('<?')) {
    const m = DECLARATION.exec(text);
    if (!m) return undefined;
    i = m[0].length;
  }
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let apps = 0;
  let events = 0;

  while (i < n) {
    let c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c !== 0x3c /* < */) return undefined; // text content: general path
    i++;
    if (i >= n) return undefined;
    c = text.charCodeAt(i);

    if (c === 0x2f /* / */) {
      // closing tag
      i++;
      const start = i;
      if (i >= n || !isNameStart(text.charCodeAt(i))) return undefined;
      while (i < n && isNameChar(text.charCodeAt(i))) i++;
      const name = text.slice(start, i);
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (i >= n || text.charCodeAt(i) !== 0x3e) return undefined;
      i++;
      const open = stack.pop();
      if (!open || open.name !== name) return undefined;
      const el: XmlElement = { name, attributes: open.attributes, children: open.children };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else root = el;
      continue;
    }

    if (root !== undefined) return undefined; // a second root, or content after it
    if (!isNameStart(c)) return undefined; // comment, CDATA, PI, bad name
    const start = i;
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    const name = text.slice(start, i);
    if (!KNOWN_ELEMENTS.has(name)) return undefined;
    if (name === 'app' && ++apps > limits.maxApps) return undefined;
    if (name === 'event' && ++events > limits.maxEvents) return undefined;
    if (stack.length >= MAX_DEPTH) return undefined;

    const attributes: Array<readonly [string, string]> = [];
    let selfClosing = false;
    for (;;) {
      if (i >= n) return undefined;
      c = text.charCodeAt(i);
      if (c === 0x3e /* > */) {
        i++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (text.charCodeAt(i + 1) !== 0x3e) return undefined;
        i += 2;
        selfClosing = true;
        break;
      }
      // An attribute must follow whitespace.
      if (!isSpace(c)) return undefined;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (i >= n) return undefined;
      c = text.charCodeAt(i);
      if (c === 0x3e || c === 0x2f) continue;
      if (!isNameStart(c)) return undefined;
      const aStart = i;
      while (i < n && isNameChar(text.charCodeAt(i))) i++;
      const attrName = text.slice(aStart, i);
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 0x3d /* = */) return undefined;
      i++;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      const quote = text.charCodeAt(i);
      if (quote !== 0x22 && quote !== 0x27) return undefined;
      const vStart = ++i;
      const end = text.indexOf(quote === 0x22 ? '"' : "'", vStart);
      if (end < 0) return undefined;
      // The general parser trims values (fast-xml-parser's trimValues): so do we.
      const raw = text.slice(vStart, end).trim();
      if (raw.includes('<')) return undefined;
      i = end + 1;
      const value = decodeAttribute(raw);
      if (value === undefined || value.length > limits.maxAttributeLength) return undefined;
      for (const [seen] of attributes) if (seen === attrName) return undefined;
      attributes.push([attrName, value]);
    }

    if (selfClosing) {
      const el: XmlElement = { name, attributes, children: [] };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else root = el;
    } else {
      stack.push({ name, attributes, children: [] });
    }
  }
  if (stack.length > 0 || root === undefined) return undefined;
  return root;
}
