// JSON as the original's Go client wrote it. Its request types were generated
// structs whose fields are in alphabetical order, encoded by Go's
// json.Encoder: compact, HTML-sensitive characters escaped, a trailing
// newline. Sending the same bytes keeps request bodies comparable with
// recordings of the original and with what servers built for it expect.

/** Escapes of JSON.stringify's output that Go's encoder writes differently. */
const DIFFERENT_ESCAPES = /\\(?:u[0-9a-fA-F]{4}|.)|[<>&\u2028\u2029]/g;

/**
 * Rewrites JSON.stringify's text with Go's escapes: `<`, `>`, `&`, U+2028 and
 * U+2029 as `\u00XX`/`\u20XX`; backspace and form feed as `\u0008`/`\u000c`
 * (not `\b`/`\f`); a lone surrogate as `\ufffd`. Other escapes are the same.
 */
export function escapeLikeGo(json: string): string {
  return json.replace(DIFFERENT_ESCAPES, (m) => {
    if (m.length === 1) return '\\u' + m.charCodeAt(0).toString(16).padStart(4, '0');
    if (m === '\\b') return '\\u0008';
    if (m === '\\f') return '\\u000c';
    if (/^\\ud[89a-f]/i.test(m)) return '\\ufffd';
    return m;
  });
}

/** A copy with every object's keys in byte order, as the generated structs declared their fields. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/** A request body as the original sent it: keys sorted, Go's escapes, one trailing newline. */
export function goRequestBody(value: unknown): string {
  return escapeLikeGo(JSON.stringify(sortedKeys(value))) + '\n';
}
