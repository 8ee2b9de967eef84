// The one error the Omaha parsers throw, and the limits they enforce.

export type OmahaParseErrorReason =
  | 'empty'
  | 'too-large'
  | 'encoding'
  | 'dtd'
  | 'malformed'
  | 'too-many-apps'
  | 'too-many-events'
  | 'attribute-too-long'
  | 'invalid';

/** A body the server must answer with HTTP 400 (or a reply the CLI cannot use). */
export class OmahaParseError extends Error {
  override readonly name = 'OmahaParseError';
  /** Machine-readable cause, for logs and metrics. */
  readonly reason: OmahaParseErrorReason;

  constructor(reason: OmahaParseErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

export interface OmahaLimits {
  /** Largest body accepted, in UTF-8 bytes. Real requests are under 1 KiB. */
  maxBodyBytes: number;
  /** Most `<app>` elements in one document. */
  maxApps: number;
  /** Most `<event>` elements in one document, all apps together. */
  maxEvents: number;
  /** Longest attribute value, in characters after decoding references. */
  maxAttributeLength: number;
}

export const DEFAULT_OMAHA_LIMITS: Readonly<OmahaLimits> = Object.freeze({
  maxBodyBytes: 64 * 1024,
  maxApps: 64,
  maxEvents: 256,
  maxAttributeLength: 1024,
});
