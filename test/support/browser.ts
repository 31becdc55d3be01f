/** Debian's Chromium driven by playwright-core (never a downloaded browser), one per test file. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { artifactsDir } from './paths.ts';

/** A new page signed in to the staff dashboard through its form, in Chinese, on the first page of the role. */
export async function signedInStaffPage(browser: Browser, url: string, name: string, password = 'browser-password'): Promise<Page> {
  const page = await browser.newPage({ locale: 'zh-CN' });
  await page.goto(url);
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav');
  return page;
}

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

/** A USB barcode scanner's pace: it types a whole code a few milliseconds a key. */
const SCANNER_KEY_MS = 4;

/**
 * Scans a code as a keyboard-wedge scanner does: each key through Chromium's real input pipeline
 * (CDP Input.dispatchKeyEvent), stamped the way the hardware stamps it, SCANNER_KEY_MS apart,
 * then Enter. The kiosk tells a scan from stray typing by the keys' time stamps, and Playwright's
 * `keyboard.type` stamps each key when this process gets round to sending it: on a loaded machine
 * that is half a second apart, which no scanner does, and the kiosk rightly drops it as a half-read
 * code. `gapAfter` puts a pause of that many ms after the key at that index (a half read, then a rescan).
 */
export async function scanCode(page: Page, code: string, gapAfter?: { index: number; ms: number }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    let at = Date.now();
    const keys = [...code, 'Enter'];
    for (const [i, key] of keys.entries()) {
      const enter = key === 'Enter';
      const keyCode = enter ? 13 : key.toUpperCase().charCodeAt(0);
      const timestamp = at / 1000;
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, text: enter ? '\r' : key, windowsVirtualKeyCode: keyCode, timestamp });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, windowsVirtualKeyCode: keyCode, timestamp: timestamp + 0.001 });
      at += SCANNER_KEY_MS + (gapAfter?.index === i ? gapAfter.ms : 0);
    }
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export async function kioskState(page: Page): Promise<string | null> {
  return page.locator('#app').getAttribute('data-kiosk-state');
}

/**
 * Waits for the root element to carry the given state. On a timeout the error says which state the
 * page was in and what it showed, and a screenshot is left in test/artifacts/failures/: a rare
 * failure under load must be readable from the CI log alone.
 */
export async function waitForState(page: Page, state: string, timeout = 20_000): Promise<void> {
  try {
    await page.locator(`#app[data-kiosk-state="${state}"]`).waitFor({ timeout });
  } catch (err) {
    const shown = await page.locator('#app').evaluate((app) => ({ state: app.getAttribute('data-kiosk-state'), text: (app.textContent ?? '').slice(0, 400) })).catch(() => null);
    const dir = join(artifactsDir, 'failures');
    mkdirSync(dir, { recursive: true });
    const shot = join(dir, `waiting-for-${state}-${Date.now()}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    throw new Error(`kiosk never reached "${state}": it shows "${shown?.state}" (${JSON.stringify(shown?.text)}); screenshot ${shot}\n${(err as Error).message}`);
  }
}
