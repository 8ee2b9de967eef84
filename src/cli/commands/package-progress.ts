// Progress reporting for `package download` and `package upload`.
//
// The rule: a graphical bar (cli-progress) is drawn on stderr only when stderr
// is a terminal. Otherwise nothing is drawn, with one exception kept for
// byte-exact output: `package download` writes the counter lines the
// original's progress bar library printed to stdout when it had no terminal
// (`\r0 B / 1024 B  0.00 % ` … `\r1024 B / 1024 B  100.00 % \n`), because
// those lines are part of the original's recorded stdout.
import cliProgress from 'cli-progress';
import type { Output } from '../command.js';

export interface Progress {
  /** Counts bytes moved. */
  add(bytes: number): void;
  /** Draws the final state and releases the display. */
  finish(): void;
}

const NO_PROGRESS: Progress = { add: () => undefined, finish: () => undefined };

/** How often the counter lines refresh, as in the original (200 ms). */
const REFRESH_MS = 200;

/** Byte counts as the original's progress library wrote them: `1024 B`, `1.50 KB`, `2.00 MB`. */
export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1024 ** 4, 'TB'],
    [1024 ** 3, 'GB'],
    [1024 ** 2, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) if (n > size) return `${(n / size).toFixed(2)} ${unit}`;
  return `${n} B`;
}

/** Go's Duration.String for whole seconds: `45s`, `2m5s`, `1h0m3s`. */
function goSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * One counter line: `<done> / <total> `, then ` <percent> % `, then the
 * estimated time left (only when more than a second is left, so never once
 * everything has arrived). With nothing to transfer, only `<done> `.
 */
export function counterLine(current: number, total: number, elapsedMs?: number): string {
  if (total <= 0) return `${formatBytes(current)} `;
  let line = `${formatBytes(current)} / ${formatBytes(total)}  ${((current / total) * 100).toFixed(2)} % `;
  if (elapsedMs !== undefined && current > 0) {
    const left = Math.floor(((total - current) * (elapsedMs / current)) / 1000);
    if (left > 0) line += goSeconds(left);
  }
  return line;
}

/** The original's counter lines, on stdout (see the rule at the top of this file). */
class CounterLines implements Progress {
  private current = 0;
  private shown = -1;
  private readonly started = Date.now();
  private readonly first: NodeJS.Immediate;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly total: number,
    private readonly stdout: Output,
  ) {
    // the original drew from a background goroutine: a run that finishes at
    // once (nothing to fetch) shows only the final line
    this.first = setImmediate(() => this.draw());
    this.timer = setInterval(() => {
      if (this.current !== this.shown) this.draw();
    }, REFRESH_MS);
    this.timer.unref();
  }

  add(bytes: number): void {
    this.current += bytes;
  }

  finish(): void {
    clearImmediate(this.first);
    clearInterval(this.timer);
    this.stdout.write(`\r${counterLine(this.current, this.total, Date.now() - this.started)}\n`);
  }

  private draw(): void {
    this.stdout.write(`\r${counterLine(this.current, this.total, Date.now() - this.started)}`);
    this.shown = this.current;
  }
}

/** A terminal bar on stderr. */
class TerminalBar implements Progress {
  private current = 0;
  private readonly bar: cliProgress.SingleBar;

  constructor(total: number, label: string, stderr: Output) {
    this.bar = new cliProgress.SingleBar(
      {
        stream: stderr as unknown as NodeJS.WritableStream,
        format: `${label} [{bar}] {percentage}% | {done} / {size} | ETA {eta_formatted}`,
        hideCursor: true,
      },
      cliProgress.Presets.legacy,
    );
    this.bar.start(total, 0, { done: formatBytes(0), size: formatBytes(total) });
  }

  add(bytes: number): void {
    this.current += bytes;
    this.bar.update(this.current, { done: formatBytes(this.current) });
  }

  finish(): void {
    this.bar.stop();
  }
}

/**
 * Progress of `package download`: a bar on a terminal, else the original's
 * counter lines (unless stdout carries JSON).
 */
export function downloadProgress(total: number, io: { stdout: Output; stderr: Output }, counterLines = true): Progress {
  if (io.stderr.isTTY) return new TerminalBar(total, 'download', io.stderr);
  return counterLines ? new CounterLines(total, io.stdout) : NO_PROGRESS;
}

/** Progress of `package upload`: a bar on a terminal, nothing otherwise (the original showed none). */
export function uploadProgress(total: number, label: string, stderr: Output): Progress {
  return stderr.isTTY ? new TerminalBar(total, label, stderr) : NO_PROGRESS;
}
