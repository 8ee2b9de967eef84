// Typed model of Omaha 3.0 requests and responses as CoreOS/Flatcar clients
// and the original updateservicectl speak them.
//
// Conventions:
// - An optional property that is undefined means the attribute was absent;
//   an empty string means it was sent empty (update_engine sends
//   machinealias="" and hardware_class="").
// - Attribute values are kept as the client sent them (strings), except for
//   the numeric/boolean values the server computes with.
// - `extra` keeps every attribute the model does not name, in document
//   order, so nothing a client sends is lost; builders write them back after
//   the known attributes.

/** Attributes the model does not name: wire name → decoded value. */
export type ExtraAttributes = Record<string, string>;

// ---------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------

export interface OmahaRequest {
  /** Always "3.0" for the clients we serve. */
  protocol: string;
  version?: string;
  isMachine?: string;
  sessionId?: string;
  userId?: string;
  /** "scheduler", or "ondemandupdate" for a forced check. */
  installSource?: string;
  testSource?: string;
  requestId?: string;
  updaterVersion?: string;
  extra?: ExtraAttributes;
  /** Always written by the builders (the original client did); {} when absent. */
  os: RequestOs;
  apps: RequestApp[];
}

export interface RequestOs {
  platform?: string;
  version?: string;
  sp?: string;
  arch?: string;
  extra?: ExtraAttributes;
}

export interface RequestApp {
  /** As sent: with or without braces, any case. */
  appId: string;
  version?: string;
  nextVersion?: string;
  lang?: string;
  client?: string;
  installAge?: string;
  status?: string;
  /** The group: a group id or a legacy channel name (alpha, beta, stable). */
  track?: string;
  fromTrack?: string;
  bootId?: string;
  machineId?: string;
  oem?: string;
  oemVersion?: string;
  alephVersion?: string;
  machineAlias?: string;
  board?: string;
  hardwareClass?: string;
  /** "true"/"false" as sent by update_engine. */
  deltaOkay?: string;
  extra?: ExtraAttributes;
  ping?: RequestPing;
  updateCheck?: RequestUpdateCheck;
  events: RequestEvent[];
}

export interface RequestPing {
  active?: string;
  /** Days since the last active ping (`a`), "-1" on the first. */
  a?: string;
  /** Days since the last roll-call ping (`r`). */
  r?: string;
  ad?: string;
  rd?: string;
  /** Sent by the original `instance fake` (`r="1" status="1"`). */
  status?: string;
  extra?: ExtraAttributes;
}

export interface RequestUpdateCheck {
  targetVersionPrefix?: string;
  extra?: ExtraAttributes;
}

export interface RequestEvent {
  eventType: number;
  eventResult: number;
  previousVersion?: string;
  /** As sent; may carry flag bits: see maskErrorCode(). */
  errorCode?: number;
  nextVersion?: string;
  extra?: ExtraAttributes;
}

// ---------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------

export interface OmahaResponse {
  protocol: string;
  server: string;
  extra?: ExtraAttributes;
  dayStart?: DayStart;
  apps: ResponseApp[];
}

export interface DayStart {
  elapsedSeconds?: number;
  elapsedDays?: number;
  extra?: ExtraAttributes;
}

export interface ResponseApp {
  /** Echo the request's appid unchanged: go-omaha matches replies by exact string. */
  appId: string;
  /** "ok", "error-unknownApplication", "error-unknownGroup", … */
  status?: string;
  extra?: ExtraAttributes;
  /** One acknowledgement per request event. */
  events: StatusAck[];
  ping?: StatusAck;
  updateCheck?: ResponseUpdateCheck;
}

/** `<event status="ok">` / `<ping status="ok">`. */
export interface StatusAck {
  status: string;
  extra?: ExtraAttributes;
}

export interface ResponseUpdateCheck {
  /** "ok", "noupdate", or an "error-…" status. */
  status: string;
  /** Seconds; update_engine clamps it to 45 min–4 h. */
  pollInterval?: number;
  extra?: ExtraAttributes;
  /** The `<url codebase>` values, in order; end each with '/'. */
  urls?: string[];
  manifest?: Manifest;
}

export interface Manifest {
  version: string;
  extra?: ExtraAttributes;
  packages: OmahaPackage[];
  actions: OmahaAction[];
}

export interface OmahaPackage {
  name: string;
  /** Base64 SHA-1 of the payload. */
  hash?: string;
  size?: number;
  required?: boolean;
  extra?: ExtraAttributes;
}

export interface OmahaAction {
  /** "postinstall" is the one update_engine reads. */
  event: string;
  /** `ChromeOSVersion`, written by go-omaha servers (usually empty). */
  chromeOsVersion?: string;
  /** Base64 SHA-256 of the payload. */
  sha256?: string;
  needsAdmin?: boolean;
  isDelta?: boolean;
  disablePayloadBackoff?: boolean;
  metadataSignatureRsa?: string;
  metadataSize?: number;
  deadline?: string;
  extra?: ExtraAttributes;
}
