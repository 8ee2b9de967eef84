// Rows to the v1 API's JSON shapes: int64 as strings, dates as ISO strings,
// flags as booleans, every field present (as the original replies were).
import type * as T from '../api/types.js';
import type { AppRow, ChannelRow, EventRow, FrameRow, GroupRow, InstanceRow, PackageRow, UpstreamRow } from './db/schema.js';

export const isoDate = (ms: number) => new Date(ms).toISOString();

export function appJson(r: AppRow): T.App {
  return { id: r.id, label: r.label, description: r.description };
}

export function channelJson(r: ChannelRow): T.AppChannel {
  return {
    appId: r.app_id,
    dateCreated: isoDate(r.created_at),
    label: r.label,
    publish: !!r.publish,
    upstream: r.upstream,
    version: r.version,
  };
}

export function packageJson(r: PackageRow): T.Package {
  return {
    appId: r.app_id,
    version: r.version,
    url: r.url,
    size: String(r.size),
    sha1Sum: r.sha1_sum,
    sha256Sum: r.sha256_sum,
    required: !!r.required,
    metadataSignatureRsa: r.metadata_signature_rsa,
    metadataSize: r.metadata_size,
    releaseNotes: r.release_notes,
    dateCreated: isoDate(r.created_at),
  };
}

export function groupJson(r: GroupRow): T.Group {
  return {
    appId: r.app_id,
    channelId: r.channel_id,
    id: r.id,
    label: r.label,
    oemBlacklist: r.oem_blacklist,
    updatePercent: r.update_percent,
    updatesPaused: !!r.updates_paused,
    rolloutActive: !!r.rollout_active,
    updateCount: r.update_count,
    updateInterval: r.update_interval,
    updatePooling: !!r.update_pooling,
  };
}

export function frameJson(r: Pick<FrameRow, 'percent' | 'duration'>): T.Frame {
  return { duration: String(r.duration), percent: r.percent };
}

export function upstreamJson(r: UpstreamRow): T.Upstream {
  return { id: r.id, url: r.url, label: r.label };
}

const codeString = (n: number | null) => (n === null ? '' : String(n));

export function clientUpdateJson(r: InstanceRow): T.ClientUpdate {
  return {
    appId: r.app_id,
    clientId: r.id,
    version: r.version,
    lastSeen: isoDate(r.last_seen),
    groupId: r.group_id,
    oem: r.oem,
    eventType: codeString(r.last_event_type),
    eventResult: codeString(r.last_event_result),
    errorCode: codeString(r.error_code),
  };
}

export function historyJson(r: EventRow): T.ClientHistoryItem {
  return {
    dateTime: String(Math.floor(r.created_at / 1000)),
    errorCode: codeString(r.error_code),
    eventResult: String(r.event_result),
    eventType: String(r.event_type),
    groupId: r.group_id,
    installSource: r.install_source,
    version: r.version,
  };
}
