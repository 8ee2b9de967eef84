// Query strings as the original service read them: one value per name. A
// name given twice (`?versions=a&versions=b`) keeps its first value, as Go's
// url.Values.Get does, rather than reaching a route as an array that none of
// them expects.
import { parse } from 'node:querystring';

export function parseQuery(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(parse(text))) out[name] = (Array.isArray(value) ? value[0] : value) ?? '';
  return out;
}
