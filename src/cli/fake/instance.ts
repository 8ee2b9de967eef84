// One simulated instance of `instance fake`, following the original's
// client loop: sleep, check for updates, and when one is offered walk the
// download/install events (each may fail at random), optionally ping while
// "waiting for a reboot", then report the new version from a new boot.
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../../api/client.js';
import { EventResult, EventType, XML_HEADER, buildResponse, type OmahaResponse, type RequestApp } from '../../omaha/index.js';
import { clientRequest, decodeOmahaReply, NIL_POINTER_ERROR, NO_APP_ERROR, omitEmpty, postOmaha } from './omaha-http.js';
import type { Limiter, Sleeper } from './runtime.js';

/** Settings shared by every instance of a run. */
export interface FleetSettings {
  /** `<server>/v1/update/`, as the original built it. */
  updateUrl: URL;
  appId: string;
  groupId: string;
  oem: string;
  /** Chance in percent; a step fails when a draw from 0..99 is <= this. */
  errorRate: number;
  /** Seconds. */
  minSleep: number;
  maxSleep: number;
  /** Pings sent after the first update an instance installs. */
  pingOnly: number;
  forceUpdate: boolean;
  verbose: boolean;
  /** Length of a second in milliseconds: 1000, except in tests. */
  secondMs: number;
}

/** What an instance reports on stdout. */
export type FakeEvent =
  /** A check answered without an update: `noupdate`, `error-…`. */
  | { event: 'status'; status: string }
  | { event: 'updated'; oldVersion: string; version: string }
  /** A reply the original could not use (it recovered from a panic there). */
  | { event: 'error'; message: string }
  /** With --verbose: each exchange. */
  | { event: 'request'; xml: string }
  | { event: 'response'; xml: string };

/** An event as the original printed it. */
export function fakeEventText(clientId: string, e: FakeEvent): string {
  switch (e.event) {
    case 'status':
      return `${clientId}: ${e.status}\n`;
    case 'updated':
      return `${clientId}: updated from ${e.oldVersion} to ${e.version}\n`;
    case 'error':
      return `${clientId}: ${clientId}: error setting version: ${e.message}\n`;
    case 'request':
      return `${clientId}: request: ${e.xml}\n`;
    case 'response':
      return `${clientId}: response: ${e.xml}\n`;
  }
}

/** What the instances of a run share. */
export interface FleetRuntime {
  client: ApiClient;
  sleeper: Sleeper;
  limiter: Limiter;
  /** An instance's event on stdout, as the original's fmt.Printf (or a JSON line). */
  report(clientId: string, event: FakeEvent): void;
  /** A timestamped line on stderr, as the original's log.Print. */
  log(message: string): void;
  /** The same for a simulated failure, which the instance recovers from (yellow on a terminal). */
  warn(message: string): void;
  /** Uniform in [0, 1). */
  random(): number;
}

/** The steps of an update, each reported with an event (type, result). */
const UPDATE_STEPS: ReadonlyArray<readonly [number, number]> = [
  [EventType.UpdateDownloadStarted, EventResult.Success],
  [EventType.UpdateDownloadFinished, EventResult.Success],
  [EventType.UpdateComplete, EventResult.Success],
];
/** Sent with the update check, and after a "reboot" into the new version. */
const RUNNING: readonly [number, number] = [EventType.UpdateComplete, EventResult.SuccessReboot];
const FAILED: readonly [number, number] = [EventType.UpdateComplete, EventResult.Error];
/** The errorcode the original attached to every failure event. */
const FAILURE_CODE = 2000;

interface Message {
  event?: readonly [number, number];
  updateCheck?: boolean;
  ping?: boolean;
}

/** The Go client's randSleep: an integer number of seconds in [min, max), or max when max <= min. */
export function sleepSeconds(minSleep: number, maxSleep: number, random: () => number): number {
  return maxSleep - minSleep > 0 ? Math.floor(random() * (maxSleep - minSleep)) + minSleep : maxSleep;
}

export class FakeInstance {
  private sessionId = randomUUID();
  private version: string;
  private pingsRemaining: number;

  constructor(
    readonly id: string,
    startVersion: string,
    private readonly settings: FleetSettings,
    private readonly rt: FleetRuntime,
  ) {
    this.version = startVersion;
    this.pingsRemaining = settings.pingOnly;
  }

