// The output formats of `--output` (or UPDATECTL_OUTPUT):
//
// - `text`, the default: the original's bytes, through the tabwriter as always;
// - `json`: the v1 API's objects (an array for a listing, an object for one
//   item, one compact object a line for event streams), and failures as one
//   `{"error":{…}}` object on stderr;
// - `table`: the same columns as text, drawn with cli-table3 and fitted to the
//   terminal's width.
//
// A command states its columns once and hands its rows to a Printer, which
// picks the format. The table code loads only when a table is drawn.
import { GoogleApiError, HttpReplyError } from '../api/errors.js';
import { ExitCode, type Deps, type GlobalOptions, type Output } from './command.js';
import type { TabWriter } from './tabwriter.js';

export type OutputFormat = GlobalOptions['output'];

export type Cell = string | number | boolean;
/** A column: its header, and how a row fills it. */
export type Column<T> = readonly [header: string, cell: (row: T) => Cell];
export type Columns<T> = readonly Column<T>[];

/** Table width when stdout is not a terminal and `COLUMNS` does not say. */
export const DEFAULT_TABLE_WIDTH = 80;

export interface ListOptions<T> {
  /** What `json` prints instead of the rows (e.g. the API's nested objects behind flattened rows). */
  json?: unknown;
  /** The original's text layout, when it is not a header line followed by the rows. */
  text?: (out: TabWriter, rows: readonly T[]) => void;
}

/** The header line and rows as the original wrote them: cells joined by tabs, aligned by the tabwriter. */
export function writeRows<T>(out: TabWriter, columns: Columns<T>, rows: readonly T[]): void {
  out.row(...columns.map(([header]) => header));
  for (const row of rows) out.row(...columns.map(([, cell]) => cell(row)));
}

/** A text layout of rows without the header line (the 0.x verbs that change one item print it so). */
export function rowsOnly<T>(columns: Columns<T>): (out: TabWriter, rows: readonly T[]) => void {
  return (out, rows) => {
    for (const row of rows) out.row(...columns.map(([, cell]) => cell(row)));
  };
}

export class Printer {
  constructor(
    readonly format: OutputFormat,
    private readonly out: TabWriter,
    private readonly stdout: Output,
    /** Width tables are fitted to. */
    readonly width = DEFAULT_TABLE_WIDTH,
  ) {}

  get json(): boolean {
    return this.format === 'json';
  }

  /** A listing: header and rows (text), a JSON array, or a table. */
  async list<T>(columns: Columns<T>, rows: readonly T[], opts: ListOptions<T> = {}): Promise<void> {
    if (this.format === 'json') return this.document(opts.json ?? rows);
    if (this.format === 'table') return this.table(columns, rows);
    if (opts.text) opts.text(this.out, rows);
    else writeRows(this.out, columns, rows);
  }

  /** One item: in text and table a listing of one row, in JSON the object itself. */
  item<T>(columns: Columns<T>, row: T, opts: ListOptions<T> = {}): Promise<void> {
    return this.list(columns, [row], { ...opts, json: opts.json ?? row });
  }

  /** Text only the text and table outputs carry (the original's extra lines). */
  note(text: string): void {
    if (this.format !== 'json') this.out.write(text);
  }

  /**
   * A status line (`rollout set`); in JSON, the object it reports on. `raw`
   * text bypasses the tabwriter, for lines the original printed straight to
   * stdout.
   */
  message(text: string, json: unknown, { raw = false } = {}): void {
    if (this.format === 'json') this.document(json);
    else if (raw) this.raw(text);
    else this.out.write(text);
  }

  /** A JSON document on stdout, after whatever the tabwriter holds. */
  document(value: unknown): void {
    this.raw(jsonDocument(value));
  }

  private async table<T>(columns: Columns<T>, rows: readonly T[]): Promise<void> {
    const { drawTable } = await import('./render-table.js');
    const cells = rows.map((row) => columns.map(([, cell]) => String(cell(row))));
    this.raw(drawTable(columns.map(([header]) => header), cells, this.width) + '\n');
  }

