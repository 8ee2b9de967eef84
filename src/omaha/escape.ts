// Attribute-value escaping for the builders and the matching decoder for the
// parser. The parser runs with entity processing off (no DTD, no expansion),
// so the five predefined entities and character references are decoded here,
// in one pass, with nothing else accepted.

// Characters that must not appear raw in an attribute value, plus those XML
// 1.0 cannot carry at all (C0 controls, U+FFFE/U+FFFF, lone surrogates).
const NEEDS_ESCAPE = /[&<>"'\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;
const ESCAPABLE = /[&<>"'\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Escaped so that parsers do not normalise them to spaces.
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

/** Escape a value for use inside a double-quoted XML attribute. */
export function escapeAttribute(value: string): string {
  // Almost every value is plain; skip the allocation then.
  if (!NEEDS_ESCAPE.test(value)) return value;
  // Characters XML cannot represent become U+FFFD so the output stays well-formed.
  return value.replace(ESCAPABLE, (ch) => REPLACEMENTS[ch] ?? '\uFFFD');
}

const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

// Either a complete reference, or a bare '&' that starts something invalid.
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));|&/g;

/** Is this code point allowed in an XML 1.0 document? */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Decode the references in a raw attribute value. Returns undefined when the
 * value holds a bare '&', an unknown entity or a reference to a character XML
 * forbids: such a value is not well-formed.
 */
export function decodeAttribute(raw: string): string | undefined {
  if (!raw.includes('&')) return raw;
  let valid = true;
  const decoded = raw.replace(REFERENCE, (match, name?: string, dec?: string, hex?: string) => {
    if (name !== undefined) return PREDEFINED[name] ?? match;
    const digits = dec ?? hex;
    if (digits === undefined) {
      valid = false;
      return match;
    }
    const cp = Number.parseInt(digits, dec !== undefined ? 10 : 16);
    if (!isXmlChar(cp)) {
      valid = false;
      return match;
    }
    return String.fromCodePoint(cp);
  });
  return valid ? decoded : undefined;
}
