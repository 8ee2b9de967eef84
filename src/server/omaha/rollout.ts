// Who is "in" a percentage, and what percentage a rollout is at. Pure.
import { createHash } from 'node:crypto';

/**
 * The instance's stable position in [0, 100) for a group: SHA-256 of
 * (app, group, machine id), so the same machine always sits at the same place
 * in a group (a grown percentage keeps everyone it already included) and
 * different groups order machines independently. Same on every replica.
 */
export function instanceBucket(appId: string, groupId: string, machineId: string): number {
  const digest = createHash('sha256').update(`${appId}\u0000${groupId}\u0000${machineId}`).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100;
}

/** Is the instance under `percent` (0–100)? 0 takes nobody, 100 everybody. */
export function withinPercent(bucket: number, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return bucket < percent;
}

export interface Frame {
  percent: number;
  /** Seconds the frame's percent holds. */
  duration: number;
}

/**
 * The percentage an active rollout is at, `elapsedMs` after it was activated:
 * each frame's percent holds for its duration, in order; after the last
 * frame's duration the last percent holds. Undefined without frames.
 */
export function rolloutPercent(frames: readonly Frame[], elapsedMs: number): number | undefined {
  if (frames.length === 0) return undefined;
  let end = 0;
  const elapsed = Math.max(0, elapsedMs);
  for (const frame of frames) {
    end += Math.max(0, frame.duration) * 1000;
    if (elapsed < end) return frame.percent;
  }
  return frames[frames.length - 1]!.percent;
}
