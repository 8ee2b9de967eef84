// The page's Hawk: the same MAC as the CLI's (src/api/hawk.ts), with
// WebCrypto and with the fallback SHA-256 used outside secure contexts.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeMac, normalizedString as cliNormalized, parseHawkHeader } from '../../src/api/hawk.js';
import { hawkHeader, normalizedString } from '../../src/dashboard/api.js';
import { hmacSha256, hmacSha256Base64, sha256 } from '../../src/dashboard/hmac.js';

describe('dashboard Hawk', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('SHA-256 and HMAC-SHA256 of the fallback match node:crypto', () => {
    for (let n = 0; n < 300; n += 7) {
      const data = randomBytes(n);
      expect(Buffer.from(sha256(data)).toString('hex'), `length ${n}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
    for (const keyLength of [0, 16, 32, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const msg = randomBytes(100);
      expect(Buffer.from(hmacSha256(key, msg)).toString('base64')).toBe(createHmac('sha256', key).update(msg).digest('base64'));
    }
  });

  it('signs as the CLI does, with WebCrypto and without it', async () => {
    const key = 'd3b07384d113edec49eaa6238ad5ff00';
    const a = { ts: '1400000000', nonce: 'abcdef', method: 'GET', resource: '/_ah/api/update/v1/apps?alt=json', host: '127.0.0.1', port: '8000' };
    expect(normalizedString(a)).toBe(cliNormalized(a));
    expect(await hmacSha256Base64(key, normalizedString(a))).toBe(computeMac(key, a));
    vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => b.fill(7) });
    expect(await hmacSha256Base64(key, normalizedString(a))).toBe(computeMac(key, a));
  });

  it('builds a header the server can check: raw path and query, host, default port', async () => {
    const key = 'k'.repeat(32);
    const url = new URL('http://[::1]/_ah/api/update/v1/apps/a%2Fb/groups?alt=json&x=1');
    const attrs = parseHawkHeader(await hawkHeader({ user: 'admin', key }, 'POST', url, 1_400_000_000_500))!;
    expect(attrs).toMatchObject({ id: 'admin', ts: '1400000000' });
    const mac = computeMac(key, { ts: attrs.ts!, nonce: attrs.nonce!, method: 'POST', resource: '/_ah/api/update/v1/apps/a%2Fb/groups?alt=json&x=1', host: '::1', port: '80' });
    expect(attrs.mac).toBe(mac);
  });
});