  private raw(text: string): void {
    this.out.flush();
    this.stdout.write(text);
  }
}

/** The width to fit tables to: the terminal's, else `COLUMNS`, else DEFAULT_TABLE_WIDTH. */
export function tableWidth(stdout: Output, env: NodeJS.ProcessEnv): number {
  if (stdout.isTTY && stdout.columns !== undefined && stdout.columns > 0) return stdout.columns;
  const fromEnv = Number(env['COLUMNS']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_TABLE_WIDTH;
}

export function printerOf(d: Pick<Deps, 'globals' | 'out' | 'stdout' | 'env'>): Printer {
  return new Printer(d.globals.output, d.out, d.stdout, tableWidth(d.stdout, d.env));
}

/** A JSON document as `--output=json` prints one on stdout: indented, one trailing newline. */
export function jsonDocument(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** One line of an event stream (NDJSON). */
export function eventLine(event: object): string {
  return JSON.stringify(event) + '\n';
}

// ---- failures

/**
 * The `code` of a JSON error when no HTTP reply gave one: the kind of
 * failure, numbered as the 2.x exit codes are.
 */
export const ErrorCode = {
  /** The server could not be reached or its reply read; a local file failed. */
  FAILURE: ExitCode.ERROR,
  /** Missing or bad flags or arguments. */
  USAGE: ExitCode.USAGE,
} as const;

/**
 * A failure as one JSON line: `{"error":{"code":404,"message":"app not found"}}`.
 * An API error keeps its HTTP status, message and `errors` list (Google's
 * error shape, as the server sent it), another failed reply its status;
 * anything else gets `code`.
 */
export function jsonErrorLine(err: unknown, code: number = ErrorCode.FAILURE): string {
  if (err instanceof GoogleApiError) {
    const error: Record<string, unknown> = { code: err.code, message: err.apiMessage || err.message };
    if (err.errors.length > 0) error['errors'] = err.errors;
    return eventLine({ error });
  }
  if (err instanceof HttpReplyError) return eventLine({ error: { code: err.status, message: err.message } });
  return eventLine({ error: { code, message: messageOf(err) } });
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Thrown by a command that has already reported why it failed (as a JSON
 * error): the dispatcher adds nothing and exits with `exitCode`.
 */
export class ReportedFailure extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** Reports `err` as one JSON error and ends the command with `exitCode`. */
export function failAsJson(stderr: Output, err: unknown, exitCode: number, code?: number): never {
  stderr.write(jsonErrorLine(err, code));
  throw new ReportedFailure(exitCode);
}

type FailureDeps = Pick<Deps, 'globals' | 'stderr' | 'logError'>;

/**
 * Reports why a command failed: the original's log line (`text`, by default
 * the error's message) in text and table output, one JSON error in JSON.
 */
export function reportFailure(d: FailureDeps, err: unknown, text = messageOf(err)): void {
  if (d.globals.output === 'json') d.stderr.write(jsonErrorLine(err));
  else d.logError(text);
}

export interface UsageReport {
  /** What text output prints on stdout: the usage or help. */
  usage: string;
  /** The flag error, printed on stderr before the usage in text output. */
  problem?: string;
  /** The JSON error's message when there is no `problem`. */
  message: string;
}

/**
 * Reports a usage error. In text and table output: the flag error (if any) on
 * stderr and the usage on stdout, as the original did. In JSON: one error
 * object on stderr, and nothing on stdout.
 */
export function reportUsage(d: Pick<Deps, 'globals' | 'stderr' | 'out' | 'terminal'>, report: UsageReport): void {
  if (d.globals.output === 'json') {
    d.stderr.write(jsonErrorLine(new Error(report.problem ?? report.message), ErrorCode.USAGE));
    return;
  }
  if (report.problem !== undefined) d.stderr.write(d.terminal.stderr.error(`${report.problem}\n`));
  d.out.write(report.usage);
}
