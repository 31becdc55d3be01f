/**
 * The room's status on the staff page, live, in real Chromium: readiness with its coded reasons,
 * sensor readings (seat and board temperature among them) and the firmware's health, from the
 * rig driver over the virtual board. The room changes while the page is open; the page follows
 * without a reload.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { roomStatusRoutes } from '../../controller/src/server/staff/room-status.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import type { BoardRig } from '../../firmware-bridge/src/board-rig.ts';
import { openRig } from '../../firmware-bridge/src/open-rig.ts';
import type { VirtualSerialLine } from '../../firmware-bridge/src/virtual-serial.ts';
import { launchChromium, signedInStaffPage } from '../support/browser.ts';
import { artifactsDir } from '../support/paths.ts';
import { testRigSettings } from '../support/rig-targets.ts';
import { addUser, tempData, type TempData } from '../staff/helpers.ts';

const uiDir = mkdtempSync(join(tmpdir(), 'rig-staff-room-ui-'));
let data: TempData;
let staff: StaffApp;
let url: string;
let browser: Browser;
let rig: BoardRig & { line: VirtualSerialLine };

beforeAll(async () => {
  await build({ configFile: join(process.cwd(), 'kiosk-ui', 'vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true } });
  data = await tempData();
  await addUser(data.db, 'wang', 'technician', 'browser-password');
  rig = (await openRig({ ...testRigSettings, driver: 'simulated' })) as BoardRig & { line: VirtualSerialLine };
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]), uiDir, plugins: [roomStatusRoutes(rig)] });
  url = await staff.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  mkdirSync(artifactsDir, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await staff?.app.close();
  await rig?.close();
  await data?.cleanup();
  rmSync(uiDir, { recursive: true, force: true });
});

async function roomPage(): Promise<Page> {
  const page = await signedInStaffPage(browser, url, 'wang');
  await page.goto(`${url}/staff.html#room`);
  await page.waitForSelector('[data-ready]');
  return page;
}

const cell = (page: Page, sensor: string): Promise<string> =>
  page.$eval(`[data-sensor="${sensor}"]`, (e) => e.closest('tr')?.querySelectorAll('td')[1]?.textContent ?? '');

describe('room status on the staff page', () => {
  it('is only for signed-in staff', async () => {
    const res = await fetch(`${url}/api/room/status`);
    expect(res.status).toBe(401);
  });

  it('shows readiness, reasons, readings and firmware health, and follows the room live', async () => {
    const page = await roomPage();
    await page.waitForSelector('[data-ready="true"]', { timeout: 10_000 });
    expect(await cell(page, 'door')).toBe('关');
    expect(await cell(page, 'seat')).toBe('无人');
    await page.waitForFunction(() => /rig-firmata/.test(document.querySelector('main')?.textContent ?? ''), undefined, { timeout: 5000 });

    rig.line.room.setDoor('open');
    rig.line.room.setSeat('occupied');
    rig.line.room.setBoardTemperature(47);
    await page.waitForSelector('[data-ready="false"] >> nth=0', { timeout: 5000 });
    await page.waitForSelector('li[data-reason="rig.door_open"]', { timeout: 5000 });
    expect(await page.textContent('li[data-reason="rig.door_open"]')).toContain('门未关闭');
    await page.waitForFunction(() => {
      const row = document.querySelector('[data-sensor="seat"]')?.closest('tr');
      return row?.querySelectorAll('td')[1]?.textContent === '有人';
    }, undefined, { timeout: 5000 });
    await page.waitForFunction(() => {
      const v = Number(document.querySelector('[data-sensor="temperature"]')?.closest('tr')?.querySelectorAll('td')[1]?.textContent);
      return Math.abs(v - 47) <= 2;
    }, undefined, { timeout: 5000 });
    await page.screenshot({ path: join(artifactsDir, 'staff-room-status.png'), fullPage: true });

    rig.line.room.setDoor('closed');
    await page.waitForSelector('[data-ready="true"]', { timeout: 5000 });
    expect(await page.$$('li[data-reason]')).toHaveLength(0);
    await page.close();
  });
});
