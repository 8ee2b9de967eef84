// `database`: initialize the service's database and download backups of it.
// Both talk to plain server paths, not to the v1 API.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ApiClient } from '../../api/client.js';
import { describeTransportError } from '../../api/client.js';
import { HttpReplyError, TransportError } from '../../api/errors.js';
import { ExitCode, type CommandSpec, type Deps } from '../command.js';
import { fileError } from '../output.js';
import { printerOf, type Printer } from '../render.js';

type DatabaseDeps = { client: ApiClient; print: Printer };

/** Reads a whole reply body; a broken exchange reads as Go's net/http error. */
async function readText(body: { text(): Promise<string> }, method: string, url: URL): Promise<string> {
  try {
    return await body.text();
  } catch (err) {
    throw new TransportError(describeTransportError(method, url, err));
  }
}

/**
 * Asks the server to set up its database. The endpoint is unauthenticated and
 * answers `ok` on success; anything else is printed and fails the command
 * (in JSON: `{"status":"ok"}`, or an error with the reply's status).
 */
export async function initDatabase({ client, print }: DatabaseDeps): Promise<number> {
  const url = client.serverUrl('/admin/v1/init');
  const reply = await client.send('GET', url, { sign: false });
  const body = await readText(reply.body, 'GET', url);
  if (print.json && body !== 'ok') throw new HttpReplyError(reply.status >= 300 ? reply.status : ExitCode.ERROR, body);
  print.message(`${body}\n`, { status: body }, { raw: true });
  return body === 'ok' ? ExitCode.OK : ExitCode.ERROR;
}

/** A body stream that breaks off mid-way reads, in Go, as a truncated copy. */
function isBodyError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return code.startsWith('UND_ERR') || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/**
 * Streams the server's backup into `outputFile`. The data goes to a temporary
 * file beside it first and is renamed into place only when complete, so a
 * failed backup never leaves a truncated file that looks like a good one.
 */
export async function backupDatabase(outputFile: string, cwd: string, { client }: Pick<DatabaseDeps, 'client'>): Promise<number> {
  const url = client.serverUrl('/db/backup');
  const reply = await client.send('GET', url);
  // the original accepted exactly 200 and logged any other reply's body as the error
  if (reply.status !== 200) throw new HttpReplyError(reply.status, await readText(reply.body, 'GET', url));

  const target = resolve(cwd, outputFile);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    await pipeline(reply.body, createWriteStream(temp, { flags: 'wx', mode: 0o666 }));
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    if (isBodyError(err)) throw new Error('unexpected EOF');
    // Go wrote straight into the file: creating it (our rename) fails as `open`
    const op = (err as NodeJS.ErrnoException).syscall === 'write' ? 'write' : 'open';
    throw new Error(fileError(op, outputFile, err));
  }
  return ExitCode.OK;
}

export const database: CommandSpec = {
  name: 'database',
  description: 'Set up the update service database or save a copy of it.',
  subcommands: [
    {
      name: 'database init',
      summary: 'Initialize the database.',
      description: 'Ask the server to create its database tables; prints the reply.',
      run: (_f, d) => initDatabase({ client: d.client(), print: printerOf(d) }),
    },
    {
      name: 'database backup',
      summary: 'Download a database backup.',
      usage: '<output file>',
      description: 'Save a backup of the database into the given file.',
      run: (f, d) =>
        f.positionals.length === 1 ? backupDatabase(f.positionals[0]!, d.cwd, { client: d.client() }) : ExitCode.USAGE,
    },
  ],
};
