// The decision engine: should this instance get an update, and which one?
// Pure: everything it needs comes in, a decision goes out. The caller runs it
// once on cached data and, when it would grant under a rate limit, again
// inside the database transaction that holds the group's lock, this time with
// the number of grants already made in the window.
import { compareVersions } from '../versions.js';
import { instanceBucket, rolloutPercent, withinPercent, type Frame } from './rollout.js';

export interface PackageInfo {
  version: string;
  url: string;
  size: number;
  sha1Sum: string;
  sha256Sum: string;
  metadataSignatureRsa: string;
  metadataSize: string;
  required: boolean;
}

export interface GroupPolicy {
  appId: string;
  id: string;
  paused: boolean;
  /** OEM names, lower case. */
  oemBlacklist: readonly string[];
  updatePercent: number;
  updateCount: number;
  /** Seconds. */
  updateInterval: number;
  rolloutActive: boolean;
  /** ms since the epoch; null when never activated. */
  rolloutStartedAt: number | null;
  frames: readonly Frame[];
}

export interface DecisionInput {
  now: number;
  group: GroupPolicy;
  /** The channel's version; undefined when the group tracks no (existing) channel. */
  channelVersion: string | undefined;
  /** The package of the channel's version, if there is one. */
  channelPackage: PackageInfo | undefined;
  instance: {
    machineId: string;
    version: string;
    oem: string;
    /** installsource="ondemandupdate": a forced check. */
    onDemand: boolean;
    /** An update granted earlier and not finished, with its package if it still exists. */
    granted?: { version: string; pkg: PackageInfo | undefined };
  };
  /** Grants made in the group within the rate-limit window; known only under the group's lock. */
  grantsInWindow?: number;
}

export type NoUpdateReason =
  | 'no-channel'
  | 'no-package'
  | 'up-to-date'
  | 'paused'
  | 'oem-blacklisted'
  | 'rate-limited'
  | 'percent'
  | 'rollout'
  /** The grant could not be written (a full disk, the database away): no update without a durable grant. */
  | 'grant-not-stored';

export type Decision =
  | { kind: 'noupdate'; reason: NoUpdateReason }
  /** Step 2: the unfinished grant's package, again (no new grant is counted). */
  | { kind: 'regrant'; pkg: PackageInfo }
  /** A new grant. `needsCount`: a rate limit applies and grantsInWindow was not given. */
  | { kind: 'grant'; pkg: PackageInfo; needsCount: boolean };

const noupdate = (reason: NoUpdateReason): Decision => ({ kind: 'noupdate', reason });

/** Does the 1.4.0 rate limit apply to this group? */
export function rateLimited(group: GroupPolicy): boolean {
  return group.updateCount > 0 && group.updateInterval > 0;
}

/** The percentage in force: the rollout's frame while a rollout runs, else updatePercent. */
export function effectivePercent(group: GroupPolicy, now: number): { percent: number; fromRollout: boolean } {
  if (group.rolloutActive) {
    const p = rolloutPercent(group.frames, now - (group.rolloutStartedAt ?? now));
    if (p !== undefined) return { percent: p, fromRollout: true };
  }
  return { percent: group.updatePercent, fromRollout: false };
}

/** Steps 1–7 of "Deciding an update" (docs/protocol.md). */
export function decide(input: DecisionInput): Decision {
  const { group, instance } = input;

  // 1. The channel's version, its package, and the instance's version.
  if (input.channelVersion === undefined) return noupdate('no-channel');
  if (!input.channelPackage) return noupdate('no-package');
  if (compareVersions(instance.version, input.channelVersion) >= 0) return noupdate('up-to-date');

  // 2. An unfinished grant: the same package again, whatever the limits say now.
  const granted = instance.granted;
  if (granted?.pkg && compareVersions(instance.version, granted.version) < 0) {
    return { kind: 'regrant', pkg: granted.pkg };
  }

  // 3. Pause and OEM blacklist hold even for forced checks.
  if (group.paused) return noupdate('paused');
  if (instance.oem !== '' && group.oemBlacklist.includes(instance.oem.toLowerCase())) return noupdate('oem-blacklisted');

  const pkg = input.channelPackage;
  // 7. A forced check skips 4–6.
  if (instance.onDemand) return { kind: 'grant', pkg, needsCount: false };

  // 5/6. Percentage, or the rollout's current frame.
  const { percent, fromRollout } = effectivePercent(group, input.now);
  if (!withinPercent(instanceBucket(group.appId, group.id, instance.machineId), percent)) {
    return noupdate(fromRollout ? 'rollout' : 'percent');
  }

  // 4. Rate limit, counted under the group's lock.
  if (rateLimited(group)) {
    if (input.grantsInWindow === undefined) return { kind: 'grant', pkg, needsCount: true };
    if (input.grantsInWindow >= group.updateCount) return noupdate('rate-limited');
  }
  return { kind: 'grant', pkg, needsCount: false };
}

/** "a, b,c" → ["a", "b", "c"], lower case. */
export function parseOemBlacklist(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}
