// docs/ci.md's promotion script, taken from the page as written and run with
// bash and jq against a real `serve`: the built CLI on PATH, the connection
// from UPDATECTL_* variables (as the GitHub and GitLab jobs give it) and from
// a saved profile, and its failure as the page shows it.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpApp } from '../server/omaha-helpers.js';
import { childEnv, snapshotCli, type CliSnapshot } from './processes.js';
import { APP_ID, startTestServer, type TestServer } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The fenced block after `<!-- ci-script: NAME -->` in docs/ci.md. */
async function docScript(name: string): Promise<string> {
  const page = await readFile(path.join(root, 'docs/ci.md'), 'utf8');
  const m = new RegExp(`<!-- ci-script: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(page);
  if (!m) throw new Error(`docs/ci.md has no script "${name}"`);
  return m[1]!;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('docs/ci.md', () => {
  let t: TestServer;
  let snapshot: CliSnapshot;
  let work: string;
  let script: string;
  let ciKey: string;

  beforeAll(async () => {
    snapshot = await snapshotCli();
    work = await mkdtemp(path.join(tmpdir(), 'us-ci-docs-'));
    // `updateservicectl` on PATH, as `npm install --global` puts it.
    await writeFile(path.join(work, 'updateservicectl'), `#!/bin/sh\nexec "${process.execPath}" "${snapshot.bin}" "$@"\n`);
    await chmod(path.join(work, 'updateservicectl'), 0o755);
    script = path.join(work, 'promote.sh');
    await writeFile(script, await docScript('promote'));
    await chmod(script, 0o755);
    t = await startTestServer('sqlite');
    await setUpApp(t.client, { version: '1.0.0', groupId: 'fake1' });
    await t.client.insertChannel(APP_ID, { appId: APP_ID, label: 'beta', version: '1.2.0' });
    // The job's own user, as the page creates it.
    const created = await t.client.createUser({ userName: 'ci-bot', role: 'editor', apps: [APP_ID] } as never);
    ciKey = created.token!;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await snapshot?.remove();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const run = (env: NodeJS.ProcessEnv): Promise<Run> =>
    new Promise((resolve) => {
      execFile('bash', [script], { cwd: work, env: { ...childEnv(), PATH: `${work}:${process.env.PATH}`, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const stable = async () => (await t.client.listChannels(APP_ID)).items?.find((c) => c.label === 'stable');

  it('promotes beta to stable with the connection in variables, as ci-bot', async () => {
    const r = await run({ UPDATECTL_SERVER: t.url, UPDATECTL_USER: 'ci-bot', UPDATECTL_KEY: ciKey, APP_ID });
    expect(r).toEqual({ code: 0, stdout: 'stable now offers 1.2.0\n', stderr: '' });
    expect(await stable()).toMatchObject({ version: '1.2.0', publish: true });
  });

  it('promotes with a saved profile, and fails as the page shows for an app it does not know', async () => {
    await t.client.updateChannel(APP_ID, 'stable', { appId: APP_ID, label: 'stable', version: '1.0.0' });
    const config = path.join(work, 'config');
    const save = await new Promise<Run>((resolve) =>
      execFile(snapshot.bin, [`--server=${t.url}`, '--user=ci-bot', `--key=${ciKey}`, 'profile', 'save', 'prod'], { env: { ...childEnv(), XDG_CONFIG_HOME: config } }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(save.code, save.stderr).toBe(0);
    const r = await run({ XDG_CONFIG_HOME: config, UPDATECTL_PROFILE: 'prod', APP_ID });
    expect(r).toEqual({ code: 0, stdout: 'stable now offers 1.2.0\n', stderr: '' });

    // ci-bot is limited to its app; as admin, an unknown app is the page's 404.
    const missing = await run({ UPDATECTL_SERVER: t.url, UPDATECTL_USER: 'admin', UPDATECTL_KEY: t.key, APP_ID: 'no-such-app' });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 404, message: 'app not found' } });
    const page = await readFile(path.join(root, 'docs/ci.md'), 'utf8');
    expect(page).toContain(missing.stderr.trim());
  });

  it('refuses to promote a version without a package', async () => {
    await t.client.updateChannel(APP_ID, 'beta', { appId: APP_ID, label: 'beta', version: '7.0.0' });
    const r = await run({ UPDATECTL_SERVER: t.url, UPDATECTL_USER: 'ci-bot', UPDATECTL_KEY: ciKey, APP_ID });
    expect(r).toEqual({ code: 1, stdout: '', stderr: "beta's version 7.0.0 has no package\n" });
  });
});
