// Connection limits: a client that trickles its headers or body, or sits
// silent, is cut off; SIGTERM's shutdown finishes within its bound whatever
// clients do; and the listening socket queues a fleet-sized burst.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ID, startTestServer, type TestServer } from './helpers.js';
import { machineId, setUpApp } from './omaha-helpers.js';

/** Resolves when the server closes the socket; `trickle` is sent a byte at a time meanwhile. */
function closedByServer(socket: Socket, trickle = ''): Promise<void> {
  let i = 0;
  const timer = trickle ? setInterval(() => i < trickle.length && socket.write(trickle[i++]!), 200) : undefined;
  return new Promise((resolve) => {
    socket.on('error', () => undefined);
    socket.resume(); // read the 408 the server sends, so its close is seen
    socket.once('close', () => {
      clearInterval(timer);
      resolve();
    });
  });
}

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => resolve(s));
    s.once('error', reject);
  });
}

describe('connection limits', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('cuts off trickled headers, a trickled body and a silent connection', async () => {
    t = await startTestServer('sqlite', { headersTimeout: 1, requestTimeout: 2, idleTimeout: 2 });
    const headers = await open(t.url);
    const body = await open(t.url);
    const silent = await open(t.url);
    body.write(`POST /v1/update/ HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n`);
    // Each would stay open for minutes at a byte every 200 ms; the test's own timeout is the bound.
    await Promise.all([
      closedByServer(headers, `GET /health HTTP/1.1\r\nHost: ${'x'.repeat(200)}\r\n\r\n`),
      closedByServer(body, '<'.repeat(999)),
      closedByServer(silent),
    ]);
  }, 20_000);

  it('SIGTERM shutdown closes a request that never ends once --shutdown-timeout has passed', async () => {
    t = await startTestServer('sqlite', { requestTimeout: 0, idleTimeout: 0, shutdownTimeout: 1 });
    const stuck = await open(t.url);
    stuck.write(`POST /v1/update/ HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<`);
    const closed = closedByServer(stuck);
    await new Promise((r) => setTimeout(r, 200));
    const server = t;
    t = undefined;
    // Without the bound, close() waits for that request for ever.
    await server.close();
    await closed;
  }, 20_000);

  it('listens with a fleet-sized backlog, and answers a burst of 5,000 new connections, one check each', async () => {
    t = await startTestServer('sqlite');
    await setUpApp(t.client);
    const port = Number(new URL(t.url).port);
    // ss shows a listening socket's backlog as its Send-Q: ours, capped by net.core.somaxconn.
    const somaxconn = Number(execFileSync('cat', ['/proc/sys/net/core/somaxconn'], { encoding: 'utf8' }));
    const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim().split(/\s+/);
    expect(Number(line[2])).toBe(Math.min(8192, somaxconn));

    const body = (id: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><request protocol="3.0"><app appid="{${APP_ID}}" version="1.0.0" track="fake1" machineid="${id}"><ping active="1"></ping><updatecheck></updatecheck></app></request>`;
    const check = () =>
      new Promise<string>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/v1/update/', method: 'POST', agent: false, headers: { 'content-type': 'text/xml' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
        });
        req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        req.end(body(machineId()));
      });
    const results = await Promise.all(Array.from({ length: 5000 }, check));
    const tally: Record<string, number> = {};
    for (const r of results) tally[r] = (tally[r] ?? 0) + 1;
    expect(tally).toEqual({ 200: 5000 });
  }, 120_000);
});
