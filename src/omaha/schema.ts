// Attribute tables shared by the parser and the builders: wire name, model
// property, value kind, and what to do when the attribute is missing. The
// order of each table is the order the builders write attributes in; for the
// request it is the order the original updateservicectl (Go encoding/xml over
// go-omaha's structs) wrote them, which recorded transcripts confirm.

import type {
  DayStart,
  Manifest,
  OmahaAction,
  OmahaPackage,
  OmahaRequest,
  OmahaResponse,
  RequestApp,
  RequestEvent,
  RequestOs,
  RequestPing,
  RequestUpdateCheck,
  ResponseApp,
  ResponseUpdateCheck,
  StatusAck,
} from './types.js';

export type AttributeKind = 'string' | 'int' | 'bool';

/** When the attribute is absent: leave the property undefined, reject the document, or use ''. */
export type WhenMissing = 'omit' | 'reject' | 'empty';

export interface AttributeSpec {
  readonly wire: string;
  readonly prop: string;
  readonly kind: AttributeKind;
  readonly missing: WhenMissing;
}

export interface ElementSchema {
  readonly attributes: readonly AttributeSpec[];
  readonly byWire: ReadonlyMap<string, AttributeSpec>;
}

/** Properties holding an attribute value (not `extra`, not child elements). */
type AttributeProps<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends string | number | boolean ? K : never;
}[keyof T] &
  string;

type Row<T> = readonly [wire: string, prop: AttributeProps<T>, kind?: AttributeKind, missing?: WhenMissing];

function schema<T>(rows: ReadonlyArray<Row<T>>): ElementSchema {
  const attributes = rows.map(([wire, prop, kind = 'string', missing = 'omit']) => ({ wire, prop, kind, missing }));
  return { attributes, byWire: new Map(attributes.map((spec) => [spec.wire, spec])) };
}

// --- request ---------------------------------------------------------------

export const REQUEST = schema<OmahaRequest>([
  ['protocol', 'protocol', 'string', 'reject'],
  ['version', 'version'],
  ['ismachine', 'isMachine'],
  ['sessionid', 'sessionId'],
  ['userid', 'userId'],
  ['installsource', 'installSource'],
  ['testsource', 'testSource'],
  ['requestid', 'requestId'],
  ['updaterversion', 'updaterVersion'],
]);

export const REQUEST_OS = schema<RequestOs>([
  ['platform', 'platform'],
  ['version', 'version'],
  ['sp', 'sp'],
  ['arch', 'arch'],
]);

export const REQUEST_APP = schema<RequestApp>([
  ['appid', 'appId', 'string', 'reject'],
  ['version', 'version'],
  ['nextversion', 'nextVersion'],
  ['lang', 'lang'],
  ['client', 'client'],
  ['installage', 'installAge'],
  ['status', 'status'],
  ['track', 'track'],
  ['from_track', 'fromTrack'],
  ['bootid', 'bootId'],
  ['machineid', 'machineId'],
  ['oem', 'oem'],
  // Never written by the original client; update_engine sends them.
  ['oemversion', 'oemVersion'],
  ['alephversion', 'alephVersion'],
  ['machinealias', 'machineAlias'],
  ['board', 'board'],
  ['hardware_class', 'hardwareClass'],
  ['delta_okay', 'deltaOkay'],
]);

export const REQUEST_PING = schema<RequestPing>([
  ['active', 'active'],
  ['a', 'a'],
  ['r', 'r'],
  ['ad', 'ad'],
  ['rd', 'rd'],
  ['status', 'status'],
]);

export const REQUEST_UPDATECHECK = schema<RequestUpdateCheck>([
  ['targetversionprefix', 'targetVersionPrefix'],
]);

export const REQUEST_EVENT = schema<RequestEvent>([
  ['eventtype', 'eventType', 'int', 'reject'],
  ['eventresult', 'eventResult', 'int', 'reject'],
  ['previousversion', 'previousVersion'],
  ['errorcode', 'errorCode', 'int'],
  ['nextversion', 'nextVersion'],
]);

// --- response --------------------------------------------------------------
// Lenient on absence: the CLI parses replies from servers it does not control.

export const RESPONSE = schema<OmahaResponse>([
  ['protocol', 'protocol', 'string', 'empty'],
  ['server', 'server', 'string', 'empty'],
]);

export const RESPONSE_DAYSTART = schema<DayStart>([
  ['elapsed_seconds', 'elapsedSeconds', 'int'],
  ['elapsed_days', 'elapsedDays', 'int'],
]);

export const RESPONSE_APP = schema<ResponseApp>([
  ['appid', 'appId', 'string', 'empty'],
  ['status', 'status'],
]);

export const STATUS_ACK = schema<StatusAck>([['status', 'status', 'string', 'empty']]);

export const RESPONSE_UPDATECHECK = schema<ResponseUpdateCheck>([
  ['status', 'status', 'string', 'empty'],
  ['PollInterval', 'pollInterval', 'int'],
]);

export const MANIFEST = schema<Manifest>([['version', 'version', 'string', 'empty']]);

export const PACKAGE = schema<OmahaPackage>([
  ['name', 'name', 'string', 'empty'],
  ['hash', 'hash'],
  ['size', 'size', 'int'],
  ['required', 'required', 'bool'],
]);

export const ACTION = schema<OmahaAction>([
  ['event', 'event', 'string', 'empty'],
  ['ChromeOSVersion', 'chromeOsVersion'],
  ['sha256', 'sha256'],
  ['needsadmin', 'needsAdmin', 'bool'],
  ['IsDelta', 'isDelta', 'bool'],
  ['DisablePayloadBackoff', 'disablePayloadBackoff', 'bool'],
  ['MetadataSignatureRsa', 'metadataSignatureRsa'],
  ['MetadataSize', 'metadataSize', 'int'],
  ['deadline', 'deadline'],
]);
