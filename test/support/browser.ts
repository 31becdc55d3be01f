/** Debian's Chromium driven by playwright-core (never a downloaded browser), one per test file. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { artifactsDir } from './paths.ts';

export { artifactsDir };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Saves a screenshot under test/artifacts/<group>/ (git-ignored) for people to look at. */
export async function snap(page: Page, group: string, name: string): Promise<void> {
  const dir = join(artifactsDir, group);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

export async function kioskState(page: Page): Promise<string | null> {
  return page.locator('#app').getAttribute('data-kiosk-state');
}

/** Waits for the root element to carry the given state. */
export async function waitForState(page: Page, state: string, timeout = 20_000): Promise<void> {
  await page.locator(`#app[data-kiosk-state="${state}"]`).waitFor({ timeout });
}
