/**
 * The kiosk in real Chromium against a real server (temp data folder, simulated camera and rig):
 * every path a student can take. One browser and one server for the file; each test starts from
 * idle. Screenshots go to test/artifacts/kiosk/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { launchChromium, pageRecord, pressShutter, recordPage, scanCode, snap, waitForState } from '../support/browser.ts';
import { projectRoot } from '../support/paths.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';

let k: TestKiosk;
let browser: Browser;
let page: Page;
const demo = (i: number) => k.runtime.demoStudents[i] as NonNullable<(typeof k.runtime.demoStudents)[number]>;

beforeAll(async () => {
  [k, browser] = await Promise.all([
    startTestKiosk({ uiDir: join(projectRoot, 'kiosk-ui', 'dist'), session: { retakeLimit: 2, countdownMs: 1200 } }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await k?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await recordPage(page);
  await page.goto(k.url);
  await waitForState(page, 'idle');
});
afterEach(async () => {
  await page.close();
  // Leave the kiosk idle for the next test, whatever this one did.
  if ((await k.api('GET', '/api/kiosk/state')).body.state !== 'idle') await k.api('POST', '/api/kiosk/cancel');
  await k.waitFor('idle');
});

/** A barcode scanner: a burst of keystrokes a few ms apart, then Enter. */
const scan = (code: string): Promise<void> => scanCode(page, code);

async function scanToPose(code: string, shots?: string): Promise<void> {
  await scan(code);
  await waitForState(page, 'confirm');
  if (shots) await snap(page, shots, '02-confirm');
  await page.getByTestId('confirm-yes').click();
  await waitForState(page, 'dress');
  if (shots) await snap(page, shots, '03-dress');
  await page.getByTestId('dress-ready').click();
  await waitForState(page, 'pose');
}

