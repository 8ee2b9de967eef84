#!/usr/bin/env node
// A tiny round-robin load balancer, standing in for the seeds' vulcand.
//
//   node proxy.mjs --port 8080 --backend 127.0.0.1:8081 --backend 127.0.0.1:8082 ...
//
// Each request goes to the next backend in turn; a backend that refuses the
// connection (an instance being restarted) is skipped and the request goes
// to the next one, so clients see no error while at least one instance is
// up. The response says which backend answered in `X-Backend`. Listens on
// 127.0.0.1 only; logs on stderr when a backend goes down or comes back.
import { createServer, request } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    backend: { type: 'string', multiple: true, default: [] },
  },
});
const port = Number(values.port);
const backends = values.backend.map((spec) => {
  const [host, p] = spec.split(':');
  if (!host || !Number(p)) {
    console.error(`proxy: bad --backend ${spec} (want host:port)`);
    process.exit(2);
  }
  return { spec, host, port: Number(p), up: true };
});
if (backends.length === 0 || !Number.isInteger(port)) {
  console.error('usage: proxy.mjs --port PORT --backend HOST:PORT [--backend HOST:PORT]...');
  process.exit(2);
}

const MAX_BODY = 1 << 20;
let next = 0;

function mark(backend, up, why) {
  if (backend.up === up) return;
  backend.up = up;
  console.error(`${new Date().toISOString().slice(11, 19)} proxy: ${backend.spec} is ${up ? 'back' : `down (${why}), skipping it`}`);
}

/** Sends the request to one backend; resolves false if it could not be reached. */
function forward(backend, req, body, res) {
  return new Promise((resolve) => {
    const headers = { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' };
    let responded = false;
    const upstream = request(
      { host: backend.host, port: backend.port, method: req.method, path: req.url, headers, agent: false, timeout: 5000 },
      (answer) => {
        responded = true;
        mark(backend, true);
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-backend': backend.spec });
        answer.pipe(res);
        answer.on('end', () => resolve(true));
        answer.on('error', () => {
          res.destroy();
          resolve(true);
        });
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
    upstream.on('error', (err) => {
      if (responded) {
        // the backend died mid-response: too late to try another one
        res.destroy();
        return;
      }
      // no response yet: the backend is down (or went down mid-request)
      mark(backend, false, err.code ?? err.message);
      resolve(false);
    });
    upstream.end(body);
  });
}

const server = createServer(async (req, res) => {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) {
      res.writeHead(413).end('request body too large\n');
      return;
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const start = next;
  next = (next + 1) % backends.length;
  // round robin, skipping backends that cannot be reached
  for (let i = 0; i < backends.length; i++) {
    if (await forward(backends[(start + i) % backends.length], req, body, res)) return;
  }
  res.writeHead(502, { 'content-type': 'text/plain' }).end('no backend available\n');
});
server.on('error', (err) => {
  console.error(`proxy: ${err.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  console.error(`proxy: listening on http://127.0.0.1:${port}/, backends ${backends.map((b) => b.spec).join(' ')}`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
