// Instances and their event log: the queries behind appversions, clientupdates,
// clientupdatecount, client/history and the group rollups, plus the writes the
// Omaha endpoint makes (recordCheck, recordEvent).
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database, EventRow, InstanceRow } from '../db/schema.js';
import type { Db } from '../db/tx.js';

export interface InstanceFilter {
  appId?: string;
  groupId?: string;
  clientId?: string;
  version?: string;
  oem?: string;
  eventType?: number;
  eventResult?: number;
  /** Seconds since the epoch, inclusive; undefined = unbounded. */
  dateStart?: number;
  dateEnd?: number;
}

function instanceWhere(eb: ExpressionBuilder<Database, 'instances'>, f: InstanceFilter): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [];
  if (f.appId !== undefined) terms.push(eb('app_id', '=', f.appId));
  if (f.groupId !== undefined) terms.push(eb('group_id', '=', f.groupId));
  if (f.clientId !== undefined) terms.push(eb('id', '=', f.clientId));
  if (f.version !== undefined) terms.push(eb('version', '=', f.version));
  if (f.oem !== undefined) terms.push(eb('oem', '=', f.oem));
  if (f.eventType !== undefined) terms.push(eb('last_event_type', '=', f.eventType));
  if (f.eventResult !== undefined) terms.push(eb('last_event_result', '=', f.eventResult));
  if (f.dateStart !== undefined) terms.push(eb('last_seen', '>=', f.dateStart * 1000));
  if (f.dateEnd !== undefined) terms.push(eb('last_seen', '<', (f.dateEnd + 1) * 1000));
  return eb.and(terms);
}

export function listInstances(db: Db, f: InstanceFilter, limit: number, skip: number): Promise<InstanceRow[]> {
  return db
    .selectFrom('instances')
    .selectAll()
    .where((eb) => instanceWhere(eb, f))
    .orderBy('last_seen', 'desc')
    .orderBy('app_id')
    .orderBy('id')
    .limit(limit)
    .offset(skip)
    .execute();
}

export async function countInstances(db: Db, f: InstanceFilter): Promise<number> {
  const row = await db
    .selectFrom('instances')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => instanceWhere(eb, f))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countByAppGroupVersion(db: Db, f: InstanceFilter) {
  const rows = await db
    .selectFrom('instances')
    .select(['app_id', 'group_id', 'version'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => instanceWhere(eb, f))
    .groupBy(['app_id', 'group_id', 'version'])
    .execute();
  return rows.map((r) => ({ appId: r.app_id, groupId: r.group_id, version: r.version, count: Number(r.n) }));
}

export function clientHistory(db: Db, clientId: string, limit: number): Promise<EventRow[]> {
  return db
    .selectFrom('events')
    .selectAll()
    .where('instance_id', '=', clientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export interface RollupRange {
  appId: string;
  groupId: string;
  /** Seconds, inclusive start and exclusive end. */
  start: number;
  end: number;
  resolution: number;
  versions?: string[];
}

/**
 * `created_at` floored to the bucket, in ms; cast so SQLite divides as integers.
 * Grouped by its alias: PostgreSQL cannot match two parameterised copies.
 */
function bucketMs(resolution: number) {
  const ms = resolution * 1000;
  return sql<number>`(${sql.ref('created_at')} / cast(${ms} as integer)) * cast(${ms} as integer)`;
}

function rollupBase(db: Db, r: RollupRange) {
  let q = db
    .selectFrom('events')
    .where('app_id', '=', r.appId)
    .where('group_id', '=', r.groupId)
    .where('created_at', '>=', r.start * 1000)
    .where('created_at', '<', r.end * 1000);
  if (r.versions && r.versions.length > 0) q = q.where('version', 'in', r.versions);
  return q;
}

/** Distinct instances per version per bucket. */
export async function rollupVersions(db: Db, r: RollupRange) {
  const bucket = bucketMs(r.resolution);
  const rows = await rollupBase(db, r)
    .select('version')
    .select(bucket.as('bucket'))
    .select((eb) => eb.fn.count<number>('instance_id').distinct().as('n'))
    .groupBy(['version', sql.ref('bucket')])
    .execute();
  return rows.map((x) => ({ version: x.version, timestamp: Math.floor(Number(x.bucket) / 1000), count: Number(x.n) }));
}

/** Events per (version, type, result) per bucket. */
export async function rollupEvents(db: Db, r: RollupRange) {
  const bucket = bucketMs(r.resolution);
  const rows = await rollupBase(db, r)
    .select(['version', 'event_type', 'event_result'])
    .select(bucket.as('bucket'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['version', 'event_type', 'event_result', sql.ref('bucket')])
    .execute();
  return rows.map((x) => ({
    version: x.version,
    type: x.event_type,
    result: x.event_result,
    timestamp: Math.floor(Number(x.bucket) / 1000),
    count: Number(x.n),
  }));
}

// ---- writes made by the Omaha endpoint (and by tests)

export interface InstanceReport {
  appId: string;
  instanceId: string;
  groupId: string;
  version: string;
  oem?: string;
  ip?: string;
  at?: number;
}

/** Creates or refreshes the instance row for a check-in. */
export async function recordCheck(db: Db, r: InstanceReport): Promise<void> {
  const at = r.at ?? Date.now();
  await db
    .insertInto('instances')
    .values({
      app_id: r.appId,
      id: r.instanceId,
      group_id: r.groupId,
      version: r.version,
      oem: r.oem ?? '',
      ip: r.ip ?? '',
      status: '',
      error_code: null,
      last_event_type: null,
      last_event_result: null,
      granted_version: null,
      granted_at: null,
      last_seen: at,
      created_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['app_id', 'id']).doUpdateSet({
        group_id: r.groupId,
        version: r.version,
        oem: r.oem ?? '',
        ip: r.ip ?? '',
        last_seen: at,
      }),
    )
    .execute();
}

export interface EventReport extends InstanceReport {
  type: number;
  result: number;
  errorCode?: number | null;
  previousVersion?: string;
  installSource?: string;
  /** Instance status after this event, when it changes it. */
  status?: string;
}

/** Appends an event and updates the instance's last event (and status). */
export async function recordEvent(db: Db, e: EventReport): Promise<void> {
  const at = e.at ?? Date.now();
  await recordCheck(db, { ...e, at });
  await db
    .insertInto('events')
    .values({
      app_id: e.appId,
      group_id: e.groupId,
      instance_id: e.instanceId,
      version: e.version,
      previous_version: e.previousVersion ?? '',
      event_type: e.type,
      event_result: e.result,
      error_code: e.errorCode ?? null,
      install_source: e.installSource ?? '',
      created_at: at,
    })
    .execute();
  await db
    .updateTable('instances')
    .set({
      last_event_type: e.type,
      last_event_result: e.result,
      error_code: e.errorCode ?? null,
      ...(e.status !== undefined ? { status: e.status } : {}),
    })
    .where('app_id', '=', e.appId)
    .where('id', '=', e.instanceId)
    .execute();
}
