// Errors in Google's JSON shape, as the original service (Cloud Endpoints)
// sent them and as the CLI prints them: `googleapi: Error 404: app not found, notFound`.
import type { GoogleErrorBody, GoogleErrorItem } from '../../api/types.js';

/**
 * Messages may quote what the client sent (a bad version, a JSON syntax
 * error): its line breaks and other control characters are written as
 * escapes, so that a message stays one line wherever it is printed.
 */
function oneLine(message: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly location?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(oneLine(message));
    this.name = 'ApiError';
  }

  body(): GoogleErrorBody {
    const item: GoogleErrorItem = { domain: 'global', reason: this.reason, message: this.message };
    if (this.location) {
      item.location = this.location;
      item.locationType = 'parameter';
    }
    return { error: { code: this.status, message: this.message, errors: [item] } };
  }
}

export const notFound = (what: string) => new ApiError(404, 'notFound', `${what} not found`);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);
/** 400 naming the offending field. */
export const invalid = (field: string, message: string) => new ApiError(400, 'invalid', `invalid ${field}: ${message}`, field);
export const required = (field: string) => new ApiError(400, 'required', `${field} is required`, field);
export const badRequest = (message: string) => new ApiError(400, 'badRequest', message);
/** 403: the signed user's role or app scope does not allow the request. */
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const unauthorized = (message: string, wwwAuthenticate: string) =>
  new ApiError(401, 'authError', message, 'Authorization', { 'www-authenticate': wwwAuthenticate });

/** 507: the service's disk is full. The connection is closed after the reply, so an unread upload body is not waited for. */
export function insufficientStorage(): ApiError {
  return new ApiError(507, 'insufficientStorage', "the service's disk is full: changes are refused until space is freed", undefined, { connection: 'close' });
}

export function internalError(): ApiError {
  return new ApiError(500, 'backendError', 'Internal Server Error');
}
