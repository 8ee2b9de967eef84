// Types of the CoreUpdate v1 API (coreupdate-v1-discovery.json), shared by
// the CLI's client and the service. int64 fields travel as JSON strings.

/** An int64 on the wire: a decimal string. */
export type Int64String = string;

/** The role of a user: `admin` (everything), `editor` (apps and what is in them), `viewer` (reads). */
export type UserRole = 'admin' | 'editor' | 'viewer';

export interface AdminUser {
  user?: string;
  token?: string;
  /** Extension: the user's role (the original service had admins only). */
  role?: UserRole;
  /** Extension: the apps an editor or viewer is limited to; absent for every app. */
  apps?: string[];
}
export interface AdminUserReq {
  userName?: string;
  /** Extension: admin when absent. */
  role?: UserRole;
  /** Extension: limits an editor or viewer to these apps. */
  apps?: string[];
}
/** Extension: `PATCH admin/user/<name>`, a user's new role or apps (absent fields stay). */
export interface AdminUserUpdateReq {
  role?: UserRole;
  apps?: string[];
}
export interface AdminListUsersResp {
  users?: AdminUser[];
}

export interface App {
  id?: string;
  label?: string;
  description?: string;
}
export type AppInsertReq = App;
export type AppUpdateReq = App;
export interface AppListResp {
  items?: App[];
}

export interface AppChannel {
  appId?: string;
  dateCreated?: string;
  label?: string;
  publish?: boolean;
  upstream?: string;
  version?: string;
}
export interface ChannelRequest {
  appId?: string;
  label?: string;
  publish?: boolean;
  version?: string;
  /** Service extension: URL of the upstream this channel follows (see upstream sync). */
  upstream?: string;
}
export interface ChannelListResp {
  items?: AppChannel[];
}

export interface Package {
  appId?: string;
  dateCreated?: string;
  metadataSignatureRsa?: string;
  metadataSize?: string;
  releaseNotes?: string;
  required?: boolean;
  sha1Sum?: string;
  sha256Sum?: string;
  size?: Int64String;
  url?: string;
  version?: string;
}
export interface PackageList {
  items?: Package[];
  total?: number;
}
export interface PublicPackageItem {
  AppId?: string;
  packages?: Package[];
}
export interface PublicPackageList {
  items?: PublicPackageItem[];
}

export interface Group {
  appId?: string;
  channelId?: string;
  id?: string;
  label?: string;
  oemBlacklist?: string;
  rolloutActive?: boolean;
  updatePercent?: number;
  updatesPaused?: boolean;
  /** 1.4.0 rate limit: at most updateCount new updates per updateInterval seconds. */
  updateCount?: number;
  updateInterval?: number;
  updatePooling?: boolean;
}
export interface GroupList {
  items?: Group[];
}
export interface GroupPercent {
  appId?: string;
  id?: string;
  updatePercent?: number;
}

export interface GroupRequestsValues {
  timestamp?: Int64String;
  count?: Int64String;
}
export interface GroupRequestsItem {
  version?: string;
  type?: string;
  result?: string;
  values?: GroupRequestsValues[];
}
export interface GroupRequestsRollup {
  items?: GroupRequestsItem[];
}

export interface Frame {
  percent?: number;
  duration?: Int64String;
}
export interface Rollout {
  appId?: string;
  groupId?: string;
  rollout?: Frame[];
}
export interface RolloutActive {
  appId?: string;
  groupId?: string;
  active?: boolean;
}

export interface AppVersionItem {
  appId?: string;
  groupId?: string;
  version?: string;
  count?: number;
}
export interface AppVersionList {
  items?: AppVersionItem[];
}

export interface ClientUpdate {
  appId?: string;
  clientId?: string;
  errorCode?: string;
  eventResult?: string;
  eventType?: string;
  groupId?: string;
  lastSeen?: string;
  oem?: string;
  version?: string;
}
export interface ClientUpdateList {
  items?: ClientUpdate[];
}
export interface ClientCountResp {
  count?: number;
}
export interface ClientHistoryItem {
  dateTime?: Int64String;
  errorCode?: string;
  eventResult?: string;
  eventType?: string;
  groupId?: string;
  installSource?: string;
  version?: string;
}
export interface ClientHistoryResp {
  items?: ClientHistoryItem[];
}

export interface Upstream {
  id?: string;
  label?: string;
  url?: string;
}
export interface UpstreamListResp {
  items?: Upstream[];
}
export interface UpstreamSyncResp {
  status?: string;
  detail?: string;
}

export interface GenerateUuidResp {
  uuid?: string;
}

/** Google's JSON error body, as the service sends it and the CLI reads it. */
export interface GoogleErrorItem {
  reason?: string;
  message?: string;
  domain?: string;
  location?: string;
  locationType?: string;
}
export interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    errors?: GoogleErrorItem[];
  };
}

/** Filters shared by the instance queries (appversions, clientupdates, clientupdatecount). */
export interface InstanceQuery {
  appId?: string;
  groupId?: string;
  version?: string;
  oem?: string;
  eventType?: string;
  eventResult?: string;
  dateStart?: string;
  dateEnd?: string;
  clientId?: string;
  limit?: number;
  skip?: number;
}

/** Path prefix of the v1 API below the server URL. */
export const API_BASE_PATH = '/_ah/api/update/v1/';

/** Reply of `POST /package-upload` (service extension; the original replied with an empty body). */
export interface PackageUploadResp {
  name?: string;
  url?: string;
  size?: Int64String;
  sha1Sum?: string;
  sha256Sum?: string;
}
