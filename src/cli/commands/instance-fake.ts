// `instance fake`: simulated update clients that talk Omaha to the server
// until interrupted. Each instance is a small async loop (see fake/instance.ts);
// they share one keep-alive connection pool, one cap on requests in flight
// and batched output, so ten thousand of them run from one process.
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiClient } from '../../api/client.js';
import { allSet, ExitCode, type CommandSpec, type Deps, type Output } from '../command.js';
import { FakeInstance, fakeEventText, type FakeEvent, type FleetRuntime, type FleetSettings } from '../fake/instance.js';
import { BatchedOutput, grace, Limiter, Sleeper } from '../fake/runtime.js';
import type { FlagSet } from '../flags.js';
import { logLine } from '../output.js';
import { eventLine, type OutputFormat } from '../render.js';
import { PLAIN, type Terminals } from '../terminal.js';

export interface FakeOptions {
  appId: string;
  groupId: string;
  clientsPerApp: number;
  /** Seconds between update checks: a whole number in [min, max). */
  minSleep: number;
  maxSleep: number;
  /** Percent chance that an update step fails (a draw from 0..99 is <= it). */
  errorRate: number;
  oem: string;
  /** Pings sent after an instance's first update, before it reports it done. */
  pingOnly: number;
  /** Version the instances start at. */
  version: string;
  /** Checks say installsource="ondemandupdate" instead of "scheduler". */
  forceUpdate: boolean;
  /** Print each request and the decoded reply. */
  verbose: boolean;
}

export interface FakeDeps {
  server: string;
  skipSslVerify: boolean;
  stdout: Output;
  stderr: Output;
  untilInterrupted(): Promise<void>;
  /** Uniform in [0, 1); tests may pin it. */
  random?: () => number;
  /** Length of a second in milliseconds (default 1000); tests shrink it. */
  secondMs?: number;
  /** `json`: one JSON object a line per event instead of the original's lines. */
  format?: OutputFormat;
  /** Colour on a terminal: updates green, failures red, simulated failures yellow. */
  terminal?: Terminals;
}

/** An event as one JSON line: what happened, to which instance of which app and group. */
function fakeEventJson(settings: FleetSettings, clientId: string, e: FakeEvent): string {
  const { event, ...detail } = e;
  return eventLine({ event, clientId, appId: settings.appId, groupId: settings.groupId, ...detail });
}

/** Connections (and requests in flight) at most, whatever the number of instances. */
const MAX_CONNECTIONS = 128;
/** How long a stop waits for requests in flight before giving up on them. */
const STOP_GRACE_MS = 2000;

/**
 * A machine id the original way: `deadbeef`, 6 hex digits shared by the run
 * (so one run's instances are easy to spot), then the last 18 hex digits of
 * a random UUID: 32 hex digits in all.
 */
export function fakeMachineId(runPrefix: string): string {
  return runPrefix + randomUUID().replaceAll('-', '').slice(14);
}

export function fakeRunPrefix(): string {
  return 'deadbeef' + randomBytes(3).toString('hex');
}

