// What the Omaha engine needs from the database, engine-neutral. Two
// implementations: storage-sqlite.ts (better-sqlite3, synchronous prepared
// statements, BEGIN IMMEDIATE for grants) and storage-pg.ts (pg pool,
// SELECT … FOR UPDATE on the group row for grants). The SQL text is shared:
// written with `?` placeholders, numbered for PostgreSQL.
import type { FrameRow, GroupRow } from '../db/schema.js';
import type { Decision, PackageInfo } from './decide.js';

export interface InstanceState {
  groupId: string;
  version: string;
  status: string;
  grantedVersion: string | null;
  lastSeen: number;
}

/** What a request says about an instance (written for every check and event). */
export interface SeenPatch {
  appId: string;
  id: string;
  groupId: string;
  version: string;
  oem: string;
  ip: string;
  at: number;
}

/** What events change; undefined fields stay. */
export interface StatePatch {
  status?: string;
  /** Set together with the event fields: the last event's code, null for none. */
  event?: { type: number; result: number; errorCode: number | null };
  /** The granted update is finished (or abandoned): forget it. */
  clearGrant?: boolean;
}

export interface PendingInstance {
  seen: SeenPatch;
  state?: StatePatch;
}

export interface EventInsert {
  appId: string;
  groupId: string;
  instanceId: string;
  version: string;
  previousVersion: string;
  type: number;
  result: number;
  errorCode: number | null;
  installSource: string;
  at: number;
}

export interface VersionCount {
  appId: string;
  groupId: string;
  resolution: number;
  bucket: number;
  version: string;
  count: number;
}

export interface EventCount extends VersionCount {
  type: number;
  result: number;
}

export interface WriteBatch {
  instances: PendingInstance[];
  events: EventInsert[];
  versionCounts: VersionCount[];
  eventCounts: EventCount[];
}

/** Rows of a batch, in the order they are written: instances, events, version counts, event counts. */
export const batchRows = (b: WriteBatch): number => b.instances.length + b.events.length + b.versionCounts.length + b.eventCounts.length;

/** What is left of a batch after its first `committed` rows (in batchRows order) were written. */
export function batchAfter(b: WriteBatch, committed: number): WriteBatch {
  let skip = committed;
  const cut = <T>(rows: T[]): T[] => {
    const n = Math.min(skip, rows.length);
    skip -= n;
    return n === 0 ? rows : rows.slice(n);
  };
  return { instances: cut(b.instances), events: cut(b.events), versionCounts: cut(b.versionCounts), eventCounts: cut(b.eventCounts) };
}

/** applyBatch failed after part of the batch was committed: `remaining` was not written. */
export class BatchWriteError extends Error {
  constructor(
    readonly remaining: WriteBatch,
    options?: ErrorOptions,
  ) {
    super(`writing instance reports failed: ${(options?.cause as Error | undefined)?.message ?? 'unknown error'}`, options);
  }
}

export interface AppCatalogRows {
  groups: GroupRow[];
  frames: FrameRow[];
  channels: Array<{ label: string; version: string }>;
}

export interface GrantAttempt {
  appId: string;
  groupId: string;
  instanceId: string;
  now: number;
  /** The instance's report, written with the grant. */
  seen: PendingInstance;
  /** Decides again on the locked, fresh group row and the grants in its window. */
  decide(group: GroupRow, grantsInWindow: number): Decision;
}

export interface PruneResult {
  events: number;
  instances: number;
  grants: number;
  rollups: number;
}

export interface OmahaStorage {
  /** Bumped by triggers when apps, channels, packages, groups or frames change. */
  generation(): Promise<number>;
  /** Groups, frames and channels of an app; undefined when the app does not exist. */
  loadApp(appId: string): Promise<AppCatalogRows | undefined>;
  loadPackage(appId: string, version: string): Promise<PackageInfo | undefined>;
  getInstance(appId: string, id: string): Promise<InstanceState | undefined>;
  /**
   * Serialised in the database (row lock / BEGIN IMMEDIATE): re-reads the
   * group, counts grants in its window, decides, and when it grants records
   * the grant and the instance's granted state before returning.
   */
  grant(attempt: GrantAttempt): Promise<Decision | 'group-gone'>;
  /** Applies buffered writes (in one or more transactions); a BatchWriteError says what was not written. */
  applyBatch(batch: WriteBatch): Promise<void>;
  /** Deletes events, grants and rollup rows older than `beforeMs`, and instances not seen since. */
  prune(beforeMs: number): Promise<PruneResult>;
}

/** Rollup resolutions kept, in seconds. */
export const RESOLUTIONS = [60, 3600, 86400] as const;

// ---- shared SQL ------------------------------------------------------------

/**
 * Where PostgreSQL takes a KEY SHARE lock on the group row (the marker is an
 * SQL comment, so SQLite, whose writers are serialised anyway, ignores it): a
 * report written while its group is being deleted waits for that delete, and
 * is then dropped; a delete waits for reports in flight, then removes them.
 */
export const KEY_SHARE_MARKER = '/* key share */';
/** The condition on a report row, with the (app id, group id) parameters last. */
const IF_GROUP = `WHERE EXISTS (SELECT 1 FROM groups WHERE groups.app_id = CAST(? AS TEXT) AND groups.id = CAST(? AS TEXT) ${KEY_SHARE_MARKER})`;

