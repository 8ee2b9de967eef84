#!/usr/bin/env node
// The example app: a tiny web server that says which version it is.
//
//   node server.mjs --port 8081 [--name example-1]
//
// The version is not an argument: it is the VERSION file next to this script,
// written by make-release.sh into each release. Listens on 127.0.0.1 only.
// On SIGTERM it stops accepting connections, lets requests in flight finish,
// and exits.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    name: { type: 'string', default: 'example' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: server.mjs --port PORT [--name NAME]');
  process.exit(2);
}
const version = readFileSync(new URL('./VERSION', import.meta.url), 'utf8').trim();
const name = values.name;

const server = createServer((req, res) => {
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'x-app-version': version,
    'x-app-instance': name,
  });
  res.end(`Hello from version ${version} (${name})\n`);
});

server.on('error', (err) => {
  console.error(`${name}: ${err.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`${name}: version ${version} listening on http://127.0.0.1:${port}/`);
});

process.on('SIGTERM', () => {
  console.log(`${name}: version ${version} stopping`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2000).unref();
});
