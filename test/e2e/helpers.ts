// End-to-end harness: our own CLI (in-process, see test/helpers/run-cli.ts)
// against a real `serve` on an ephemeral loopback port, on both engines
// (servers come from test/server/helpers.ts).
//
// The servers are started with startServer() and an explicit config, which
// never reads process.env: vitest's BASE_URL=/ (Vite's, not ours) cannot leak
// into the service's published base URL. The CLI gets an empty environment.
import { createServer } from 'node:net';
import { expect } from 'vitest';
import { maskStamps, runCli, type CliResult } from '../helpers/run-cli.js';
import type { TestServer } from '../server/helpers.js';

export { describeEngines, startTestServer, APP_ID, PG_URL, type Engine, type TestServer } from '../server/helpers.js';

export type Cli = (...argv: string[]) => Promise<CliResult>;

/** A CLI bound to `url` as `user` with `key` (global flags before the command, as the original requires). */
export function cliAs(url: string, user: string, key: string, cwd?: string): Cli {
  return (...argv) => runCli([`--server=${url}`, '--user', user, '--key', key, ...argv], { cwd });
}

/** The CLI as `admin` of a test server. */
export function adminCli(t: TestServer, cwd?: string): Cli {
  return cliAs(t.url, 'admin', t.key, cwd);
}

/** Success: exit 0, nothing on stderr, exactly `stdout`. */
export function expectOk(r: CliResult, stdout: string): void {
  expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ code: 0, stderr: '', stdout });
}

/** An API/transport failure: exit 1, one stamped log line on stderr, nothing (or `stdout`) on stdout. */
export function expectFailure(r: CliResult, line: string, stdout = ''): void {
  expect({ code: r.code, stdout: r.stdout, stderr: maskStamps(r.stderr) }).toEqual({ code: 1, stdout, stderr: `TS ${line}\n` });
  expect(r.stderr).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /);
}

/**
 * Go's text/tabwriter as the spec states it (minwidth 0, tabwidth 8, padding 1,
 * pad character TAB): a column is as wide as its widest cell + 1, rounded up
 * to a multiple of 8; each cell but the last of its row is followed by
 * ceil((width - len) / 8) TABs. Written independently of src/cli/tabwriter.ts
 * for the tables whose widths depend on the ephemeral port in a URL; the rows
 * form one alignment block.
 */
export function table(rows: (string | number | boolean)[][]): string {
  const cells = rows.map((r) => r.map(String));
  const widths: number[] = [];
  for (const row of cells) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, Math.ceil((cell.length + 1) / 8) * 8);
    });
  }
  return cells
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + '\t'.repeat(Math.ceil((widths[i]! - cell.length) / 8)))).join('') + '\n')
    .join('');
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
