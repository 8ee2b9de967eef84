// Browser-test harness: Debian's Chromium, driven by playwright-core, with a
// fresh profile and its background networking off (else Chromium's own
// outbound connections are refused here and it stalls), against a real
// `serve` from test/server/helpers.ts.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  // .ci/run installs Chromium and requires these tests; elsewhere they are skipped, visibly.
  if (process.env.DASHBOARD_BROWSER_TESTS === 'required') throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  console.log(`[dashboard] browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/** The CLI bundle (fake clients) and the dashboard are built; `npm test` builds both first. */
export function ensureBuilt(): void {
  if (!existsSync(path.join(ROOT, 'dist/cli.js'))) execFileSync('npx', ['tsup'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(path.join(ROOT, 'dist/dashboard/index.html'))) execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'ignore' });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'us-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Full-page screenshots of `page` in the light and the dark theme: test-artifacts/dashboard-<name>-<theme>.png. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  await mkdir(ARTIFACTS, { recursive: true });
  const files: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForTimeout(300);
    const file = path.join(ARTIFACTS, `dashboard-${name}-${theme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return files;
}
