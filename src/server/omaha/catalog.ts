// Cached view of apps, groups, channels, frames and packages for the Omaha
// hot path. Every entry is dropped when the database's catalog generation
// moves (triggers bump it on any change, whichever replica made it): the
// generation is read on every request on SQLite (a point read on the local
// file) and at most every `recheckMs` on PostgreSQL (plus at once after this
// process changes something through the API). Grants re-read the group row
// under its lock, so a stale cache can delay an update but never break a limit.
import type { FrameRow, GroupRow } from '../db/schema.js';
import { parseOemBlacklist, type GroupPolicy, type PackageInfo } from './decide.js';
import type { OmahaStorage } from './storage.js';

export interface GroupEntry {
  row: GroupRow;
  policy: GroupPolicy;
}

export interface AppEntry {
  appId: string;
  groups: Map<string, GroupEntry>;
  /** Lower-cased id → group, and lower-cased label → group (when the label is unique). */
  byLowerId: Map<string, GroupEntry>;
  byLowerLabel: Map<string, GroupEntry>;
  channels: Map<string, string>;
  packages: Map<string, PackageInfo | null>;
}

const MAX_APPS = 10_000;
const MAX_PACKAGES_PER_APP = 1_000;

export function groupPolicy(row: GroupRow, frames: readonly Pick<FrameRow, 'percent' | 'duration'>[]): GroupPolicy {
  return {
    appId: row.app_id,
    id: row.id,
    paused: !!Number(row.updates_paused),
    oemBlacklist: parseOemBlacklist(row.oem_blacklist),
    updatePercent: Number(row.update_percent),
    updateCount: Number(row.update_count),
    updateInterval: Number(row.update_interval),
    rolloutActive: !!Number(row.rollout_active),
    rolloutStartedAt: row.rollout_started_at === null ? null : Number(row.rollout_started_at),
    frames: frames.map((f) => ({ percent: Number(f.percent), duration: Number(f.duration) })),
  };
}

export class Catalog {
  private apps = new Map<string, AppEntry | null>();
  private generation = -1;
  private checkedAt = 0;
  private dirty = false;

  constructor(
    private readonly storage: OmahaStorage,
    /** 0 = read the generation on every request. */
    private readonly recheckMs: number,
  ) {}

  /** This process changed the catalog: check the generation on the next request. */
  invalidate(): void {
    this.dirty = true;
  }

  private async refresh(now: number): Promise<void> {
    if (!this.dirty && this.recheckMs > 0 && now - this.checkedAt < this.recheckMs) return;
    this.dirty = false;
    this.checkedAt = now;
    const g = await this.storage.generation();
    if (g !== this.generation) {
      this.generation = g;
      this.apps.clear();
    }
  }

  async app(appId: string, now = Date.now()): Promise<AppEntry | undefined> {
    await this.refresh(now);
    const cached = this.apps.get(appId);
    if (cached !== undefined) return cached ?? undefined;
    const generation = this.generation;
    const rows = await this.storage.loadApp(appId);
    const entry = rows ? buildEntry(appId, rows.groups, rows.frames, rows.channels) : null;
    if (this.generation === generation) {
      if (this.apps.size >= MAX_APPS) this.apps.clear();
      this.apps.set(appId, entry);
    }
    return entry ?? undefined;
  }

  async package(app: AppEntry, version: string): Promise<PackageInfo | undefined> {
    const cached = app.packages.get(version);
    if (cached !== undefined) return cached ?? undefined;
    const pkg = await this.storage.loadPackage(app.appId, version);
    if (app.packages.size >= MAX_PACKAGES_PER_APP) app.packages.clear();
    app.packages.set(version, pkg ?? null);
    return pkg;
  }
}

function buildEntry(appId: string, groups: GroupRow[], frames: FrameRow[], channels: Array<{ label: string; version: string }>): AppEntry {
  const framesOf = new Map<string, FrameRow[]>();
  for (const f of frames) {
    const list = framesOf.get(f.group_id) ?? [];
    list.push(f);
    framesOf.set(f.group_id, list);
  }
  const entry: AppEntry = {
    appId,
    groups: new Map(),
    byLowerId: new Map(),
    byLowerLabel: new Map(),
    channels: new Map(channels.map((c) => [c.label, c.version])),
    packages: new Map(),
  };
  const labelCount = new Map<string, number>();
  for (const row of groups) {
    const g: GroupEntry = { row, policy: groupPolicy(row, framesOf.get(row.id) ?? []) };
    entry.groups.set(row.id, g);
    if (!entry.byLowerId.has(row.id.toLowerCase())) entry.byLowerId.set(row.id.toLowerCase(), g);
    const label = row.label.trim().toLowerCase();
    if (label) {
      labelCount.set(label, (labelCount.get(label) ?? 0) + 1);
      entry.byLowerLabel.set(label, g);
    }
  }
  for (const [label, n] of labelCount) if (n > 1) entry.byLowerLabel.delete(label);
  return entry;
}

/**
 * The group a `track` names: its id exactly, else its id in any case, else a
 * group whose label matches in any case (when only one does). So update_engine's
 * legacy `alpha`/`beta`/`stable` reach groups with those ids or labels.
 */
export function resolveTrack(app: AppEntry, track: string | undefined): GroupEntry | undefined {
  const t = (track ?? '').trim();
  if (t === '') return undefined;
  return app.groups.get(t) ?? app.byLowerId.get(t.toLowerCase()) ?? app.byLowerLabel.get(t.toLowerCase());
}
