/**
 * The technician's calibration page in real Chromium, on the kiosk runtime with the virtual board:
 * sign in, live view, move a slider (the room follows), test shot with plots, auto-calibrate, save
 * and activate a profile. Screenshots are left in test/artifacts/calibration/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { calibrationRoutes } from '../../controller/src/server/staff/calibration.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { launchChromium, snap } from '../support/browser.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { testRigSettings } from '../support/rig-targets.ts';
import { addUser } from '../staff/helpers.ts';

const uiDir = mkdtempSync(join(tmpdir(), 'rig-cal-ui-'));
let k: TestKiosk;
let staff: StaffApp;
let url: string;
let browser: Browser;

beforeAll(async () => {
  await build({ configFile: join(process.cwd(), 'kiosk-ui', 'vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true } });
  k = await startTestKiosk({ rigConfig: { ...testRigSettings, driver: 'simulated' } });
  await addUser(k.runtime.db, 'zhang.tech', 'technician', 'browser-password');
  staff = await buildStaffApp({
    db: k.runtime.db, dataDir: k.dataDir, photos: new SqlPhotoSource(k.runtime.db, '10000'), uiDir,
    plugins: [calibrationRoutes({ calibration: k.runtime.calibration, camera: k.runtime.camera, rig: k.runtime.rigPort })],
  });
  url = await staff.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await staff?.app.close();
  await k?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

async function loaded(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((s) => {
    const img = document.querySelector<HTMLImageElement>(s);
    return !!img && img.complete && img.naturalWidth > 0;
  }, selector, { timeout: 20_000 });
}

describe('calibration page', () => {
  it('takes a technician from a badly set room to an active profile', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 1000 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(url);
    await page.fill('input[name=name]', 'zhang.tech');
    await page.fill('input[name=password]', 'browser-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:has-text("灯光与相机校准")');
    await loaded(page, 'img[data-testid=live]');
    await page.waitForSelector('[data-testid=room] [data-ready]');

    // A slider acts at once: the board confirms the new level within a few polls.
    await page.locator('input[data-channel=background]').fill('100');
    await page.locator('input[data-channel=key]').fill('10');
    await page.locator('input[data-channel=fill]').fill('10');
    const diag = async (): Promise<string> => (await page.locator('#page-alert, .cal-status').allTextContents()).join(' | ');
    await expect.poll(() => k.runtime.rigPort!.readings().lights.key?.value ?? -1, { timeout: 10_000, message: 'key light' }).toBeLessThan(11);
    await page.selectOption('select[data-camera=iso]', '200');
    await expect.poll(async () => (await k.runtime.camera.getSettings()).iso?.value, { timeout: 10_000, message: 'ISO' }).toBe('200');
    await snap(page, 'calibration', '1-badly-set');

    await page.click('button[data-action=shot]');
    await page.waitForSelector('[data-testid=shot]', { timeout: 60_000 }).catch(async (err: unknown) => { throw new Error(`${await diag()} ${String(err)}`); });
    for (const plot of ['histogram', 'heatmap', 'face']) await loaded(page, `[data-testid=shot] img[data-plot=${plot}]`);
    await loaded(page, 'img.shot-image');
    expect(await page.locator('[data-target="face.exposure"]').getAttribute('data-passed')).toBe('false');
    await snap(page, 'calibration', '2-test-shot');

    await page.click('button[data-action=auto]');
    const run = page.locator('[data-testid=auto-run]');
    await run.waitFor({ timeout: 120_000 });
    expect(await run.getAttribute('data-outcome'), (await run.locator('table').textContent()) ?? '').toBe('calibration.converged');
    await loaded(page, 'img[data-plot=progress]');
    await page.locator('[data-testid=auto-run] table').scrollIntoViewIfNeeded();
    await snap(page, 'calibration', '3-auto-calibrated');

    await page.fill('input[name=profile-name]', '周一 Monday');
    await page.click('button[data-action=save]');
    await page.locator('button[data-action=activate]').first().click();
    await page.waitForSelector('[data-testid=profiles] [data-active=true]');
    expect(await page.locator('[data-testid=profiles]').textContent()).toContain('周一 Monday');
    await page.locator('[data-testid=profiles]').scrollIntoViewIfNeeded();
    await snap(page, 'calibration', '4-profile-active');

    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    expect(violations).toEqual([]);
    await page.close();
  }, 240_000);
});
