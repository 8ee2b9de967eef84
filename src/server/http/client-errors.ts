// Requests that node's HTTP parser refuses before any route sees them (a
// request line with bytes outside ASCII, a malformed header, a header block
// too large, a request that ran out of time) are answered in the API's error
// shape, like every other error, rather than in Fastify's own.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError } from './errors.js';

function errorFor(err: Error & { code?: string }): ApiError {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new ApiError(408, 'requestTimeout', 'request timed out');
  if (err.code === 'HPE_HEADER_OVERFLOW') return new ApiError(431, 'requestHeadersTooLarge', 'request headers too large');
  return new ApiError(400, 'badRequest', `malformed HTTP request${err.code ? ` (${err.code})` : ''}`);
}

/** Fastify's `clientErrorHandler`: one reply on the raw socket, then the connection is closed. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const error = errorFor(err);
  const body = JSON.stringify(error.body());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
