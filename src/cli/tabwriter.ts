// A port of Go's text/tabwriter as the original CLI configured it:
// minwidth 0, tabwidth 8, padding 1, pad character TAB, no flags.
// Scripts cut the original's columns, so the bytes must match exactly.

const TAB_WIDTH = 8;
const PADDING = 1;
const MIN_WIDTH = 0;

interface Cell {
  text: string;
  /** Width in runes, as Go's utf8.RuneCount. */
  width: number;
}

function runeCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Collects text, aligns tab-terminated cells in column blocks, and hands the
 * result to `sink` on flush. A line without tabs ends the current block and
 * flushes, as in Go.
 */
export class TabWriter {
  private lines: Cell[][] = [[]];
  private cellText = '';
  private widths: number[] = [];
  private out = '';

  constructor(private readonly sink: (text: string) => void) {}

  write(text: string): this {
    for (const ch of text) {
      if (ch === '\t') {
        this.terminateCell();
      } else if (ch === '\n' || ch === '\f') {
        const cellsInLine = this.currentLine().length + 1;
        this.terminateCell();
        this.lines.push([]);
        if (ch === '\f' || cellsInLine === 1) {
          // a line with a single cell cannot be part of a column block
          this.flush();
        }
      } else {
        this.cellText += ch;
      }
    }
    return this;
  }

  /** Writes a row of cells joined by tabs, ended by a newline. */
  row(...cells: Array<string | number | boolean>): this {
    return this.write(cells.map(String).join('\t') + '\n');
  }

  flush(): void {
    // the pending partial cell is the text of the last (unterminated) line
    if (this.cellText.length > 0) {
      this.terminateCell();
    }
    this.format(0, this.lines.length);
    this.sink(this.out);
    this.out = '';
    this.lines = [[]];
    this.cellText = '';
    this.widths = [];
  }

  private currentLine(): Cell[] {
    return this.lines[this.lines.length - 1]!;
  }

  private terminateCell(): void {
    this.currentLine().push({ text: this.cellText, width: runeCount(this.cellText) });
    this.cellText = '';
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let current = line0; current < line1; current++) {
      const line = this.lines[current]!;
      if (column >= line.length - 1) continue;
      // this line has a cell in this column: print the lines before the block
      this.writeLines(line0, current);
      line0 = current;
      let width = MIN_WIDTH;
      for (; current < line1; current++) {
        const cells = this.lines[current]!;
        if (column >= cells.length - 1) break;
        const w = cells[column]!.width + PADDING;
        if (w > width) width = w;
      }
      this.widths.push(width);
      this.format(line0, current);
      this.widths.pop();
      line0 = current;
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      line.forEach((cell, j) => {
        this.out += cell.text;
        if (j < this.widths.length) this.pad(cell.width, this.widths[j]!);
      });
      // the last buffered line has no newline of its own
      if (i + 1 < this.lines.length) this.out += '\n';
    }
  }

  private pad(textWidth: number, cellWidth: number): void {
    const rounded = Math.ceil(cellWidth / TAB_WIDTH) * TAB_WIDTH;
    const n = rounded - textWidth;
    this.out += '\t'.repeat(Math.ceil(n / TAB_WIDTH));
  }
}

/** Formats `text` through a TabWriter and returns the aligned result. */
export function tabulate(text: string): string {
  let result = '';
  const w = new TabWriter((s) => (result += s));
  w.write(text);
  w.flush();
  return result;
}
