// Row types of the service's tables, as Kysely sees them. Both engines store
// flags as 0/1 integers (better-sqlite3 cannot bind booleans) and instants as
// epoch milliseconds in bigint columns (the pg pool parses int8 to number).
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface UsersTable {
  name: string;
  key: string;
  created_at: number;
  /** admin | editor | viewer (see auth/permissions.ts); admin when not given. */
  role: ColumnType<string, string | undefined, string>;
  /** JSON array of the app ids an editor or viewer is limited to; [] = every app. */
  apps: ColumnType<string, string | undefined, string>;
}

export interface NoncesTable {
  user_name: string;
  nonce: string;
  ts: number;
  seen_at: number;
}

export interface AppsTable {
  id: string;
  label: string;
  description: string;
  created_at: number;
}

export interface ChannelsTable {
  app_id: string;
  label: string;
  version: string;
  publish: number;
  upstream: string;
  created_at: number;
}

export interface PackagesTable {
  app_id: string;
  version: string;
  url: string;
  size: number;
  sha1_sum: string;
  sha256_sum: string;
  metadata_signature_rsa: string;
  metadata_size: string;
  release_notes: string;
  required: number;
  created_at: number;
  /** versionSortKey(version): the list order, newest first when descending. */
  sort_key: ColumnType<string, string | undefined, string | undefined>;
}

export interface GroupsTable {
  app_id: string;
  id: string;
  label: string;
  channel_id: string;
  oem_blacklist: string;
  updates_paused: number;
  update_percent: number;
  /** 1.4.0 rate limit: at most update_count grants per update_interval seconds. */
  update_count: number;
  update_interval: number;
  update_pooling: number;
  rollout_active: number;
  /** When the rollout was (re)started; frames are timed from here. */
  rollout_started_at: number | null;
  created_at: number;
}

export interface RolloutFramesTable {
  app_id: string;
  group_id: string;
  position: number;
  percent: number;
  duration: number;
}

export interface UpstreamsTable {
  id: string;
  url: string;
  label: string;
  created_at: number;
}

/** One row per (app, machine): what the instance last reported. */
export interface InstancesTable {
  app_id: string;
  id: string;
  group_id: string;
  version: string;
  oem: string;
  ip: string;
  /** granted | downloading | downloaded | installed | complete | error | '' (just checking). */
  status: string;
  error_code: number | null;
  last_event_type: number | null;
  last_event_result: number | null;
  /** The update offered and not finished yet (the Omaha engine grants it again). */
  granted_version: string | null;
  granted_at: number | null;
  last_seen: number;
  created_at: number;
}

/** Append-only log of every Omaha event: what rollups and histories read. */
export interface EventsTable {
  id: Generated<number>;
  app_id: string;
  group_id: string;
  instance_id: string;
  version: string;
  previous_version: string;
  event_type: number;
  event_result: number;
  error_code: number | null;
  install_source: string;
  created_at: number;
}

/** One row per update granted: the rate limit counts them in its window. */
export interface GrantsTable {
  id: Generated<number>;
  app_id: string;
  group_id: string;
  instance_id: string;
  version: string;
  granted_at: number;
}

/** Distinct instances per version per bucket (seconds), at resolutions 60, 3600, 86400. */
export interface RollupVersionsTable {
  app_id: string;
  group_id: string;
  resolution: number;
  bucket: number;
  version: string;
  count: number;
}

/** Events per (version, type, result) per bucket, at resolutions 60, 3600, 86400. */
export interface RollupEventsTable {
  app_id: string;
  group_id: string;
  resolution: number;
  bucket: number;
  version: string;
  event_type: number;
  event_result: number;
  count: number;
}

/** Bumped by triggers on every change to apps, channels, packages, groups, frames. */
export interface CatalogGenerationTable {
  id: number;
  n: number;
}

export interface Database {
  users: UsersTable;
  nonces: NoncesTable;
  apps: AppsTable;
  channels: ChannelsTable;
  packages: PackagesTable;
  groups: GroupsTable;
  rollout_frames: RolloutFramesTable;
  upstreams: UpstreamsTable;
  instances: InstancesTable;
  events: EventsTable;
  grants: GrantsTable;
  rollup_versions: RollupVersionsTable;
  rollup_events: RollupEventsTable;
  catalog_generation: CatalogGenerationTable;
}

export type TableName = keyof Database;

/** Every table, in an order that restores without dangling references. */
export const ALL_TABLES: TableName[] = [
  'users',
  'apps',
  'channels',
  'packages',
  'groups',
  'rollout_frames',
  'upstreams',
  'instances',
  'events',
  'grants',
  'rollup_versions',
  'rollup_events',
];

export type UserRow = Selectable<UsersTable>;
export type AppRow = Selectable<AppsTable>;
export type ChannelRow = Selectable<ChannelsTable>;
/** A package as the API sees it; the store adds its sort key. */
export type PackageRow = Omit<Selectable<PackagesTable>, 'sort_key'>;
export type GroupRow = Selectable<GroupsTable>;
export type FrameRow = Selectable<RolloutFramesTable>;
export type UpstreamRow = Selectable<UpstreamsTable>;
export type InstanceRow = Selectable<InstancesTable>;
export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
