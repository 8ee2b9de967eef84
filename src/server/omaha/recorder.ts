// Write-behind recording of what instances report. Checks and events only
// update the instance row, append to the event log and bump rollup counters:
// none of that has to be durable before the reply, so it is buffered here and
// written every `intervalMs` (and on close) by the storage's applyBatch (on
// SQLite, by a worker thread: sqlite-writer.ts). Grants do not
// go through the buffer: the grant transaction takes the instance's pending
// report with it (take()) so the two can never be applied out of order.
import { maskErrorCode } from '../../omaha/index.js';
import { compareVersions } from '../versions.js';
import {
  RESOLUTIONS,
  BatchWriteError,
  type EventCount,
  type EventInsert,
  type InstanceState,
  type OmahaStorage,
  type PendingInstance,
  type SeenPatch,
  type StatePatch,
  type VersionCount,
  type WriteBatch,
} from './storage.js';

/** An event as the request carries it (RequestEvent's fields). */
export interface ReportedEvent {
  eventType: number;
  eventResult: number;
  errorCode?: number;
  previousVersion?: string;
}

export interface Report {
  seen: SeenPatch;
  events: readonly ReportedEvent[];
  installSource: string;
}

export interface RecorderOptions {
  intervalMs?: number;
  /** Buffered rows that trigger an immediate flush. */
  maxPending?: number;
  onError?: (err: unknown) => void;
}

export const instanceKey = (appId: string, id: string) => `${appId}\u0000${id}`;

/** The instance status an event leads to, given the granted version (undefined: no change). */
export function statusAfterEvent(e: ReportedEvent, version: string, grantedVersion: string | null): StatePatch | undefined {
  const key = `${e.eventType}/${e.eventResult}`;
  switch (key) {
    case '13/1':
      return { status: 'downloading' };
    case '14/1':
      return { status: 'downloaded' };
    case '3/1':
    case '800/1':
      return { status: 'installed' };
    case '3/2':
      // update_engine attaches 3/2 to every check: it completes only a grant the version now satisfies.
      return grantedVersion !== null && compareVersions(version, grantedVersion) >= 0 ? { status: 'complete', clearGrant: true } : undefined;
    case '3/0':
      return { status: 'error' };
    default:
      return undefined;
  }
}

function mergeState(a: StatePatch | undefined, b: StatePatch | undefined): StatePatch | undefined {
  if (!a) return b;
  if (!b) return a;
  return {
    status: b.status ?? a.status,
    event: b.event ?? a.event,
    clearGrant: a.clearGrant || b.clearGrant,
  };
}

/**
 * What one report writes: the instance's new state, its event rows, and the
 * rollup counters it bumps (a version counter only for the instance's first
 * report in a bucket, so the rollup counts distinct instances). Pure.
 */
export function computeReport(report: Report, prior: InstanceState | undefined): WriteBatch & { instance: PendingInstance } {
  const { seen } = report;
  const versionCounts: VersionCount[] = [];
  const eventCounts: EventCount[] = [];
  const events: EventInsert[] = [];
  const sec = Math.floor(seen.at / 1000);
  const priorSec = prior ? Math.floor(prior.lastSeen / 1000) : 0;
  const sameSeries = prior !== undefined && prior.groupId === seen.groupId && prior.version === seen.version;
  for (const res of RESOLUTIONS) {
    const bucket = sec - (sec % res);
    if (sameSeries && priorSec - (priorSec % res) === bucket) continue;
    versionCounts.push({ appId: seen.appId, groupId: seen.groupId, resolution: res, bucket, version: seen.version, count: 1 });
  }

  let granted = prior?.grantedVersion ?? null;
  let state: StatePatch | undefined;
  for (const e of report.events) {
    const errorCode = e.errorCode === undefined ? null : maskErrorCode(e.errorCode);
    const change = statusAfterEvent(e, seen.version, granted);
    if (change?.clearGrant) granted = null;
    state = mergeState(state, { ...change, event: { type: e.eventType, result: e.eventResult, errorCode } });
    events.push({
      appId: seen.appId,
      groupId: seen.groupId,
      instanceId: seen.id,
      version: seen.version,
      previousVersion: e.previousVersion ?? '',
      type: e.eventType,
      result: e.eventResult,
      errorCode,
      installSource: report.installSource,
      at: seen.at,
    });
    for (const res of RESOLUTIONS) {
      eventCounts.push({
        appId: seen.appId, groupId: seen.groupId, resolution: res, bucket: sec - (sec % res),
        version: seen.version, type: e.eventType, result: e.eventResult, count: 1,
      });
    }
  }
  // Back on a version at least the granted one, with or without a 3/2 event: done.
  if (granted !== null && compareVersions(seen.version, granted) >= 0) {
    state = mergeState(state, { status: 'complete', clearGrant: true });
  }
  const instance: PendingInstance = state ? { seen, state } : { seen };
  return { instance, instances: [instance], events, versionCounts, eventCounts };
}

