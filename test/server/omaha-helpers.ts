// Talking Omaha to a test server, and checking replies by the rules of
// omaha.md: what update_engine, `instance fake` and `watch` need to accept them.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { request as undiciRequest, Agent } from 'undici';
import { parseRequest, parseResponse, type OmahaResponse, type ResponseApp } from '../../src/omaha/index.js';
import type { ApiClient } from '../../src/api/client.js';
import { APP_ID } from './helpers.js';

const agent = new Agent({ connections: 256, pipelining: 1 });

export interface OmahaReply {
  status: number;
  text: string;
  contentType: string;
  parsed?: OmahaResponse;
}

export async function postOmaha(base: string, body: string | Buffer, opts: { path?: string; contentType?: string | null } = {}): Promise<OmahaReply> {
  const headers: Record<string, string> = {};
  if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'text/xml';
  const res = await undiciRequest(`${base}${opts.path ?? '/v1/update/'}`, { method: 'POST', body, headers, dispatcher: agent });
  const text = await res.body.text();
  const reply: OmahaReply = { status: res.statusCode, text, contentType: String(res.headers['content-type'] ?? '') };
  if (res.statusCode === 200) reply.parsed = parseResponse(text);
  return reply;
}

export const machineId = () => randomBytes(16).toString('hex');

/**
 * Asserts the reply is one every client of omaha.md accepts for this request,
 * and returns the reply's apps in request order.
 */
export function expectValidReply(requestBody: string, reply: OmahaReply): ResponseApp[] {
  expect(reply.status, reply.text).toBe(200);
  expect(reply.contentType).toMatch(/xml/);
  expect(reply.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<response ')).toBe(true);
  expect(reply.text).not.toMatch(/<response[^>]*xmlns=/);
  const res = reply.parsed!;
  expect(res.protocol).toBe('3.0');
  expect(res.dayStart?.elapsedSeconds).toBeGreaterThanOrEqual(0);
  expect(res.dayStart?.elapsedSeconds).toBeLessThan(86400);
  expect(res.dayStart?.elapsedDays).toBeGreaterThan(6000);
  const req = parseRequest(requestBody);
  expect(res.apps).toHaveLength(req.apps.length);
  return req.apps.map((app, i) => {
    const out = res.apps[i]!;
    expect(out.appId).toBe(app.appId); // echoed exactly as sent
    expect(out.events).toHaveLength(app.events.length);
    for (const e of out.events) expect(e.status).toBe('ok');
    if (app.ping) expect(out.ping?.status).toBe('ok');
    else expect(out.ping).toBeUndefined();
    if (!app.updateCheck) {
      expect(out.updateCheck).toBeUndefined();
      return out;
    }
    const check = out.updateCheck!;
    expect(check, 'updatecheck must be present when asked').toBeDefined();
    if (out.status !== 'ok') {
      expect(out.status).toMatch(/^error-unknown(Application|Group)$/);
      expect(check.status).toBe(out.status);
      return out;
    }
    expect(['ok', 'noupdate']).toContain(check.status);
    if (check.status === 'ok') {
      // update_engine's minimum.
      expect(check.manifest).toBeDefined();
      expect(check.urls?.length).toBeGreaterThan(0);
      expect(check.urls![0]).toMatch(/\/$/);
      const pkg = check.manifest!.packages[0]!;
      expect(pkg.name).not.toBe('');
      expect(pkg.size).toBeGreaterThan(0);
      expect(pkg.hash).toMatch(/^[A-Za-z0-9+/]{27}=$/);
      const post = check.manifest!.actions.find((a) => a.event === 'postinstall');
      expect(post?.sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    } else {
      expect(check.manifest).toBeUndefined();
    }
    return out;
  });
}

export const SHA1 = 'm4eqJIl18nb4SPWQVCdVCLTwAxE=';
export const SHA256 = 'YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=';

/** App, packages 1.0.0 and 1.1.0, channel `stable` on `version`, group `fake1`. */
export async function setUpApp(client: ApiClient, opts: { version?: string; group?: Record<string, unknown>; groupId?: string } = {}): Promise<void> {
  await client.insertApp({ id: APP_ID, label: 'FakeApp' });
  for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
    await client.insertPackage(APP_ID, v, {
      url: `https://example.com/packages/${v}/update.gz`, size: '1024', sha1Sum: SHA1, sha256Sum: SHA256,
    });
  }
  await client.insertChannel(APP_ID, { appId: APP_ID, label: 'stable', version: opts.version ?? '1.1.0' });
  await client.insertGroup(APP_ID, { id: opts.groupId ?? 'fake1', label: 'Fake Group 1', channelId: 'stable', ...opts.group });
}