export async function runFakeInstances(opts: FakeOptions, deps: FakeDeps): Promise<number> {
  const count = Math.max(0, opts.clientsPerApp);
  const connections = Math.max(1, Math.min(count, MAX_CONNECTIONS));
  const settings: FleetSettings = {
    updateUrl: new URL(`${deps.server.replace(/\/+$/, '')}/v1/update/`),
    appId: opts.appId,
    groupId: opts.groupId,
    oem: opts.oem,
    errorRate: opts.errorRate,
    minSleep: opts.minSleep,
    maxSleep: opts.maxSleep,
    pingOnly: opts.pingOnly,
    forceUpdate: opts.forceUpdate,
    verbose: opts.verbose,
    secondMs: deps.secondMs ?? 1000,
  };
  const client = new ApiClient({ server: deps.server, user: '', key: '', skipSslVerify: deps.skipSslVerify, connections });
  const stdout = new BatchedOutput(deps.stdout);
  const stderr = new BatchedOutput(deps.stderr);
  const terminal = deps.terminal ?? { stdout: PLAIN, stderr: PLAIN };
  const rt: FleetRuntime = {
    client,
    sleeper: new Sleeper(),
    limiter: new Limiter(connections),
    report:
      deps.format === 'json'
        ? (clientId, event) => stdout.write(fakeEventJson(settings, clientId, event))
        : (clientId, event) => {
            const text = fakeEventText(clientId, event);
            stdout.write(event.event === 'updated' ? terminal.stdout.update(text) : text);
          },
    log: (message) => stderr.write(terminal.stderr.error(logLine(message))),
    warn: (message) => stderr.write(terminal.stderr.warning(logLine(message))),
    random: deps.random ?? Math.random,
  };

  const prefix = fakeRunPrefix();
  const runs: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const instance = new FakeInstance(fakeMachineId(prefix), opts.version, settings, rt);
    runs.push(instance.run().catch((err: unknown) => rt.log(err instanceof Error ? err.message : String(err))));
  }

  await deps.untilInterrupted();
  // what was printed so far goes out; what the stop itself causes does not
  stdout.close();
  stderr.close();
  rt.sleeper.stop();
  rt.limiter.close();
  const settled = await Promise.race([Promise.all(runs).then(() => true), grace(STOP_GRACE_MS).then(() => false)]);
  // closing waits for requests in flight: only when none are left
  if (settled) await client.close();
  else void client.close().catch(() => undefined);
  return ExitCode.OK;
}

function optionsOf(f: FlagSet): FakeOptions {
  return {
    appId: f.getString('app-id'),
    groupId: f.getString('group-id'),
    clientsPerApp: f.getNumber('clients-per-app'),
    minSleep: f.getNumber('min-sleep'),
    maxSleep: f.getNumber('max-sleep'),
    errorRate: f.getNumber('errorrate'),
    oem: f.getString('oem'),
    pingOnly: f.getNumber('ping-only'),
    version: f.getString('version'),
    forceUpdate: f.getBool('force-update'),
    verbose: f.getBool('verbose'),
  };
}

function depsOf(d: Deps): FakeDeps {
  return {
    server: d.globals.server,
    skipSslVerify: d.globals.skipSslVerify,
    stdout: d.stdout,
    stderr: d.stderr,
    untilInterrupted: () => d.untilInterrupted(),
    format: d.globals.output,
    terminal: d.terminal,
  };
}

export const instanceFake: CommandSpec = {
  name: 'instance fake',
  summary: 'Simulate update clients.',
  usage: '[OPTION]...',
  description: 'Run simulated instances that check for updates and report progress until interrupted.',
  defineFlags: (f) =>
    f
      .string('app-id', '', 'Application the instances run.')
      .string('group-id', '', 'Group (track) the instances belong to.')
      .int('clients-per-app', 20, 'How many instances to simulate.')
      .int('min-sleep', 1, 'Shortest pause between update checks, in seconds.')
      .int('max-sleep', 10, 'Longest pause between update checks, in seconds.')
      .int('errorrate', 1, 'Steps fail when a draw from 0 to 99 is at most this: 1 fails about 2 in 100, 0 still 1 in 100 (as the original), -1 never.')
      .string('oem', 'fakeclient', 'OEM name the instances report.')
      .int('ping-only', 0, 'After an update, only send this many pings before reporting it done.')
      .string('version', '0.0.0', 'Version the instances start at.')
      .bool('force-update', false, 'Ask for updates even when the group is rate limited.')
      .bool('verbose', false, 'Print each request and reply.'),
  run: (f, d) => (allSet(f, 'app-id', 'group-id') ? runFakeInstances(optionsOf(f), depsOf(d)) : ExitCode.USAGE),
};
