// `watch`: an Omaha client that polls the update service every --interval
// seconds and runs a command when it starts and whenever the offered version
// changes, telling the command about the update through its environment.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ApiClient } from '../../api/client.js';
import { EventResult, EventType, updateInfo, XML_HEADER, type UpdateInfo } from '../../omaha/index.js';
import { allSet, ExitCode, type CommandSpec, type Deps, type Output } from '../command.js';
import { clientRequest, decodeOmahaReply, NIL_POINTER_ERROR, NO_APP_ERROR, omitEmpty, postOmaha } from '../fake/omaha-http.js';
import { grace, Sleeper, Ticker } from '../fake/runtime.js';
import { FlagError, type FlagSet } from '../flags.js';
import { eventLine, jsonErrorLine, type OutputFormat } from '../render.js';
import { hinter, PLAIN, type Terminal, type Terminals } from '../terminal.js';

export interface WatchOptions {
  appId: string;
  groupId: string;
  /** Empty: a random UUID for this run. */
  clientId: string;
  /** The version reported until the server offers another. */
  version: string;
  intervalSeconds: number;
  command: string;
  args: string[];
}

export interface WatchDeps {
  client: ApiClient;
  server: string;
  /** Print each request and reply on stderr. */
  debug: boolean;
  stdout: Output;
  stderr: Output;
  log(message: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  untilInterrupted(): Promise<void>;
  /** Length of a second in milliseconds (default 1000); tests shrink it. */
  secondMs?: number;
  /**
   * `json`: each run of the command is announced as one JSON line on stdout,
   * the command's own stdout goes to stderr, and a failure is a JSON error.
   */
  format?: OutputFormat;
  /** On a terminal: failures red (with a hint when one helps), and a green line for each update the command is run for. */
  terminal?: Terminals;
}

/** After the command exits, how long its output may still trickle in. */
const OUTPUT_GRACE_MS = 250;

/** `<server>/v1/update`: Go's path.Join onto the server's own path. */
export function watchUrl(server: string): URL {
  const url = new URL(server);
  url.pathname = posix.join(url.pathname, '/v1/update');
  return url;
}

/**
 * The command's environment: the inherited one, then the update variables
 * appended in the original's order. A variable already inherited moves to
 * the end with the new value, as Go's exec de-duplication left it.
 */
export function hookEnvironment(
  inherited: NodeJS.ProcessEnv,
  appId: string,
  version: string,
  oldVersion: string,
  update: UpdateInfo,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) if (value !== undefined) env[name] = value;
  const append = (name: string, value: string) => {
    delete env[name];
    env[name] = value;
  };
  append('UPDATE_SERVICE_VERSION', version);
  if (oldVersion !== '') append('UPDATE_SERVICE_OLD_VERSION', oldVersion);
  append('UPDATE_SERVICE_APP_ID', appId);
  if (update.status === 'ok' && update.url !== undefined) append('UPDATE_SERVICE_URL', update.url);
  return env;
}

/** Go's wording when a command cannot be started. */
function startErrorText(command: string, err: NodeJS.ErrnoException): string {
  const viaPath = !command.includes('/');
  if (viaPath && (err.code === 'ENOENT' || err.code === 'EACCES')) {
    return `exec: "${command}": executable file not found in $PATH`;
  }
  const reason = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
  return `fork/exec ${command}: ${reason}`;
}

/** Waits for a stream's end, at most until `deadline` settles. */
function endOf(stream: Readable, deadline: Promise<void>): Promise<unknown> {
  return Promise.race([finished(stream).catch(() => undefined), deadline]);
}

class Watcher {
  private readonly sleeper = new Sleeper();
  private readonly interrupted: Promise<false>;
  private readonly clientId: string;
  private readonly url: URL;
  /** After a failure on a terminal: the hint it calls for, if any. */
  private readonly hint: (line: string) => void;

  constructor(
    private readonly opts: WatchOptions,
    private readonly deps: WatchDeps,
  ) {
    this.clientId = opts.clientId || randomUUID();
    this.url = watchUrl(deps.server);
    this.hint = hinter(deps.stderr, deps.terminal?.stderr ?? PLAIN);
    this.interrupted = deps.untilInterrupted().then(() => {
      this.sleeper.stop();
      return false as const;
    });
  }

  private get stopped(): boolean {
    return this.sleeper.stopped;
  }

  private get json(): boolean {
    return this.deps.format === 'json';
  }

  /** Why the watch stops: the original's text on stderr, or one JSON error. */
  private fail(message: string): void {
    if (this.json) return this.say(jsonErrorLine(new Error(message)));
    this.say(this.stderrTerminal.error(message));
    this.hint(message);
  }

  private get stderrTerminal(): Terminal {
    return this.deps.terminal?.stderr ?? PLAIN;
  }

  /** Stderr, silenced once interrupted (the original was gone by then). */
  private say(text: string | Buffer, to: Output = this.deps.stderr): void {
    // a Buffer goes through as is: process streams take bytes, test buffers stringify them
    if (!this.stopped) to.write(text as string);
  }

  async run(): Promise<number> {
    const ticker = new Ticker(this.opts.intervalSeconds * (this.deps.secondMs ?? 1000), this.sleeper);
    let version = this.opts.version;

    const first = await this.untilInterrupted(this.check(version));
    if (first === false) return ExitCode.OK;
    if (first instanceof Error) {
      this.fail(first.message);
      return ExitCode.ERROR;
    }
    if (first.status !== 'noupdate' && first.status !== 'error-version') {
      if (!(await this.runCommand(version, '', first))) return ExitCode.ERROR;
    }

    while (await ticker.next()) {
      const update = await this.untilInterrupted(this.check(version));
      if (update === false) break;
      if (update instanceof Error) {
        this.deps.log(`warning: update check failed (${update.message})`);
        continue;
      }
      if (update.status === 'noupdate' || update.status === 'error-version') continue;
      if (update.version === undefined) {
        // the original crashed on an offer without a manifest
        this.deps.log(`warning: update check failed (${NIL_POINTER_ERROR})`);
        continue;
      }
      if (update.version !== version && !(await this.runCommand(update.version, version, update))) {
        return ExitCode.ERROR;
      }
      version = update.version;
    }
    return ExitCode.OK;
  }

