/**
 * The staff dashboard in real Chromium: the room-hold banner a photo's room fault raises (issue 14),
 * released from the page; and the schedule page's make-up window import (issue 15): check shows the
 * preview, a bad file lists its problems by row and column, import adds the windows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomHold } from '../../controller/src/app/kiosk/room-hold.ts';
import { message } from '../../controller/src/domain/messages/index.ts';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listMakeupWindows } from '../../controller/src/store/schedule-repository.ts';
import { SimulatedRig } from '../../firmware-bridge/src/simulated-rig.ts';
import { launchChromium, signedInStaffPage, snap } from '../support/browser.ts';
import { addUser, tempData, type TempData } from '../staff/helpers.ts';

const uiDir = mkdtempSync(join(tmpdir(), 'rig-staff-ui-'));
let data: TempData;
let staff: StaffApp;
let url: string;
let browser: Browser;
const rig = new SimulatedRig();
const room = new RoomHold(rig, (err) => { throw err; });

beforeAll(async () => {
  await build({ configFile: join(process.cwd(), 'kiosk-ui', 'vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true } });
  data = await tempData();
  await addUser(data.db, 'lin', 'staff', 'browser-password');
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]), uiDir, room });
  url = await staff.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await staff?.app.close();
  await room.close();
  await rig.close();
  await data?.cleanup();
  rmSync(uiDir, { recursive: true, force: true });
});

async function signedInPage(hash: string): Promise<Page> {
  const page = await signedInStaffPage(browser, url, 'lin');
  await page.evaluate((h) => { location.hash = h; }, hash);
  return page;
}

describe('staff dashboard: room hold and make-up window import', { timeout: 120_000 }, () => {
  it('shows the room hold with the technician’s reason on every page and releases it', async () => {
    room.hold(['photo.exposure.dark'], new Date(), 7);
    const page = await signedInPage('#schedule');
    const banner = page.locator('#room-hold');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.textContent()).toContain(message('photo.exposure.dark', 'zh'));
    await snap(page, 'staff', 'room-hold');
    await banner.locator('button').click();
    await banner.waitFor({ state: 'hidden' });
    expect(room.state()).toBeNull();
    expect(rig.readiness().ready).toBe(true);
    await page.close();
  });

  it('checks a make-up window file, lists a bad one’s problems, and imports a good one', async () => {
    const page = await signedInPage('#schedule');
    const input = page.locator('input[name=makeup-file]');
    await input.waitFor();
    const report = page.locator('#makeup-import-report');

    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('开始日期,结束日期,地点,教育类别\n2026-09-14,2026-09-04,一号采集室,函授\n') });
    await page.click('[data-action=check-makeup-file]');
    await report.locator('table').waitFor();
    const problems = await report.locator('tbody tr').allTextContents();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('结束日期');
    expect(problems[1]).toContain('教育类别');

    const good = Buffer.from('开始日期,结束日期,星期,时段,地点,教育类别\n2026-09-04,2026-09-14,1-5,08:30-11:30,一号采集室,成人\n', 'utf8');
    await input.setInputFiles({ name: 'windows.csv', mimeType: 'text/csv', buffer: good });
    await page.click('[data-action=check-makeup-file]');
    await report.locator('p.ok').waitFor();
    expect(await report.textContent()).toContain(message('makeup.windows_dry_run', 'zh', { added: 1, unchanged: 0 }));
    expect(await listMakeupWindows(data.db)).toEqual([]);

    await page.click('[data-action=import-makeup-file]');
    await page.locator('td', { hasText: '一号采集室' }).first().waitFor();
    expect((await listMakeupWindows(data.db)).map((w) => [w.startDate, w.endDate, w.room, w.category])).toEqual([['2026-09-04', '2026-09-14', '一号采集室', 'adult']]);
    await snap(page, 'staff', 'makeup-import');
    await page.close();
  });
});
