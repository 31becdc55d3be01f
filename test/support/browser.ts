/** Debian's Chromium driven by playwright-core (never a downloaded browser), one per test file. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { artifactsDir } from './paths.ts';
import { pressUntil, type TestKiosk } from './kiosk-server.ts';
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';

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

export interface PageRecord {
  /** every state the page set on its root, in order (two set between paints may show as the last) */
  states: string[];
  /**
   * What the page put on screen, in order (each render of it counts): the data-testid of elements,
   * `reason:CODE` for a notice with its reason, `toast:CODE` for a toast
   */
  appeared: string[];
}

/**
 * Records what the kiosk page shows as it shows it (call before `goto`): the states it sets and the
 * elements it renders. Something on screen for a moment (the countdown, under load) is then checked
 * from this record, not by a poll that may come after it is gone.
 */
export async function recordPage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const record = { states: [] as string[], appeared: [] as string[] };
    (window as unknown as { kioskRecord: typeof record }).kioskRecord = record;
    const note = (node: Node): void => {
      if (!(node instanceof HTMLElement)) return;
      for (const e of [node, ...node.querySelectorAll<HTMLElement>('[data-testid], [data-reason], .toast')]) {
        if (e.dataset.testid) record.appeared.push(e.dataset.testid);
        if (e.dataset.reason) record.appeared.push(`reason:${e.dataset.reason}`);
        if (e.classList.contains('toast')) record.appeared.push(`toast:${e.dataset.code ?? ''}`);
      }
    };
    new MutationObserver((changes) => {
      for (const c of changes) {
        if (c.type === 'attributes') record.states.push((c.target as Element).getAttribute('data-kiosk-state') ?? '');
        else c.addedNodes.forEach(note);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-kiosk-state'] });
  });
}

/** What the page showed since it loaded or since the last call (recordPage), and starts a new record. */
export function pageRecord(page: Page): Promise<PageRecord> {
  return page.evaluate(() => {
    const r = (window as unknown as { kioskRecord: PageRecord }).kioskRecord;
    return { states: r.states.splice(0), appeared: r.appeared.splice(0) };
  });
}

/**
 * Presses 拍照 as a student does: once, and again when the press took no photo (`pressUntil` says
 * when). Resolves once the press has done what the test wants (`done`; by default the kiosk is past
 * the still, at its review).
 */
export async function pressShutter(page: Page, kiosk: Pick<TestKiosk, 'api'>, done?: (view: KioskView) => boolean, tries?: number): Promise<void> {
  const press = async (): Promise<string | null> => {
    // The kiosk's answer to the tap, read from the page's own request.
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/kiosk/capture', { timeout: 30_000 }),
      page.getByTestId('shutter').click({ timeout: 30_000 }),
    ]);
    return ((await answer.json()) as { error?: { code: string } }).error?.code ?? null;
  };
  await pressUntil(kiosk, press, done, tries);
}

export async function kioskState(page: Page): Promise<string | null> {
  return page.locator('#app').getAttribute('data-kiosk-state');
}

/**
 * Waits for the root element to carry the given state. On a timeout the error says which state the
 * page was in and what it showed, and a screenshot is left in test/artifacts/failures/: a rare
 * failure under load must be readable from the CI log alone. The wait is long (a minute): it only
 * bounds a page that is stuck, and a loaded machine may take seconds to change screens.
 */
export async function waitForState(page: Page, state: string, timeout = 60_000): Promise<void> {
  try {
    await page.locator(`#app[data-kiosk-state="${state}"]`).waitFor({ timeout });
  } catch (err) {
    const shown = await page.locator('#app').evaluate((app) => {
      // With recordPage: the last states and what appeared, e.g. a toast that has gone since.
      const r = (window as unknown as { kioskRecord?: PageRecord }).kioskRecord;
      return { state: app.getAttribute('data-kiosk-state'), text: (app.textContent ?? '').slice(0, 400), record: r ? { states: r.states.slice(-12), appeared: r.appeared.slice(-30) } : null };
    }).catch(() => null);
    const dir = join(artifactsDir, 'failures');
    mkdirSync(dir, { recursive: true });
    const shot = join(dir, `waiting-for-${state}-${Date.now()}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    const record = shown?.record ? `; recorded ${JSON.stringify(shown.record)}` : '';
    throw new Error(`kiosk never reached "${state}": it shows "${shown?.state}" (${JSON.stringify(shown?.text)})${record}; screenshot ${shot}\n${(err as Error).message}`);
  }
}