export class Recorder {
  private instances = new Map<string, PendingInstance>();
  private inFlight = new Map<string, PendingInstance>();
  private events: EventInsert[] = [];
  private versionCounts = new Map<string, VersionCount>();
  private eventCounts = new Map<string, EventCount>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly storage: OmahaStorage,
    private readonly options: RecorderOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 100;
    this.maxPending = options.maxPending ?? 20_000;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush().catch(this.options.onError ?? (() => {})), this.intervalMs);
    this.timer.unref();
  }

  /** The stored state with what is still buffered laid over it. */
  overlay(appId: string, id: string, stored: InstanceState | undefined): InstanceState | undefined {
    const key = instanceKey(appId, id);
    let state = stored;
    for (const p of [this.inFlight.get(key), this.instances.get(key)]) {
      if (!p) continue;
      state = {
        groupId: p.seen.groupId,
        version: p.seen.version,
        lastSeen: p.seen.at,
        status: p.state?.status ?? state?.status ?? '',
        grantedVersion: p.state?.clearGrant ? null : (state?.grantedVersion ?? null),
      };
    }
    return state;
  }

  /**
   * Buffers a request's report for one app: the instance row, its events,
   * and the rollup counters. `prior` is the overlaid state before this request.
   */
  record(report: Report, prior: InstanceState | undefined): void {
    const r = computeReport(report, prior);
    for (const c of r.versionCounts) this.addVersion(c);
    for (const c of r.eventCounts) this.addEvent(c);
    for (const e of r.events) this.events.push(e);
    const key = instanceKey(report.seen.appId, report.seen.id);
    const pending = this.instances.get(key);
    this.instances.set(key, { seen: report.seen, state: mergeState(pending?.state, r.instance.state) });
    if (this.instances.size + this.events.length >= this.maxPending) void this.flush().catch(this.options.onError ?? (() => {}));
  }

  /** Removes and returns the instance's buffered report (the grant transaction writes it). */
  async take(appId: string, id: string): Promise<PendingInstance | undefined> {
    const key = instanceKey(appId, id);
    // A flush carrying this instance must land first.
    while (this.inFlight.has(key) && this.flushing) await this.flushing.catch(() => {});
    const p = this.instances.get(key);
    this.instances.delete(key);
    return p;
  }

  /** Puts back a report take() returned when the grant transaction failed. */
  restore(p: PendingInstance): void {
    const key = instanceKey(p.seen.appId, p.seen.id);
    const newer = this.instances.get(key);
    this.instances.set(key, newer ? { seen: newer.seen, state: mergeState(p.state, newer.state) } : p);
  }

  private addVersion(c: VersionCount): void {
    const key = `${c.appId}\u0000${c.groupId}\u0000${c.resolution}\u0000${c.bucket}\u0000${c.version}`;
    const cur = this.versionCounts.get(key);
    if (cur) cur.count += c.count;
    else this.versionCounts.set(key, c);
  }

  private addEvent(c: EventCount): void {
    const key = `${c.appId}\u0000${c.groupId}\u0000${c.resolution}\u0000${c.bucket}\u0000${c.version}\u0000${c.type}\u0000${c.result}`;
    const cur = this.eventCounts.get(key);
    if (cur) cur.count += c.count;
    else this.eventCounts.set(key, c);
  }

  get pending(): number {
    return this.instances.size + this.events.length + this.versionCounts.size + this.eventCounts.size;
  }

  /** Writes everything buffered so far (waits for a flush already running, then runs one). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
    if (this.pending === 0) return;
    this.inFlight = this.instances;
    this.instances = new Map();
    const events = this.events;
    const versionCounts = this.versionCounts;
    const eventCounts = this.eventCounts;
    this.events = [];
    this.versionCounts = new Map();
    this.eventCounts = new Map();
    const batch = {
      instances: [...this.inFlight.values()],
      events,
      versionCounts: [...versionCounts.values()],
      eventCounts: [...eventCounts.values()],
    };
    this.flushing = (async () => {
      try {
        await this.storage.applyBatch(batch);
      } catch (err) {
        // Keep what was not written for the next attempt (bounded), newer reports winning.
        const left = err instanceof BatchWriteError ? err.remaining : batch;
        for (const p of left.instances) this.restore(p);
        if (this.events.length < this.maxPending * 10) this.events.unshift(...left.events);
        for (const c of left.versionCounts) this.addVersion(c);
        for (const c of left.eventCounts) this.addEvent(c);
        throw err;
      } finally {
        this.inFlight = new Map();
        this.flushing = undefined;
      }
    })();
    await this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
