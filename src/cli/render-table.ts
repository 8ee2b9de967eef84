// `--output=table`: boxed tables (cli-table3) fitted to a width. Loaded only
// when a table is drawn, so other output never pays for it.
import Table from 'cli-table3';

/** Padding cli-table3 puts on each side of a cell. */
const PADDING = 1;
/** How cli-table3 starts a rule between rows (and below the header). */
const RULE = '├';
/** A column is never squeezed below this many characters of content (unless it is narrower). */
const MIN_CONTENT = 4;

/** Widest line of a cell, in characters. */
function cellWidth(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line].length));
}

/**
 * Column widths (padding included) that fit `available` columns: every column
 * keeps its natural width while the table fits; otherwise the narrow columns
 * keep theirs and the wide ones share what is left, each at least
 * MIN_CONTENT wide (so a very narrow terminal still gets a readable table,
 * wider than asked).
 */
export function fitWidths(natural: readonly number[], available: number): number[] {
  if (natural.reduce((a, b) => a + b, 0) <= available) return [...natural];
  const widths = natural.map(() => 0);
  const narrowFirst = natural.map((_, i) => i).sort((a, b) => natural[a]! - natural[b]!);
  let left = available;
  narrowFirst.forEach((col, k) => {
    const share = Math.floor(left / (narrowFirst.length - k));
    const floor = Math.min(natural[col]!, MIN_CONTENT + 2 * PADDING);
    widths[col] = Math.max(Math.min(natural[col]!, share), floor);
    left -= widths[col]!;
  });
  return widths;
}

/** A table of `rows` under `headers`, at most `width` characters wide; long cells wrap. */
export function drawTable(headers: readonly string[], rows: readonly string[][], width: number): string {
  const natural = headers.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))) + 2 * PADDING);
  // a border on each side and between columns
  const colWidths = fitWidths(natural, width - (headers.length + 1));
  const table = new Table({
    head: [...headers],
    colWidths,
    wordWrap: true,
    // ids and URLs have no spaces: break them rather than cut them off
    wrapOnWordBoundary: false,
    style: { head: [], border: [], 'padding-left': PADDING, 'padding-right': PADDING },
  });
  table.push(...rows.map((r) => [...r]));
  const drawn = table.toString();
  // rules between rows only matter when a row spans several lines
  const oneLineRows = colWidths.every((w, i) => w === natural[i]) && !rows.some((r) => r.some((c) => c.includes('\n')));
  if (!oneLineRows) return drawn;
  const lines = drawn.split('\n');
  const headerRule = lines.findIndex((l) => l.startsWith(RULE));
  return lines.filter((l, i) => i <= headerRule || !l.startsWith(RULE)).join('\n');
}
