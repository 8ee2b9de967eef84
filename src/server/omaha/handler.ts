// The protocol side of the Omaha endpoint: one parsed request in, one reply
// out. For every <app>: find the app and group, record the report (instance,
// events, counters) and answer its updatecheck, ping and events together.
// Decisions come from decide.ts; storage from the OmahaStorage given.
import { OMAHA_PROTOCOL, SERVER_NAME, type OmahaRequest, type OmahaResponse, type RequestApp, type ResponseApp } from '../../omaha/index.js';
import { isStorageUnavailable } from '../db/tx.js';
import { canonicalAppId } from '../validate.js';
import { compareVersions } from '../versions.js';
import { groupPolicy, resolveTrack, type AppEntry, type Catalog, type GroupEntry } from './catalog.js';
import { decide, type Decision, type DecisionInput } from './decide.js';
import type { Recorder } from './recorder.js';
import { dayStart, updateManifest } from './reply.js';
import type { OmahaStorage, SeenPatch } from './storage.js';

/** A client value the service refuses to store (answered with HTTP 400). */
export class OmahaInputError extends Error {}

// What we store and compare: printable ASCII without spaces, bounded.
const MACHINE_ID = /^[\x21-\x7e]{1,128}$/;
const VERSION = /^[\x21-\x7e]{1,64}$/;
const OEM = /^[\x20-\x7e]{0,64}$/;
/** `installsource` of a forced check (update_engine_client -check_for_update). */
const ONDEMAND = 'ondemandupdate';

// Clients send the same few app ids (with braces, upper case) over and over.
const canonicalIds = new Map<string, string>();
function canonicalId(raw: string): string {
  let id = canonicalIds.get(raw);
  if (id === undefined) {
    id = canonicalAppId(raw);
    if (canonicalIds.size >= 1_000) canonicalIds.clear();
    canonicalIds.set(raw, id);
  }
  return id;
}

export interface HandlerDeps {
  catalog: Catalog;
  storage: OmahaStorage;
  recorder: Recorder;
  /** Called with every decision (metrics, debug logs, tests). */
  onDecision?: (info: { appId: string; groupId: string; machineId: string; decision: Decision }) => void;
}

export interface RequestContext {
  ip: string;
  baseUrl: string;
  now?: number;
}

/** Rejects values that cannot be stored; throws OmahaInputError. */
export function validateApp(app: RequestApp): void {
  if (app.machineId !== undefined && app.machineId !== '' && !MACHINE_ID.test(app.machineId)) {
    throw new OmahaInputError('machineid must be 1-128 printable ASCII characters without spaces');
  }
  if (app.version !== undefined && app.version !== '' && !VERSION.test(app.version)) {
    throw new OmahaInputError('version must be 1-64 printable ASCII characters without spaces');
  }
  if (app.oem !== undefined && !OEM.test(app.oem)) throw new OmahaInputError('oem must be at most 64 printable ASCII characters');
}

export async function handleRequest(deps: HandlerDeps, request: OmahaRequest, ctx: RequestContext): Promise<OmahaResponse> {
  for (const app of request.apps) validateApp(app);
  const now = ctx.now ?? Date.now();
  const apps: ResponseApp[] = [];
  for (const app of request.apps) apps.push(await handleApp(deps, request, app, ctx, now));
  return { protocol: OMAHA_PROTOCOL, server: SERVER_NAME, dayStart: dayStart(now), apps };
}

async function handleApp(deps: HandlerDeps, request: OmahaRequest, app: RequestApp, ctx: RequestContext, now: number): Promise<ResponseApp> {
  const reply: ResponseApp = { appId: app.appId, status: 'ok', events: app.events.map(() => ({ status: 'ok' })) };
  if (app.ping) reply.ping = { status: 'ok' };
  const fail = (status: string) => {
    reply.status = status;
    if (app.updateCheck) reply.updateCheck = { status };
    return reply;
  };

  const appId = canonicalId(app.appId);
  const entry = await deps.catalog.app(appId, now);
  if (!entry) return fail('error-unknownApplication');
  const group = resolveTrack(entry, app.track);
  if (!group) return fail('error-unknownGroup');

  const machineId = app.machineId ?? '';
  const version = app.version ?? '';
  // Without a machine id there is nobody to record or to grant to.
  if (machineId === '') {
    if (app.updateCheck) reply.updateCheck = { status: 'noupdate' };
    return reply;
  }

  const { storage, recorder } = deps;
  const stored = await storage.getInstance(appId, machineId);
  const prior = recorder.overlay(appId, machineId, stored);
  const installSource = request.installSource ?? '';
  const seen: SeenPatch = { appId, id: machineId, groupId: group.row.id, version, oem: app.oem ?? '', ip: ctx.ip, at: now };
  recorder.record({ seen, events: app.events, installSource }, prior);

  if (app.updateCheck) {
    const decision = version === '' ? ({ kind: 'noupdate', reason: 'up-to-date' } as const) : await decideFor(deps, entry, group, app, seen, stored, installSource === ONDEMAND);
    deps.onDecision?.({ appId, groupId: group.row.id, machineId, decision });
    reply.updateCheck = decision.kind === 'noupdate' ? { status: 'noupdate' } : updateManifest(decision.pkg, ctx.baseUrl);
  }
  return reply;
}

async function decideFor(
  deps: HandlerDeps,
  entry: AppEntry,
  group: GroupEntry,
  app: RequestApp,
  seen: SeenPatch,
  stored: Awaited<ReturnType<HandlerDeps['storage']['getInstance']>>,
  onDemand: boolean,
): Promise<Decision> {
  const { catalog, storage, recorder } = deps;
  const appId = entry.appId;
  const { id: machineId, version, at: now } = seen;
  const channelVersion = group.row.channel_id ? entry.channels.get(group.row.channel_id) : undefined;
  // Cheap exit for the common case: already on (or past) the channel's version.
  if (channelVersion !== undefined && compareVersions(version, channelVersion) >= 0) return { kind: 'noupdate', reason: 'up-to-date' };
  const channelPackage = channelVersion !== undefined ? await catalog.package(entry, channelVersion) : undefined;

  // The state after this request's events (a 3/2 on the new version finishes a grant).
  const state = recorder.overlay(appId, machineId, stored);
  const grantedVersion = state?.grantedVersion ?? null;
  const input: DecisionInput = {
    now,
    group: group.policy,
    channelVersion,
    channelPackage,
    instance: {
      machineId,
      version,
      oem: app.oem ?? '',
      onDemand,
      granted: grantedVersion !== null ? { version: grantedVersion, pkg: await catalog.package(entry, grantedVersion) } : undefined,
    },
  };
  const first = decide(input);
  if (first.kind !== 'grant') return first;

  // A new grant: decided again and written under the group's lock before we answer.
  const pending = (await recorder.take(appId, machineId)) ?? { seen };
  try {
    const outcome = await storage.grant({
      appId,
      groupId: group.row.id,
      instanceId: machineId,
      now,
      seen: pending,
      decide: (row, grantsInWindow) => decide({ ...input, group: groupPolicy(row, group.policy.frames), grantsInWindow }),
    });
    return outcome === 'group-gone' ? { kind: 'noupdate', reason: 'no-channel' } : outcome;
  } catch (err) {
    recorder.restore(pending);
    // A machine is never told to update without a durable grant; it checks again later.
    if (isStorageUnavailable(err)) return { kind: 'noupdate', reason: 'grant-not-stored' };
    throw err;
  }
}

