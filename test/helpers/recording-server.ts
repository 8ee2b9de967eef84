// A loopback HTTP server with canned replies that records every request:
// the CLI's tests check what went over the wire and what was printed.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path as sent (still percent-encoded). */
  path: string;
  query: URLSearchParams;
  /** The query as sent, with its `?` (empty when there is none). */
  search: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

export interface CannedReply {
  status?: number;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  contentType?: string;
}

/** A route: `METHOD path-regex` (matched against the whole decoded path). */
export type Routes = Record<string, CannedReply | ((req: RecordedRequest) => CannedReply)>;

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingServer(routes: Routes = {}): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const table = Object.entries(routes).map(([key, reply]) => {
    const space = key.indexOf(' ');
    return { method: key.slice(0, space), pattern: new RegExp(`^${key.slice(space + 1)}$`), reply };
  });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        search: url.search,
        headers: req.headers,
        body,
      };
      try {
        recorded.json = JSON.parse(body.toString('utf8'));
      } catch {
        // not JSON
      }
      requests.push(recorded);
      const route = table.find((r) => (r.method === '*' || r.method === req.method) && r.pattern.test(decodeURIComponent(url.pathname)));
      const reply = route ? (typeof route.reply === 'function' ? route.reply(recorded) : route.reply) : { body: {} };
      const payload =
        typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
