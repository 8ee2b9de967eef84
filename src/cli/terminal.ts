// Colour and hints, on a terminal only: in a pipe the bytes stay exactly the
// original's (the conformance replay checks that). A stream is painted when
// it is a terminal, unless NO_COLOR is set (not empty); FORCE_COLOR=1, 2 or 3
// paints it anyway and FORCE_COLOR=0 never, as chalk's users expect. Hints
// and notices are extra lines: they are written to a terminal only, painted
// or not.
import type { Output } from './command.js';

/** How one output stream shows failures, warnings, updates and hints. */
export interface Terminal {
  /** The stream is a terminal: extra lines (hints, notices) may be written to it. */
  readonly isTerminal: boolean;
  error(text: string): string;
  warning(text: string): string;
  /** An update that happened (`instance fake`, `watch`). */
  update(text: string): string;
  hint(text: string): string;
}

const same = (text: string) => text;

/** A stream that is not a terminal: nothing is added, nothing painted. */
export const PLAIN: Terminal = { isTerminal: false, error: same, warning: same, update: same, hint: same };

/** Chalk's colour level for `stream`: 0 (none), 1 (16 colours) to 3 (true colour). */
export function colourLevel(stream: Output, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2' || force === '3') return Number(force) as 2 | 3;
    return 1;
  }
  return stream.isTTY === true && env['TERM'] !== 'dumb' ? 1 : 0;
}

/** Paints a text line by line, keeping its line ends outside the colour. */
function painter(paint: (text: string) => string): (text: string) => string {
  return (text) => {
    const body = text.replace(/\n+$/, '');
    return body === '' ? text : paint(body) + text.slice(body.length);
  };
}

/** How `stream` shows things. Chalk is loaded only when there is colour to paint. */
export async function terminalFor(stream: Output, env: NodeJS.ProcessEnv): Promise<Terminal> {
  const isTerminal = stream.isTTY === true;
  const level = colourLevel(stream, env);
  if (level === 0) return isTerminal ? { ...PLAIN, isTerminal } : PLAIN;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level });
  return {
    isTerminal,
    error: painter(chalk.red),
    warning: painter(chalk.yellow),
    update: painter(chalk.green),
    hint: painter(chalk.dim),
  };
}

/** Both output streams of a run. */
export interface Terminals {
  stdout: Terminal;
  stderr: Terminal;
}

export async function terminalsFor(io: { stdout: Output; stderr: Output; env: NodeJS.ProcessEnv }): Promise<Terminals> {
  const [stdout, stderr] = await Promise.all([terminalFor(io.stdout, io.env), terminalFor(io.stderr, io.env)]);
  return { stdout, stderr };
}

/**
 * The hint for a failure's message, when one helps: the service refused the
 * credentials (401), or nothing listens where --server points.
 */
export function hintFor(message: string): string | undefined {
  if (/googleapi: (Error 401\b|got HTTP response code 401\b)/.test(message)) {
    return 'hint: give a user and key the service knows: --user/--key, or UPDATECTL_USER/UPDATECTL_KEY, or save them once with "updateservicectl --server=URL --user=NAME --key=KEY profile save NAME"';
  }
  if (/\bconnection refused\b/.test(message)) {
    return 'hint: nothing answered at that address: check --server (or UPDATECTL_SERVER), or start a service there with "updateservicectl serve"';
  }
  return undefined;
}

/**
 * Writes the hint a log line calls for, if any, on a terminal: one dim line,
 * once per kind of hint in a run.
 */
export function hinter(stderr: Output, terminal: Terminal): (line: string) => void {
  const given = new Set<string>();
  return (line) => {
    if (!terminal.isTerminal) return;
    const hint = hintFor(line);
    if (hint === undefined || given.has(hint)) return;
    given.add(hint);
    stderr.write(terminal.hint(hint) + '\n');
  };
}
