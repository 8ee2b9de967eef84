// `--output=table`: boxed tables (cli-table3) fitted to a width. Loaded only
// when a table is drawn, so other output never pays for it.
import Table from 'cli-table3';

/** Padding cli-table3 puts on each side of a cell. */
const PADDING = 1;
/** How cli-table3 starts a rule between rows (and below the header). */
const RULE = '├';
/** A column is never squeezed below this many characters of content (unless it is narrower). */
const MIN_CONTENT = 4;

/** Widest line of a text, in characters. */
function textWidth(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line].length));
}

/** Widest word of a header: how narrow it gets when wrapped at its spaces. */
function wordWidth(text: string): number {
  return Math.max(...text.split(/\s+/).map((word) => [...word].length));
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Column widths (padding included) that fit `available` characters.
 *
 * - Every column keeps its natural width while the table fits.
 * - Otherwise long headers wrap first (`Updates Paused` over two lines), so
 *   the cells keep one line each; the room left goes back to the headers
 *   that need the least of it.
 * - When even that does not fit, the narrow columns keep their width and the
 *   wide ones share what is left, each at least MIN_CONTENT wide: a very
 *   narrow terminal gets a readable table, wider than asked.
 */
export function fitWidths(natural: readonly number[], compact: readonly number[], available: number): number[] {
  if (sum(natural) <= available) return [...natural];
  if (sum(compact) <= available) {
    const widths = [...compact];
    let left = available - sum(compact);
    const smallestGapFirst = natural.map((_, i) => i).sort((a, b) => natural[a]! - compact[a]! - (natural[b]! - compact[b]!));
    for (const col of smallestGapFirst) {
      const add = Math.min(natural[col]! - compact[col]!, left);
      widths[col]! += add;
      left -= add;
    }
    return widths;
  }
  const widths = compact.map(() => 0);
  const narrowFirst = compact.map((_, i) => i).sort((a, b) => compact[a]! - compact[b]!);
  let left = available;
  narrowFirst.forEach((col, k) => {
    const share = Math.floor(left / (narrowFirst.length - k));
    const floor = Math.min(compact[col]!, MIN_CONTENT + 2 * PADDING);
    widths[col] = Math.max(Math.min(compact[col]!, share), floor);
    left -= widths[col]!;
  });
  return widths;
}

/** A table of `rows` under `headers`, at most `width` characters wide; long cells wrap. */
export function drawTable(headers: readonly string[], rows: readonly string[][], width: number): string {
  const cells = headers.map((_, i) => Math.max(0, ...rows.map((r) => textWidth(r[i] ?? ''))));
  const natural = headers.map((h, i) => Math.max(textWidth(h), cells[i]!) + 2 * PADDING);
  const compact = headers.map((h, i) => Math.max(wordWidth(h), cells[i]!) + 2 * PADDING);
  // a border on each side and between columns
  const colWidths = fitWidths(natural, compact, width - (headers.length + 1));
  const table = new Table({
    // headers wrap at their spaces where their words fit (cli-table3 takes cell options there, though its types say strings)
    head: headers.map((content, i) => ({ content, wrapOnWordBoundary: colWidths[i]! - 2 * PADDING >= wordWidth(content) })) as unknown as string[],
    colWidths,
    wordWrap: true,
    // ids and URLs have no spaces: break them rather than cut them off
    wrapOnWordBoundary: false,
    style: { head: [], border: [], 'padding-left': PADDING, 'padding-right': PADDING },
  });
  table.push(...rows.map((r) => [...r]));
  const drawn = table.toString();
  // rules between rows only matter when a row spans several lines
  const oneLineRows = colWidths.every((w, i) => w >= cells[i]! + 2 * PADDING) && !rows.some((r) => r.some((c) => c.includes('\n')));
  if (!oneLineRows) return drawn;
  const lines = drawn.split('\n');
  const headerRule = lines.findIndex((l) => l.startsWith(RULE));
  return lines.filter((l, i) => i <= headerRule || !l.startsWith(RULE)).join('\n');
}
