// The CLI as a process on a real terminal (a pty from util-linux `script`)
// and in a pipe: colour and hints on the terminal, the original's bytes in
// the pipe. The CLI is bundled from src/ with esbuild into node_modules/.cache,
// so a concurrent `tsup` rebuilding dist/ cannot break it.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { closedPort } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = path.join(root, 'node_modules/.cache/updateservice-test');
const bundle = path.join(cacheDir, `cli-terminal-${process.pid}.mjs`);
const runner = path.join(cacheDir, `cli-terminal-runner-${process.pid}.mjs`);

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const ESC = '\x1b[';

interface Ran {
  code: number | null;
  /** On a pty: everything the terminal showed (stdout and stderr), with \n line ends. */
  out: string;
  err: string;
}

/** Runs the CLI with `argv`, on a pty (`script`) or with pipes; at most 20 s. */
function runCli(argv: string[], how: 'pty' | 'pipe', env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const node = [process.execPath, runner, pathToFileURL(bundle).href, ...argv];
  const quoted = node.map((w) => `'${w.replaceAll("'", `'\\''`)}'`).join(' ');
  const [command, args] = how === 'pty' ? ['script', ['-qec', quoted, '/dev/null']] : [node[0]!, node.slice(1)];
  // a clean environment: no colour settings or profiles of the person running the tests
  const childEnv = { PATH: process.env['PATH'], HOME: cacheDir, XDG_CONFIG_HOME: path.join(cacheDir, 'no-profiles'), TERM: 'xterm', ...env };
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, args as string[], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out: out.replaceAll('\r\n', '\n'), err });
    });
  });
}

let server: RecordingServer;

beforeAll(async () => {
  await mkdir(cacheDir, { recursive: true });
  await build({ entryPoints: [path.join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', outfile: bundle, logLevel: 'silent' });
  await writeFile(runner, "const [bundle, ...argv] = process.argv.slice(2);\nconst { run } = await import(bundle);\nrun('updateservicectl', argv);\n");
  server = await startRecordingServer({
    'GET .*': { status: 401, body: { error: { code: 401, message: 'invalid Hawk credentials: bad mac', errors: [{ reason: 'authError', message: 'invalid Hawk credentials: bad mac' }] } } },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(bundle, { force: true });
  await rm(runner, { force: true });
});

describe('on a terminal and in a pipe', () => {
  it('"connection refused": red, then a dim hint on the terminal; the plain line in a pipe', async () => {
    const argv = [`--server=http://127.0.0.1:${await closedPort()}`, 'app', 'list'];
    const tty = await runCli(argv, 'pty');
    expect(tty.code).toBe(1);
    expect(tty.out).toMatch(/^\x1b\[31m\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Get "[^"]+": dial tcp 127\.0\.0\.1:\d+: connect: connection refused\x1b\[39m\n/);
    expect(tty.out).toContain(`${ESC}2mhint: nothing answered at that address: check --server (or UPDATECTL_SERVER), or start a service there with "updateservicectl serve"${ESC}22m\n`);

    const pipe = await runCli(argv, 'pipe');
    expect([pipe.code, pipe.out]).toEqual([1, '']);
    expect(pipe.err).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Get "[^"]+": dial tcp 127\.0\.0\.1:\d+: connect: connection refused\n$/);
  });

  it('a 401: the hint names --user/--key, the variables and profile save; none in a pipe', async () => {
    const argv = [`--server=${server.url}`, '--user=admin', '--key=wrong', 'app', 'list'];
    const tty = await runCli(argv, 'pty');
    expect(tty.code).toBe(1);
    const [error, hint, rest] = tty.out.split('\n');
    expect(error).toMatch(/^\x1b\[31m.* googleapi: Error 401: invalid Hawk credentials: bad mac, authError\x1b\[39m$/);
    expect(hint).toMatch(/^\x1b\[2mhint: .*--user\/--key.*UPDATECTL_USER\/UPDATECTL_KEY.*profile save NAME"\x1b\[22m$/);
    expect(rest).toBe('');

    const noColour = await runCli(argv, 'pty', { NO_COLOR: '1' });
    expect(noColour.out.includes(ESC)).toBe(false);
    expect(noColour.out).toMatch(/\nhint: give a user and key/);

    const pipe = await runCli(argv, 'pipe');
    expect(pipe.err).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d googleapi: Error 401: invalid Hawk credentials: bad mac, authError\n$/);
  });

  it('a missing required flag: named on the terminal, only the usage in a pipe', async () => {
    const argv = ['app', 'update', `--app-id=${APP}`];
    const tty = await runCli(argv, 'pty');
    expect(tty.code).toBe(2);
    expect(tty.out).toMatch(/^\x1b\[31mmissing required flags --label, --description\x1b\[39m\nNAME:\n\tapp update - /);

    const pipe = await runCli(argv, 'pipe');
    expect([pipe.code, pipe.err]).toEqual([2, '']);
    expect(pipe.out).toMatch(/^NAME:\n\tapp update - /);
    expect(tty.out.endsWith(pipe.out)).toBe(true);
  });
});