  /** Runs until the sleeper is stopped. */
  async run(): Promise<void> {
    const { minSleep, maxSleep } = this.settings;
    while (await this.rt.sleeper.sleep(sleepSeconds(minSleep, maxSleep, this.rt.random) * this.settings.secondMs)) {
      let reply: OmahaResponse;
      try {
        reply = await this.send({ updateCheck: true, event: RUNNING });
      } catch (err) {
        this.rt.log(messageOf(err));
        continue;
      }
      await this.handleReply(reply);
    }
  }

  private get stopped(): boolean {
    return this.rt.sleeper.stopped;
  }

  private report(event: FakeEvent): void {
    this.rt.report(this.id, event);
  }

  /** Where the original recovered from a panic on a reply it indexed blindly. */
  private printPanic(message: string): void {
    this.report({ event: 'error', message });
  }

  private async handleReply(reply: OmahaResponse): Promise<void> {
    const app = reply.apps[0];
    if (!app) return this.printPanic(NO_APP_ERROR);
    const check = app.updateCheck;
    if (!check) return this.printPanic(NIL_POINTER_ERROR);
    if (check.status !== 'ok') return this.report({ event: 'status', status: check.status });

    for (const [i, step] of UPDATE_STEPS.entries()) {
      if (i > 0 && !(await this.rt.sleeper.sleep(this.settings.secondMs))) return;
      if (!(await this.reportStep(step))) return;
    }
    // stand-in for a reboot lock: only the first update waits
    for (; this.pingsRemaining > 0; this.pingsRemaining--) {
      await this.send({ ping: true }).catch(() => undefined);
      if (!(await this.rt.sleeper.sleep(this.settings.secondMs))) return;
    }
    if (this.stopped) return;
    if (!check.manifest) return this.printPanic(NIL_POINTER_ERROR);

    this.report({ event: 'updated', oldVersion: this.version, version: check.manifest.version });
    this.version = check.manifest.version;
    try {
      await this.send({ event: RUNNING });
    } catch (err) {
      this.rt.log(messageOf(err));
    }
    this.sessionId = randomUUID();
  }

  /**
   * Reports one update step, or a failure instead with the chance set by
   * --errorrate; after a failure the step is reported once more and the
   * update abandoned. True when the update may go on.
   */
  private async reportStep(step: readonly [number, number]): Promise<boolean> {
    const fails = Math.floor(this.rt.random() * 100) <= this.settings.errorRate;
    let error: unknown;
    try {
      await this.send({ event: fails ? FAILED : step });
    } catch (err) {
      error = err;
    }
    if (fails) {
      this.rt.warn(`failed to update in eventType: ${step[0]}, eventResult: ${step[1]}. Retrying.`);
      if (await this.rt.sleeper.sleep(this.settings.minSleep * this.settings.secondMs)) {
        await this.send({ event: step }).catch(() => undefined);
      }
      return false;
    }
    if (error !== undefined) {
      this.rt.log(messageOf(error));
      return false;
    }
    return !this.stopped;
  }

  private requestXml(message: Message): string {
    const s = this.settings;
    const app: RequestApp = {
      appId: s.appId,
      version: omitEmpty(this.version),
      track: omitEmpty(s.groupId),
      bootId: this.sessionId,
      machineId: this.id,
      oem: omitEmpty(s.oem),
      events: [],
    };
    if (message.updateCheck) app.updateCheck = {};
    if (message.ping) app.ping = { r: '1', status: '1' };
    if (message.event) {
      const [eventType, eventResult] = message.event;
      app.events.push({ eventType, eventResult, errorCode: eventResult === EventResult.Error ? FAILURE_CODE : undefined });
    }
    return clientRequest(app, s.forceUpdate ? 'ondemandupdate' : 'scheduler');
  }

  /** One exchange, within the run's cap on requests in flight. */
  private async send(message: Message): Promise<OmahaResponse> {
    if (!(await this.rt.limiter.acquire())) throw new Error('stopped');
    // built once a slot is held: thousands of waiters need not hold their documents
    const xml = this.requestXml(message);
    let body: string;
    try {
      body = await postOmaha(this.rt.client, this.settings.updateUrl, xml);
    } finally {
      this.rt.limiter.release();
    }
    const reply = decodeOmahaReply(body);
    if (this.settings.verbose) {
      this.report({ event: 'request', xml });
      this.report({ event: 'response', xml: buildResponse(reply).slice(XML_HEADER.length).trimEnd() });
    }
    return reply;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