describe('kiosk in Chromium', () => {
  it('scan -> confirm -> capture -> review -> accept -> receipt, with the demo banner and a live preview', async () => {
    await expect.poll(() => page.getByTestId('demo-banner').textContent()).toBe('演示模式 DEMO');
    await snap(page, 'kiosk', '01-idle');
    await scanToPose(demo(0).collectionCode, 'kiosk');
    await expect.poll(() => page.locator('[data-field="name"] dd').count()).toBe(0);
    // Frames arrive and are drawn: the canvas counts them.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="preview"]')?.getAttribute('data-frames')) >= 5);
    await snap(page, 'kiosk', '04-pose');
    await pageRecord(page);
    // The countdown lasts 1.2 s here: a loaded machine may be past it before a poll looks, so it is
    // checked from the page's own record of what it showed. Its picture is taken if caught.
    const countdownShot = page.getByTestId('countdown').waitFor({ timeout: 10_000 }).then(() => snap(page, 'kiosk', '05-countdown')).catch(() => undefined);
    await pressShutter(page, k);
    await waitForState(page, 'review');
    await countdownShot;
    const shown = await pageRecord(page);
    expect(shown.appeared).toContain('countdown');
    expect(shown.appeared.indexOf('countdown')).toBeLessThan(shown.appeared.indexOf('review-photo'));
    await expect.poll(() => page.locator('.review').getAttribute('data-verdict')).toBe('pass');
    await page.waitForFunction(() => (document.querySelector('[data-testid="review-photo"]') as HTMLImageElement | null)?.naturalWidth === 480);
    await snap(page, 'kiosk', '06-review-pass');
    await page.getByTestId('accept').click();
    await waitForState(page, 'receipt');
    await expect.poll(() => page.getByTestId('sequence').textContent()).toBe('0001');
    await snap(page, 'kiosk', '07-receipt');
    await page.getByTestId('finish').click();
    await waitForState(page, 'idle');
    const rows = await k.runtime.db.all<{ sequence: number }>('SELECT sequence FROM accepted_photos');
    expect(rows).toEqual([{ sequence: 1 }]);
  });

  it('a failing shot shows its reasons and marked region, and the student retakes', async () => {
    await scanToPose(demo(1).collectionCode);
    k.runtime.simulatedCamera?.queuePose({ roll: 15 });
    await pressShutter(page, k);
    await waitForState(page, 'review');
    await expect.poll(() => page.locator('.review').getAttribute('data-verdict')).toBe('fail');
    await expect.poll(() => page.locator('[data-region="pose.roll"]').count()).toBe(1);
    await expect.poll(() => page.locator('.findings .blocking li[data-reason="photo.pose.tilt"]').textContent()).toBe('请把头摆正，不要歪头');
    await expect.poll(() => page.getByTestId('accept').count()).toBe(0);
    await page.waitForFunction(() => ((document.querySelector('[data-testid="review-photo"]') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    await snap(page, 'kiosk', '08-review-fail');
    await page.getByTestId('retake').click();
    await waitForState(page, 'pose');
    await pressShutter(page, k);
    await waitForState(page, 'review');
    await expect.poll(() => page.locator('.review').getAttribute('data-verdict')).toBe('pass');
    const attempts = await k.runtime.db.all<{ verdict: string }>('SELECT verdict FROM capture_attempts WHERE student_id = (SELECT id FROM students WHERE collection_code = ?) ORDER BY id', [demo(1).collectionCode]);
    expect(attempts.map((a) => a.verdict)).toEqual(['fail', 'pass']);
  });

  it('a half-read scan, a pause, then a full scan: the kiosk takes the full code alone', async () => {
    const code = demo(3).collectionCode;
    // The scanner read the first six characters of a creased label, then the student scanned again.
    // Without the pause rule the kiosk would look up the two run together, and refuse them.
    await scanCode(page, code.slice(0, 6) + code, { index: 5, ms: 600 });
    await waitForState(page, 'confirm');
    expect((await k.api('GET', '/api/kiosk/state')).body.session?.identity?.name).toBe(demo(3).name);
  });

  it('an unknown code typed on the keypad is refused as not on the roster', async () => {
    await page.getByTestId('open-keypad').click();
    for (const key of '11010119990101001X') await page.locator(`[data-key="${key}"]`).click();
    await expect.poll(() => page.getByTestId('keypad-display').textContent()).toContain('11010119990101001X');
    await snap(page, 'kiosk', '09-keypad');
    await page.getByTestId('keypad-ok').click();
    await waitForState(page, 'refused');
    await expect.poll(() => page.locator('.reason').getAttribute('data-reason')).toBe('kiosk.identify.unknown_code');
    await expect.poll(() => page.locator('.reason').textContent()).toContain('名单中没有找到');
    await snap(page, 'kiosk', '10-unknown');
    await page.getByTestId('back').click();
    await waitForState(page, 'idle');
  });

  it('a student whose qualification check did not pass is refused with the reason', async () => {
    await scan(demo(4).collectionCode);
    await waitForState(page, 'confirm');
    await page.getByTestId('confirm-yes').click();
    await waitForState(page, 'refused');
    await expect.poll(() => page.locator('.reason').getAttribute('data-reason')).toBe('eligibility.qualification_not_passed');
    await snap(page, 'kiosk', '11-not-qualified');
  });

  it('a student outside their slot is told when their slot is', async () => {
    await scan(demo(5).idNumber);
    await waitForState(page, 'confirm');
    await page.getByTestId('confirm-yes').click();
    await waitForState(page, 'refused');
    await expect.poll(() => page.locator('.reason').getAttribute('data-reason')).toBe('eligibility.before_slot');
    await expect.poll(() => page.locator('.reason').textContent()).toContain('09:00-11:00');
    await snap(page, 'kiosk', '11b-out-of-slot');
  });

  it('refuses to shoot while the door is open and says why', async () => {
    await scanToPose(demo(2).collectionCode);
    k.runtime.rig.setDoor('open');
    await page.getByTestId('shutter').click();
    await expect.poll(() => page.locator('.pose .reason').textContent()).toContain('门未关闭');
    await snap(page, 'kiosk', '12-rig-not-ready');
    expect((await k.api('GET', '/api/kiosk/state')).body.state).toBe('pose');
    k.runtime.rig.setDoor('closed');
  });

  it('goes back to idle by itself when the student walks away', async () => {
    const timeouts = k.runtime.controller.settings.session.timeoutsMs;
    const saved = timeouts.confirm;
    // Long enough for the page to show the hint on a loaded machine; the record below is what the page showed.
    timeouts.confirm = 4000;
    try {
      const before = (await k.runtime.db.get<{ n: number }>('SELECT COALESCE(MAX(id), 0) AS n FROM capture_sessions'))?.n ?? 0;
      await pageRecord(page);
      await scan(demo(3).collectionCode);
      const outcome = async () => (await k.runtime.db.get<{ outcome: string | null }>('SELECT outcome FROM capture_sessions WHERE id > ? ORDER BY id DESC LIMIT 1', [before]))?.outcome;
      await expect.poll(outcome, { timeout: 60_000 }).toBe('timeout');
      await waitForState(page, 'idle');
      const shown = await pageRecord(page);
      expect(shown.states.indexOf('confirm')).toBeGreaterThanOrEqual(0);
      expect(shown.states.at(-1)).toBe('idle');
      expect(shown.appeared).toContain('timeout-hint');
    } finally {
      timeouts.confirm = saved;
    }
  });

  it('switches to English and back to Chinese for the next student', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('.prompt').textContent()).toBe('Scan your collection code or student card');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await scan(demo(3).collectionCode);
    await waitForState(page, 'confirm');
    await expect.poll(() => page.locator('[data-field="major"] dt').textContent()).toBe('Major');
    await expect.poll(() => page.getByTestId('confirm-yes').textContent()).toBe('These are my details');
    await snap(page, 'kiosk', '13-confirm-english');
    await page.getByTestId('confirm-no').click();
    await waitForState(page, 'idle');
    await expect.poll(() => page.locator('.prompt').textContent()).toBe('请扫描采集码或学生证条码');
  });

  it('lays out in portrait 1080x1920', async () => {
    await page.setViewportSize({ width: 1080, height: 1920 });
    await snap(page, 'kiosk', '14-portrait-idle');
    await scanToPose(demo(3).collectionCode);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="preview"]')?.getAttribute('data-frames')) >= 2);
    await snap(page, 'kiosk', '15-portrait-pose');
    const box = await page.getByTestId('shutter').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(48);
  });
});