export const SQL = {
  generation: 'SELECT n FROM catalog_generation WHERE id = 1',
  appExists: 'SELECT id FROM apps WHERE id = ?',
  groups: 'SELECT * FROM groups WHERE app_id = ?',
  frames: 'SELECT * FROM rollout_frames WHERE app_id = ? ORDER BY group_id, position',
  channels: 'SELECT label, version FROM channels WHERE app_id = ?',
  pkg: 'SELECT * FROM packages WHERE app_id = ? AND version = ?',
  instance: 'SELECT group_id, version, status, granted_version, last_seen FROM instances WHERE app_id = ? AND id = ?',
  group: 'SELECT * FROM groups WHERE app_id = ? AND id = ?',
  grantsSince: 'SELECT count(*) AS n FROM grants WHERE app_id = ? AND group_id = ? AND granted_at > ?',
  insertGrant: 'INSERT INTO grants (app_id, group_id, instance_id, version, granted_at) VALUES (?, ?, ?, ?, ?)',
  markGranted:
    "UPDATE instances SET granted_version = ?, granted_at = ?, status = 'granted', error_code = NULL WHERE app_id = ? AND id = ?",
  // The instance's report; event fields and status only when the patch has them.
  // Every report row is written only while its group exists (IF_GROUP), so a
  // report buffered before its app or group was deleted is dropped, not
  // stored as an orphan. Values are cast: in INSERT … SELECT, PostgreSQL
  // would otherwise take untyped parameters as text.
  upsertInstance: `INSERT INTO instances (app_id, id, group_id, version, oem, ip, status, error_code, last_event_type, last_event_result, granted_version, granted_at, last_seen, created_at)
    SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
      CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS INTEGER), NULL, NULL, CAST(? AS BIGINT), CAST(? AS BIGINT) ${IF_GROUP}
    ON CONFLICT (app_id, id) DO UPDATE SET
      group_id = excluded.group_id, version = excluded.version, oem = excluded.oem, ip = excluded.ip, last_seen = excluded.last_seen,
      status = CASE WHEN CAST(? AS INTEGER) = 1 THEN excluded.status ELSE instances.status END,
      error_code = CASE WHEN CAST(? AS INTEGER) = 1 THEN excluded.error_code ELSE instances.error_code END,
      last_event_type = CASE WHEN CAST(? AS INTEGER) = 1 THEN excluded.last_event_type ELSE instances.last_event_type END,
      last_event_result = CASE WHEN CAST(? AS INTEGER) = 1 THEN excluded.last_event_result ELSE instances.last_event_result END,
      granted_version = CASE WHEN CAST(? AS INTEGER) = 1 THEN NULL ELSE instances.granted_version END`,
  insertEvent: `INSERT INTO events (app_id, group_id, instance_id, version, previous_version, event_type, event_result, error_code, install_source, created_at)
    SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
      CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS BIGINT) ${IF_GROUP}`,
  addVersionCount: `INSERT INTO rollup_versions (app_id, group_id, resolution, bucket, version, count)
    SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT) ${IF_GROUP}
    ON CONFLICT (app_id, group_id, resolution, bucket, version) DO UPDATE SET count = rollup_versions.count + excluded.count`,
  addEventCount: `INSERT INTO rollup_events (app_id, group_id, resolution, bucket, version, event_type, event_result, count)
    SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS BIGINT) ${IF_GROUP}
    ON CONFLICT (app_id, group_id, resolution, bucket, version, event_type, event_result) DO UPDATE SET count = rollup_events.count + excluded.count`,
  pruneEvents: 'DELETE FROM events WHERE created_at < ?',
  pruneGrants: 'DELETE FROM grants WHERE granted_at < ?',
  pruneInstances: 'DELETE FROM instances WHERE last_seen < ?',
  pruneRollupVersions: 'DELETE FROM rollup_versions WHERE bucket < ?',
  pruneRollupEvents: 'DELETE FROM rollup_events WHERE bucket < ?',
} as const;

export function upsertInstanceParams(p: PendingInstance): unknown[] {
  const s = p.seen;
  const st = p.state;
  const hasStatus = st?.status !== undefined ? 1 : 0;
  const ev = st?.event;
  const hasEvent = ev ? 1 : 0;
  return [
    s.appId, s.id, s.groupId, s.version, s.oem, s.ip,
    st?.status ?? '', ev ? ev.errorCode : null, ev ? ev.type : null, ev ? ev.result : null,
    s.at, s.at,
    s.appId, s.groupId,
    hasStatus, hasEvent, hasEvent, hasEvent, st?.clearGrant ? 1 : 0,
  ];
}

export function eventParams(e: EventInsert): unknown[] {
  return [e.appId, e.groupId, e.instanceId, e.version, e.previousVersion, e.type, e.result, e.errorCode, e.installSource, e.at, e.appId, e.groupId];
}

export const versionCountParams = (c: VersionCount): unknown[] => [c.appId, c.groupId, c.resolution, c.bucket, c.version, c.count, c.appId, c.groupId];
export const eventCountParams = (c: EventCount): unknown[] => [c.appId, c.groupId, c.resolution, c.bucket, c.version, c.type, c.result, c.count, c.appId, c.groupId];

export function packageInfo(row: Record<string, unknown>): PackageInfo {
  return {
    version: String(row.version),
    url: String(row.url),
    size: Number(row.size),
    sha1Sum: String(row.sha1_sum),
    sha256Sum: String(row.sha256_sum),
    metadataSignatureRsa: String(row.metadata_signature_rsa ?? ''),
    metadataSize: String(row.metadata_size ?? ''),
    required: !!row.required,
  };
}

export function instanceState(row: Record<string, unknown>): InstanceState {
  return {
    groupId: String(row.group_id),
    version: String(row.version),
    status: String(row.status),
    grantedVersion: row.granted_version === null || row.granted_version === undefined ? null : String(row.granted_version),
    lastSeen: Number(row.last_seen),
  };
}
