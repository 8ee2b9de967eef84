// The Omaha endpoint's two doors (a node:http handler in front of Fastify, and
// the Fastify route for what it passes on) answer alike; the front door reads
// the client's address as Fastify does and enforces the body cap itself.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { peerOf } from '../../src/server/omaha/route.js';
import { requests } from './fixtures/omaha-requests.js';
import { APP_ID, describeEngines, startTestServer, type TestServer } from './helpers.js';
import { machineId, postOmaha, setUpApp } from './omaha-helpers.js';

describeEngines('Omaha endpoint: front door and Fastify route', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await setUpApp(t.client, { version: '1.1.0' });
  });
  afterAll(async () => t?.close());

  // daystart moves with the clock; the rest of a reply depends on the request only.
  const stable = (text: string) => text.replace(/elapsed_seconds="\d+"/, 'elapsed_seconds=""');

  it('the same request through either door gets the same reply', async () => {
    const shape = { appId: APP_ID, version: '1.1.0', track: 'fake1', machineId: machineId() };
    const body = requests.updateEngineCheck(shape);
    const front = await postOmaha(t.url, body);
    // A percent-encoded spelling of the path is left to Fastify's router.
    const routed = await postOmaha(t.url, body, { path: '/v1/%75pdate/' });
    expect(front.status).toBe(200);
    expect(routed.status).toBe(200);
    expect(routed.contentType).toBe(front.contentType);
    expect(stable(routed.text)).toBe(stable(front.text));

    const bad = await postOmaha(t.url, '<request protocol="3.0"><app appid="&xxe;"></app></request>');
    const badRouted = await postOmaha(t.url, '<request protocol="3.0"><app appid="&xxe;"></app></request>', { path: '/v1/%75pdate' });
    expect(bad.status).toBe(400);
    expect(badRouted).toEqual(bad);
  });

  it('a body over the cap without Content-Length (chunked) gets 400', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const body = Readable.from((function* () {
      for (let i = 0; i < 6; i++) yield chunk;
    })());
    const res = await request(`${t.url}/v1/update/`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    expect(res.statusCode).toBe(400);
    expect(await res.body.text()).toBe('bad request: body exceeds 65536 bytes\n');
  });

  it('other methods and paths still reach Fastify', async () => {
    const get = await request(`${t.url}/v1/update/`);
    expect(get.statusCode).toBe(404);
    await get.body.dump();
    const other = await postOmaha(t.url, '', { path: '/v1/updates' });
    expect(other.status).toBe(404);
    expect(other.contentType).toMatch(/json/);
  });
});

describe('peerOf: the client as Fastify reads it', () => {
  const req = (headers: Record<string, string>, remoteAddress = '10.0.0.9', encrypted = false) =>
    ({ headers, socket: { remoteAddress, encrypted } }) as unknown as IncomingMessage;

  it('without trust-proxy: the socket, the Host header', () => {
    const headers = { host: 'updates.example:8000', 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil' };
    expect(peerOf(req(headers), { trustProxy: false })).toEqual({ ip: '10.0.0.9', baseUrl: 'http://updates.example:8000' });
    expect(peerOf(req({ host: 'h' }, '::1', true), { trustProxy: false })).toEqual({ ip: '::1', baseUrl: 'https://h' });
  });

  it('with trust-proxy: the first X-Forwarded-For, the last X-Forwarded-Proto and -Host', () => {
    const headers = { host: 'inner:8000', 'x-forwarded-for': ' 1.2.3.4 , 10.0.0.1', 'x-forwarded-proto': 'http, https', 'x-forwarded-host': 'a, updates.example' };
    expect(peerOf(req(headers), { trustProxy: true })).toEqual({ ip: '1.2.3.4', baseUrl: 'https://updates.example' });
    expect(peerOf(req({ host: 'inner' }), { trustProxy: true })).toEqual({ ip: '10.0.0.9', baseUrl: 'http://inner' });
  });

  it('a configured base URL wins', () => {
    expect(peerOf(req({ host: 'inner' }), { trustProxy: false, baseUrl: 'https://pub.example' }).baseUrl).toBe('https://pub.example');
  });
});