  private untilInterrupted<T>(work: Promise<T>): Promise<T | false> {
    return Promise.race([work, this.interrupted]);
  }

  /** One update check; failures come back as Errors (transport and XML ones already printed, as the original did). */
  private async check(version: string): Promise<UpdateInfo | Error> {
    const { appId, groupId } = this.opts;
    const xml = clientRequest({
      appId: `{${appId}}`,
      version: omitEmpty(version),
      track: omitEmpty(groupId),
      bootId: randomUUID(),
      machineId: this.clientId,
      updateCheck: {},
      events: [{ eventType: EventType.DownloadComplete, eventResult: EventResult.Error }],
    });
    if (this.deps.debug) this.say(`Request: ${XML_HEADER}${xml}\n`);
    try {
      const body = await postOmaha(this.deps.client, this.url, xml);
      if (this.deps.debug) this.say(`Response: ${XML_HEADER}${body}\n`);
      const reply = decodeOmahaReply(body);
      if (reply.apps.length === 0) return new Error(NO_APP_ERROR);
      return updateInfo(reply) ?? new Error(NIL_POINTER_ERROR);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (!this.json) this.say(this.stderrTerminal.error(`${error.message}\n`));
      return error;
    }
  }

  /**
   * Runs the command with the update in its environment and its output
   * passed through; waits for it unless interrupted. False when it could not
   * be started (the message is printed; the original exited 1).
   */
  private async runCommand(version: string, oldVersion: string, update: UpdateInfo): Promise<boolean> {
    const { command, args, appId, groupId } = this.opts;
    if (this.json) {
      const url = update.status === 'ok' ? update.url : undefined;
      this.say(eventLine({ event: 'update', appId, groupId, clientId: this.clientId, version, oldVersion: oldVersion || undefined, url }), this.deps.stdout);
    } else if (this.stderrTerminal.isTerminal) {
      // on a terminal only: a pipe gets the original's bytes
      this.say(this.stderrTerminal.update(`version ${version}${oldVersion ? ` (was ${oldVersion})` : ''}: running ${command}\n`));
    }
    const child = spawn(command, args, {
      cwd: this.deps.cwd,
      env: hookEnvironment(this.deps.env, appId, version, oldVersion, update),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // in JSON, stdout carries only the events
    child.stdout.on('data', (chunk: Buffer) => this.say(chunk, this.json ? this.deps.stderr : this.deps.stdout));
    child.stderr.on('data', (chunk: Buffer) => this.say(chunk, this.deps.stderr));
    const outcome = new Promise<string | undefined>((resolve) => {
      child.once('error', (err) => resolve(startErrorText(command, err)));
      child.once('exit', () => {
        // a background grandchild may hold the pipes open: do not wait for it
        const deadline = grace(OUTPUT_GRACE_MS);
        void Promise.all([endOf(child.stdout, deadline), endOf(child.stderr, deadline)]).then(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          resolve(undefined);
        });
      });
    });
    const failure = await this.untilInterrupted(outcome);
    if (typeof failure === 'string') {
      this.fail(failure);
      return false;
    }
    return true;
  }
}

export async function runWatch(opts: WatchOptions, deps: WatchDeps): Promise<number> {
  return new Watcher(opts, deps).run();
}

function optionsOf(f: FlagSet): WatchOptions {
  const [command = '', ...args] = f.positionals;
  return {
    appId: f.getString('app-id'),
    groupId: f.getString('group-id'),
    clientId: f.getString('client-id'),
    version: f.getString('version'),
    intervalSeconds: f.getNumber('interval'),
    command,
    args,
  };
}

/** The watch loop's dependencies from the CLI's (shared with the 0.x `watch` verb). */
export function watchDeps(d: Deps): WatchDeps {
  return {
    client: d.client(),
    server: d.globals.server,
    debug: d.globals.debug,
    stdout: d.stdout,
    stderr: d.stderr,
    log: (message) => d.log(message),
    env: d.env,
    cwd: d.cwd,
    untilInterrupted: () => d.untilInterrupted(),
    format: d.globals.output,
    terminal: d.terminal,
  };
}

function runFromFlags(f: FlagSet, d: Deps): Promise<number> | number {
  if (!allSet(f, 'app-id', 'group-id') || f.positionals.length === 0) return ExitCode.USAGE;
  if (f.getNumber('interval') <= 0) {
    // Go's ticker refuses a non-positive period (the original panicked)
    throw new FlagError('--interval must be a positive number of seconds');
  }
  return runWatch(optionsOf(f), watchDeps(d));
}

export const watch: CommandSpec = {
  name: 'watch',
  usage: '[OPTION]... <cmd> <args>',
  description: 'Poll the update service and run a command at start and whenever the offered version changes.',
  defineFlags: (f) =>
    f
      .int('interval', 1, 'Seconds between update checks.')
      .string('version', '0.0.0', 'Version to report at start.')
      .string('app-id', '', 'Id of the application whose updates to follow.')
      .string('group-id', '', 'Group of the application to follow.')
      .string('client-id', '', 'Client id to report as; a random UUID when not given.'),
  run: runFromFlags,
};
