// An upload the client cuts off is logged as the client's doing (info,
// "request aborted by the client"), never as a failed request of the service.
import { connect } from 'node:net';
import { expect, it, vi } from 'vitest';
import { hawkHeader } from '../../src/api/hawk.js';
import { startTestServer } from './helpers.js';

it('an aborted upload is logged as a client abort, not as a 500', async () => {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const t = await startTestServer('sqlite', { enablePackageUploads: true, logLevel: 'info' });
  try {
    const url = new URL(`${t.url}/package-upload`);
    const boundary = 'abortedboundary';
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /package-upload HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${hawkHeader('admin', t.key, 'POST', url)}\r\n` +
            `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${10 * 2 ** 20}\r\n\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.gz"\r\n\r\n`,
        );
        socket.write(Buffer.alloc(256 * 1024, 1), () => setTimeout(() => socket.destroy(), 200));
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
    });
    const logged = () => lines.join('');
    await vi.waitFor(() => expect(logged()).toContain('request aborted by the client'), { timeout: 10_000 });
    expect(logged()).not.toContain('"level":50');
  } finally {
    await t.close();
    spy.mockRestore();
  }
});
