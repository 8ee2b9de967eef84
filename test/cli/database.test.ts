import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

let server: RecordingServer | undefined;
let raw: Server | undefined;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'usctl-db-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (raw) {
    raw.closeAllConnections();
    await new Promise((resolve) => raw!.close(resolve));
    raw = undefined;
  }
  await rm(dir, { recursive: true, force: true });
});

/** A server whose /db/backup reply the test writes by hand, chunk by chunk. */
async function startRawServer(handler: (res: ServerResponse) => void): Promise<string> {
  raw = createServer((req, res) => {
    req.resume();
    handler(res);
  });
  await new Promise<void>((resolve) => raw!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
}

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('database init', () => {
  it('GETs /admin/v1/init without signing and prints the reply', async () => {
    server = await startRecordingServer({ 'GET /admin/v1/init': { body: 'ok', contentType: 'text/plain' } });
    const r = await runCli([...asAdmin(server.url), 'database', 'init']);
    expect(r).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
    const req = server.requests[0]!;
    expect(req.path).toBe('/admin/v1/init');
    expect([...req.query.keys()]).toEqual([]);
    expect(req.headers.authorization).toBeUndefined();
  });

  it('prints any other reply and exits 1', async () => {
    server = await startRecordingServer({});
    const r = await runCli([...asAdmin(server.url), 'database', 'init']);
    expect(r).toEqual({ code: 1, stdout: '{}\n', stderr: '' });
  });

  it('reports an unreachable server like Go did', async () => {
    const url = await startRawServer(() => undefined);
    raw!.close();
    raw = undefined;
    const r = await runCli([`--server=${url}`, 'database', 'init']);
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe(`TS Get "${url}/admin/v1/init": dial tcp ${url.slice(7)}: connect: connection refused\n`);
  });
});

describe('database backup', () => {
  it('saves the backup to the given file, signed with Hawk', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 'backup-bytes;');
    server = await startRecordingServer({ 'GET /db/backup': { body: data, contentType: 'application/octet-stream' } });
    const r = await runCli([...asAdmin(server.url), 'database', 'backup', 'backup.tar.gz'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await readFile(join(dir, 'backup.tar.gz'))).equals(data)).toBe(true);
    expect(await readdir(dir)).toEqual(['backup.tar.gz']);
    const req = server.requests[0]!;
    expect(req.path).toBe('/db/backup');
    expect(req.headers.authorization).toMatch(/^Hawk id="admin", mac="[^"]+", ts="\d+", nonce="[^"]{8}"$/);
  });

  it('streams to disk as the data arrives instead of holding it in memory', async () => {
    const first = Buffer.alloc(64 * 1024, 'a');
    const rest = Buffer.alloc(64 * 1024, 'b');
    let pending: ServerResponse | undefined;
    const url = await startRawServer((res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(first);
      pending = res;
    });
    const run = runCli([...asAdmin(url), 'database', 'backup', join(dir, 'out.bin')]);
    // the first chunk reaches a temporary file beside the target before the reply is complete
    await waitFor(async () => {
      const names = await readdir(dir);
      if (names.length !== 1 || names[0] === 'out.bin') return false;
      return (await readFile(join(dir, names[0]!))).length === first.length;
    });
    pending!.end(rest);
    const r = await run;
    expect(r.code).toBe(0);
    expect(await readdir(dir)).toEqual(['out.bin']);
    expect((await readFile(join(dir, 'out.bin'))).equals(Buffer.concat([first, rest]))).toBe(true);
  });

  it('logs the body of a failed reply and leaves no file', async () => {
    server = await startRecordingServer({ 'GET /db/backup': { status: 500, body: 'backup failed', contentType: 'text/plain' } });
    const r = await runCli([...asAdmin(server.url), 'database', 'backup', 'backup2.tar.gz'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe('TS backup failed\n');
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves an existing file alone when the download breaks off', async () => {
    await writeFile(join(dir, 'backup.tar.gz'), 'previous backup');
    const url = await startRawServer((res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000, 'x'), () => res.destroy());
    });
    const r = await runCli([...asAdmin(url), 'database', 'backup', 'backup.tar.gz'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe('TS unexpected EOF\n');
    expect(await readdir(dir)).toEqual(['backup.tar.gz']);
    expect(await readFile(join(dir, 'backup.tar.gz'), 'utf8')).toBe('previous backup');
  });

  it('names the file as given when it cannot be created', async () => {
    server = await startRecordingServer({ 'GET /db/backup': { body: 'data' } });
    const r = await runCli([...asAdmin(server.url), 'database', 'backup', 'missing/backup.tar.gz'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe('TS open missing/backup.tar.gz: no such file or directory\n');
  });

  it('needs exactly one output file', async () => {
    for (const args of [[], ['a', 'b']]) {
      const r = await runCli(['database', 'backup', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('USAGE:\n\tupdateservicectl database backup <output file>\n');
    }
  });
});
