// Instances and their event log: the queries behind appversions, clientupdates,
// clientupdatecount, client/history and the group rollups, plus the writes the
// Omaha endpoint makes (recordCheck, recordEvent).
import { CompiledQuery, PostgresAdapter, sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { computeReport } from '../omaha/recorder.js';
import { RESOLUTIONS, SQL, eventCountParams, eventParams, instanceState, upsertInstanceParams, versionCountParams } from '../omaha/storage.js';
import type { Database, EventRow, InstanceRow } from '../db/schema.js';
import type { Db } from '../db/tx.js';

export interface InstanceFilter {
  appId?: string;
  /** Only these apps (a user limited to some apps); undefined: every app. */
  appIds?: readonly string[];
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
  if (f.appIds !== undefined) terms.push(eb('app_id', 'in', [...f.appIds]));
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

/** A machine's events, newest first; in `appIds` only, when given. */
export function clientHistory(db: Db, clientId: string, limit: number, appIds?: readonly string[]): Promise<EventRow[]> {
  let q = db.selectFrom('events').selectAll().where('instance_id', '=', clientId);
  if (appIds !== undefined) q = q.where('app_id', 'in', [...appIds]);
  return q
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
 * The kept resolution (60, 3600, 86400 s) the rollup sums: the coarsest that
 * divides the asked one. Exact at the kept resolutions; at others, version
 * counts add up per sub-bucket (an instance seen in two of them counts twice).
 */
export function baseResolution(resolution: number): number {
  for (const r of [...RESOLUTIONS].reverse()) if (resolution % r === 0) return r;
  return RESOLUTIONS[0];
}

/** Bucket start (s) at the asked resolution; grouped by alias (PostgreSQL cannot match two parameterised copies). */
function bucketOf(resolution: number) {
  return sql<number>`(${sql.ref('bucket')} / cast(${resolution} as integer)) * cast(${resolution} as integer)`;
}

/** Distinct instances per version per bucket, from the pre-aggregated counters. */
export async function rollupVersions(db: Db, r: RollupRange) {
  let q = db
    .selectFrom('rollup_versions')
    .where('app_id', '=', r.appId)
    .where('group_id', '=', r.groupId)
    .where('resolution', '=', baseResolution(r.resolution))
    .where('bucket', '>=', r.start)
    .where('bucket', '<', r.end);
  if (r.versions && r.versions.length > 0) q = q.where('version', 'in', r.versions);
  const rows = await q
    .select('version')
    .select(bucketOf(r.resolution).as('b'))
    .select((eb) => eb.fn.sum<number>('count').as('n'))
    .groupBy(['version', sql.ref('b')])
    .execute();
  return rows.map((x) => ({ version: x.version, timestamp: Number(x.b), count: Number(x.n) }));
}

/** Events per (version, type, result) per bucket, from the pre-aggregated counters. */
export async function rollupEvents(db: Db, r: RollupRange) {
  let q = db
    .selectFrom('rollup_events')
    .where('app_id', '=', r.appId)
    .where('group_id', '=', r.groupId)
    .where('resolution', '=', baseResolution(r.resolution))
    .where('bucket', '>=', r.start)
    .where('bucket', '<', r.end);
  if (r.versions && r.versions.length > 0) q = q.where('version', 'in', r.versions);
  const rows = await q
    .select(['version', 'event_type', 'event_result'])
    .select(bucketOf(r.resolution).as('b'))
    .select((eb) => eb.fn.sum<number>('count').as('n'))
    .groupBy(['version', 'event_type', 'event_result', sql.ref('b')])
    .execute();
  return rows.map((x) => ({
    version: x.version,
    type: x.event_type,
    result: x.event_result,
    timestamp: Number(x.b),
    count: Number(x.n),
  }));
}

// ---- writes (the Omaha endpoint batches these itself; these are for tools and tests)

export interface InstanceReport {
  appId: string;
  instanceId: string;
  groupId: string;
  version: string;
  oem?: string;
  ip?: string;
  at?: number;
}

export interface EventReport extends InstanceReport {
  type: number;
  result: number;
  errorCode?: number | null;
  previousVersion?: string;
  installSource?: string;
}

/** Runs shared `?`-placeholder SQL through Kysely on either engine. */
async function run(db: Db, text: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  let i = 0;
  const compiled = db.getExecutor().adapter instanceof PostgresAdapter ? text.replace(/\?/g, () => `$${++i}`) : text;
  return (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(compiled, params))).rows;
}

async function report(db: Db, r: InstanceReport, events: EventReport[]): Promise<void> {
  const at = r.at ?? Date.now();
  const row = (await run(db, SQL.instance, [r.appId, r.instanceId]))[0];
  const batch = computeReport(
    {
      seen: { appId: r.appId, id: r.instanceId, groupId: r.groupId, version: r.version, oem: r.oem ?? '', ip: r.ip ?? '', at },
      events: events.map((e) => ({
        eventType: e.type,
        eventResult: e.result,
        ...(e.errorCode !== undefined && e.errorCode !== null ? { errorCode: e.errorCode } : {}),
        ...(e.previousVersion !== undefined ? { previousVersion: e.previousVersion } : {}),
      })),
      installSource: events[0]?.installSource ?? '',
    },
    row ? instanceState(row) : undefined,
  );
  for (const p of batch.instances) await run(db, SQL.upsertInstance, upsertInstanceParams(p));
  for (const e of batch.events) await run(db, SQL.insertEvent, eventParams(e));
  for (const c of batch.versionCounts) await run(db, SQL.addVersionCount, versionCountParams(c));
  for (const c of batch.eventCounts) await run(db, SQL.addEventCount, eventCountParams(c));
}

/** Records a check-in as the Omaha endpoint would (instance row, version rollup). */
export function recordCheck(db: Db, r: InstanceReport): Promise<void> {
  return report(db, r, []);
}

/** Records an event as the Omaha endpoint would (instance row and status, event log, rollups). */
export function recordEvent(db: Db, e: EventReport): Promise<void> {
  return report(db, e, [e]);
}
