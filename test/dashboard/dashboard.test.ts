// The dashboard in real headless Chromium against a real `serve`: seed 000
// through the UI. Sign in, create an app, a channel, a group and a package,
// run fake clients (the CLI's `instance fake`), promote 1.1.0 from another
// tab, and watch the version chart of the first tab move without a reload.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { APP_ID, startTestServer, type TestServer } from '../server/helpers.js';
import { HAVE_CHROMIUM, ROOT, ensureBuilt, launchBrowser, screenshots, type Browser } from './helpers.js';

const CLIENTS = 5;

describe.skipIf(!HAVE_CHROMIUM)(`dashboard in Chromium${HAVE_CHROMIUM ? '' : ' — skipped: no /usr/bin/chromium'}`, () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let fake: ChildProcess | undefined;
  let fakeOutput = '';
  const shots: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    t = await startTestServer('sqlite');
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    if (fake && fake.exitCode === null) {
      fake.kill('SIGINT');
      await new Promise((r) => fake!.once('exit', r));
    }
    await browser?.close();
    await t?.close();
    if (shots.length) console.log(`[dashboard] screenshots:\n  ${shots.map((f) => path.relative(ROOT, f)).join('\n  ')}`);
  });

  it('refuses a wrong key, then signs in with user and key', async () => {
    await page.goto(`${t.url}/`);
    await expect.poll(() => page.title()).toContain('Sign in');
    await page.getByLabel('User').fill('admin');
    await page.getByLabel('Key', { exact: true }).fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    shots.push(...(await screenshots(page, 'sign-in')));

    await page.getByLabel('Key', { exact: true }).fill(t.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
    await page.getByText('Signed in as').waitFor();
  });

  it('a malformed escape in the address shows "Not found", and the next page renders', async () => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.evaluate(() => (location.hash = '#/apps/%ZZ'));
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    await page.evaluate(() => (location.hash = '#/'));
    await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('creates an app, a channel, a group and a package through the UI', async () => {
    const createApp = page.getByRole('form', { name: 'Create an application' });
    await createApp.getByLabel('Label').fill('FakeApp');
    await createApp.getByLabel('Application ID').fill(APP_ID);
    await createApp.getByLabel('Description').fill('Fake app for testing');
    await createApp.getByRole('button', { name: 'Create application' }).click();
    await page.getByRole('heading', { level: 1, name: 'FakeApp' }).waitFor();

    await page.getByText('Create a channel').click();
    const createChannel = page.getByRole('form', { name: 'Create a channel' });
    await createChannel.getByLabel('Channel', { exact: true }).fill('master');
    await createChannel.getByLabel('Version').fill('1.0.0');
    await createChannel.getByRole('button', { name: 'Create channel' }).click();
    await page.getByRole('cell', { name: '1.0.0' }).first().waitFor();

    await page.getByText('Create a group').click();
    const createGroup = page.getByRole('form', { name: 'Create a group' });
    await createGroup.getByLabel('Label').fill('Fake Clients');
    await createGroup.getByLabel('Group ID').fill('fake1');
    await createGroup.getByLabel('Channel', { exact: true }).selectOption('master');
    await createGroup.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'Fake Clients', exact: true }).waitFor();

    await page.getByText('Add a package').click();
    const addPackage = page.getByRole('form', { name: 'Add a package' });
    await addPackage.getByLabel('Version').fill('1.1.0');
    await addPackage.getByLabel('URL').fill('https://fakepackage.local/update-1.1.0.gz');
    await addPackage.getByLabel('Size in bytes').fill('0');
    await addPackage.getByRole('button', { name: 'Add package' }).click();
    await page.getByRole('link', { name: 'https://fakepackage.local/update-1.1.0.gz' }).waitFor();

    // What the UI did is what the API holds.
    expect((await t.client.listApps()).items).toEqual([expect.objectContaining({ id: APP_ID, label: 'FakeApp', description: 'Fake app for testing' })]);
    expect((await t.client.listChannels(APP_ID)).items).toEqual([expect.objectContaining({ label: 'master', version: '1.0.0' })]);
    expect((await t.client.listGroups(APP_ID)).items).toEqual([expect.objectContaining({ id: 'fake1', label: 'Fake Clients', channelId: 'master' })]);
    expect((await t.client.listPackages(APP_ID)).items?.map((p) => p.version)).toEqual(['1.1.0']);
    shots.push(...(await screenshots(page, 'app')));
  });

  it('edits the group: rate limit, rollout steps, rollout on and off', async () => {
    await page.getByRole('link', { name: 'Fake Clients', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Fake Clients' }).waitFor();
    const settings = page.getByRole('form', { name: 'Group settings' });
    await settings.getByLabel('Rate limit: updates').fill('100');
    await settings.getByLabel('Rate limit: interval (seconds)').fill('60');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    expect(await t.client.getGroup(APP_ID, 'fake1')).toMatchObject({ updateCount: 100, updateInterval: 60, updatesPaused: false, channelId: 'master' });

    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel('Step 1: percent').fill('50');
    await page.getByLabel('Step 1: seconds').fill('1');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel('Step 2: percent').fill('100');
    await page.getByRole('button', { name: 'Save steps' }).click();
    await page.getByRole('status').filter({ hasText: 'Rollout saved: 2 steps.' }).waitFor();
    expect((await t.client.getRollout(APP_ID, 'fake1')).rollout).toEqual([
      { percent: 50, duration: '1' },
      { percent: 100, duration: '0' },
    ]);
    await page.getByRole('button', { name: 'Activate rollout', exact: true }).click();
    await page.getByRole('button', { name: 'Deactivate rollout' }).waitFor();
    expect((await t.client.getGroup(APP_ID, 'fake1')).rolloutActive).toBe(true);
    // Saving the settings keeps the rollout on (PATCH takes the whole group).
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    expect((await t.client.getGroup(APP_ID, 'fake1')).rolloutActive).toBe(true);
    await page.getByRole('button', { name: 'Deactivate rollout' }).click();
    await page.getByRole('button', { name: 'Activate rollout', exact: true }).waitFor();
    expect((await t.client.getGroup(APP_ID, 'fake1')).rolloutActive).toBe(false);
  });

  it('lists the fake clients, searchable, and charts them converging on a promoted version without a reload', async () => {
    fake = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin/updateservicectl'),
        `--server=${t.url}`,
        'instance',
        'fake',
        `--clients-per-app=${CLIENTS}`,
        '--min-sleep=1',
        '--max-sleep=2',
        '--app-id',
        APP_ID,
        '--group-id',
        'fake1',
        '--version=1.0.0',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } },
    );
    fake.stdout!.on('data', (d) => (fakeOutput += d));
    fake.stderr!.on('data', (d) => (fakeOutput += d));

    // The instance list fills (it refreshes every 10 s; a reload of the route is quicker).
    await expect
      .poll(async () => {
        await page.evaluate(() => dispatchEvent(new HashChangeEvent('hashchange')));
        await page.getByRole('heading', { level: 1, name: 'Fake Clients' }).waitFor();
        return page.getByText(`${CLIENTS} instances`, { exact: false }).count();
      }, { timeout: 30_000, interval: 1000 })
      .toBeGreaterThan(0);
    const search = page.getByLabel('Search instances');
    await search.fill('1.0.0');
    await page.getByText(`${CLIENTS} of ${CLIENTS} instances match.`).waitFor();
    await search.fill('deadbeef-nope');
    await page.getByText('No instance matches.').waitFor();
    await search.fill('');
    shots.push(...(await screenshots(page, 'group')));

    // The graphs, in this tab for the rest of the test.
    await page.getByRole('link', { name: 'View all graphs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Graphs: Fake Clients' }).waitFor();
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await page.getByText(`${CLIENTS} of ${CLIENTS}`).waitFor({ timeout: 20_000 });
    await expect.poll(() => versionColumns(page), { timeout: 20_000 }).toEqual(['1.0.0']);
    expect(await page.locator('#instances-per-version .u-legend').innerText()).toContain('1.0.0');
    expect(await page.locator('#instances-per-version canvas').count()).toBeGreaterThan(0);

    // Promote 1.1.0 on master from a second tab (a tab signs in for itself), through the UI.
    const other = await browser.context.newPage();
    await other.goto(`${t.url}/#sign-in?user=admin&key=${t.key}`);
    await other.getByRole('link', { name: 'FakeApp' }).click();
    await other.getByRole('heading', { level: 1, name: 'FakeApp' }).waitFor();
    await other.getByLabel('Version of channel master').selectOption('1.1.0');
    await other.getByRole('form', { name: 'Promote a version on channel master' }).getByRole('button', { name: 'Save' }).click();
    await other.getByRole('status').filter({ hasText: 'Channel master now serves 1.1.0.' }).waitFor();
    await other.close();
    expect((await t.client.listChannels(APP_ID)).items![0]!.version).toBe('1.1.0');

    // The first tab follows on its own: 1.1.0 appears on the chart, and every instance gets there.
    await expect.poll(() => versionColumns(page), { timeout: 30_000, interval: 1000 }).toEqual(['1.0.0', '1.1.0']);
    await page.getByText(`${CLIENTS} of ${CLIENTS} instances run 1.1.0`).waitFor({ timeout: 60_000 });
    expect(await page.locator('#instances-per-version .u-legend').innerText()).toContain('1.1.0');
    const latest = await latestRow(page);
    expect(Number(latest['1.1.0'])).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await expect.poll(() => page.locator('#events-by-type table.numbers thead th').allTextContents(), { timeout: 20_000 }).toContain('download started (13/1)');
    await page.locator('#instances-per-version details summary').click();
    shots.push(...(await screenshots(page, 'graphs')));
    expect(fakeOutput).toMatch(/updated from 1\.0\.0 to 1\.1\.0/);
  }, 150_000);

  it('signs in from the link serve prints, and takes the key out of the address bar', async () => {
    const p = await browser.context.newPage();
    await p.goto(`${t.url}/#sign-in?user=admin&key=${t.key}`);
    await p.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
    expect(p.url()).not.toContain(t.key);
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await p.close();
  });
});

/** The version columns of the data table beside the version chart. */
async function versionColumns(page: Page): Promise<string[]> {
  const heads = await page.locator('#instances-per-version table.numbers thead th').allTextContents();
  return heads.slice(1);
}

async function latestRow(page: Page): Promise<Record<string, string>> {
  const heads = await page.locator('#instances-per-version table.numbers thead th').allTextContents();
  const cells = await page.locator('#instances-per-version table.numbers tbody tr').first().locator('th, td').allTextContents();
  return Object.fromEntries(heads.map((h, i) => [h, cells[i] ?? '']));
}
