// Serving the built dashboard (no browser needed): the page, its hashed
// assets and their cache headers, nothing outside the build; and the sign-in
// link `serve` prints on its first start.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signInLink } from '../../src/server/main.js';
import { runServe, startTestServer, withCapturedServe, type TestServer } from '../server/helpers.js';
import { ensureBuilt } from './helpers.js';

describe('dashboard assets', () => {
  let t: TestServer;
  beforeAll(async () => {
    ensureBuilt();
    t = await startTestServer('sqlite');
  }, 120_000);
  afterAll(async () => t?.close());

  it('serves the page and its hashed assets with the right cache headers', async () => {
    const index = await fetch(`${t.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${t.url}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${t.url}/${script}`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${t.url}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    // No CDN: every script and stylesheet is our own.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves nothing outside the build, however the path is spelled', async () => {
    for (const p of [
      '/assets/../../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/%2e%2e%2f%2e%2e%2fsrc%2fserver%2fmain.ts',
      '/assets/nope.js',
      '/package.json',
      '/index.html/../package.json',
    ]) {
      const res = await fetch(`${t.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain('"name": "updateservicectl"');
    }
  });

  it('leaves the API as it was: unsigned calls are still refused', async () => {
    expect((await fetch(`${t.url}/_ah/api/update/v1/apps`)).status).toBe(401);
  });
});

describe('sign-in link', () => {
  it('is printed next to the admin key on the first start only', async () => {
    await withCapturedServe(async ({ dataDir: dir, lines }) => {
      const run = () => runServe(['--listen', '127.0.0.1:0', '--data-dir', dir, '--log-level', 'silent', '--admin-key', 'k'.repeat(32)]);
      let done = run();
      await vi.waitFor(() => expect(lines.join('')).toMatch(/dashboard sign-in: /), { timeout: 10_000 });
      const url = /listening on (\S+)/.exec(lines.join(''))![1]!;
      expect(lines.join('')).toContain(`admin key: ${'k'.repeat(32)}\nlistening on ${url}\ndashboard sign-in: ${url}/#sign-in?user=admin&key=${'k'.repeat(32)}\n`);
      process.emit('SIGTERM');
      expect(await done).toBe(0);

      lines.length = 0;
      done = run();
      await vi.waitFor(() => expect(lines.join('')).toMatch(/listening on/), { timeout: 10_000 });
      expect(lines.join('')).not.toMatch(/sign-in/);
      process.emit('SIGTERM');
      expect(await done).toBe(0);
    });
  });

  it('keeps a published base URL and escapes the key', () => {
    expect(signInLink('https://updates.example.com/us/', 'jane doe', 'a&b=c')).toBe('https://updates.example.com/us/#sign-in?user=jane%20doe&key=a%26b%3Dc');
  });
});
