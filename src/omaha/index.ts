// Omaha 3.0 protocol layer shared by the CLI (`instance fake`, `watch`) and
// the update service (`serve`).

export type * from './types.js';
export { DEFAULT_OMAHA_LIMITS, OmahaParseError, type OmahaLimits, type OmahaParseErrorReason } from './errors.js';
export {
  OMAHA_PROTOCOL,
  SERVER_NAME,
  XML_HEADER,
  buildRequest,
  buildResponse,
  parseRequest,
  parseResponse,
} from './xml.js';
export { escapeAttribute } from './escape.js';
export {
  ERROR_CODE_MASK,
  EventResult,
  EventType,
  describeEvent,
  errorCodeFlags,
  isKnownEvent,
  maskErrorCode,
  type EventResultCode,
  type EventTypeCode,
} from './events.js';
export { packageUrl, updateInfo, type UpdateInfo } from './update-info.js';
