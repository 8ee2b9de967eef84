// The dashboard hides what the signed-in user's role cannot do: a viewer gets
// no forms or buttons that change anything, an editor limited to one app sees
// that app only and may change it, an admin may create applications.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { APP_ID, startTestServer, type TestServer } from '../server/helpers.js';
import { HAVE_CHROMIUM, ensureBuilt, launchBrowser, type Browser } from './helpers.js';

const OTHER_APP = '5b810680-e36a-4879-b98a-4f989e80b899';

describe.skipIf(!HAVE_CHROMIUM)(`dashboard and roles in Chromium${HAVE_CHROMIUM ? '' : ' — skipped: no /usr/bin/chromium'}`, () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureBuilt();
    t = await startTestServer('sqlite');
    for (const [id, label] of [[APP_ID, 'Mine'], [OTHER_APP, 'Theirs']] as const) {
      await t.client.insertApp({ id, label });
      await t.client.insertPackage(id, '1.0.0', { url: 'https://example.com/1.0.0/update.gz' });
      await t.client.insertChannel(id, { label: 'stable', version: '1.0.0', publish: true });
      await t.client.insertGroup(id, { id: 'prod', label: 'Production', channelId: 'stable' });
      await t.client.setRollout(id, 'prod', { rollout: [{ percent: 50, duration: '3600' }] });
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A new tab signed in as a new user with this role, through the sign-in link. */
  async function signedInAs(name: string, role?: 'admin' | 'editor' | 'viewer', apps?: string[]): Promise<Page> {
    const { token } = await t.client.createUser({ userName: name, role, apps });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${t.url}/#sign-in?user=${encodeURIComponent(name)}&key=${token}`);
    await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
    return page;
  }

  const appRows = async (page: Page) => (await page.getByRole('table', { name: 'Applications' }).getByRole('row').allInnerTexts()).slice(1);

  it('shows a viewer everything and no way to change it', async () => {
    const page = await signedInAs('audit', 'viewer');
    await page.locator('.who').getByText('viewer', { exact: true }).waitFor();
    expect(await appRows(page)).toHaveLength(2);
    expect(await page.getByRole('form', { name: 'Create an application' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Mine' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mine' }).waitFor();
    await page.getByRole('table', { name: 'Channels' }).waitFor();
    for (const summary of ['Create a group', 'Create a channel', 'Add a package']) expect(await page.getByText(summary, { exact: true }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Promote' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Production' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Production' }).waitFor();
    await page.getByRole('table', { name: 'Settings' }).waitFor();
    expect(await page.getByRole('table', { name: 'Rollout steps' }).getByRole('row').allInnerTexts()).toEqual(['Step\tPercent\tHold for (seconds)', '1\t50 %\t3600']);
    for (const button of ['Save settings', 'Activate rollout', 'Save steps']) expect(await page.getByRole('button', { name: button }).count()).toBe(0);
    await page.close();
  });

  it('shows an editor limited to one app that app only, with its forms', async () => {
    const page = await signedInAs('ci', 'editor', [APP_ID]);
    await page.locator('.who').getByText('editor of 1 app', { exact: true }).waitFor();
    const rows = await appRows(page);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Mine');
    expect(await page.getByRole('form', { name: 'Create an application' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Mine' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mine' }).waitFor();
    await page.getByText('Create a group', { exact: true }).waitFor();
    await page.getByRole('columnheader', { name: 'Promote' }).waitFor();
    await page.getByRole('link', { name: 'Production' }).first().click();
    await page.getByRole('button', { name: 'Save settings' }).waitFor();
    await page.getByRole('button', { name: 'Activate rollout' }).waitFor();
    await page.close();
  });

  it('offers an admin the form to create an application', async () => {
    const page = await signedInAs('second-admin');
    await page.getByRole('form', { name: 'Create an application' }).waitFor();
    expect(await page.locator('.who .badge').count()).toBe(0);
    await page.close();
  });
});
