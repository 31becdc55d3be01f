/**
 * 信息不符 end to end in real Chromium: a student ticks wrong fields on the kiosk's confirm screen
 * and is still photographed; staff see the report on the dashboard, the batch manifest carries it,
 * the office's XLSX lists it until a member of staff resolves it with a note (audited).
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { manifestCsv } from '../../controller/src/formats/export/manifest.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { launchChromium, pressShutter, scanCode, snap, waitForState } from '../support/browser.ts';
import { projectRoot } from '../support/paths.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { addUser } from '../staff/helpers.ts';

const uiDir = join(projectRoot, 'kiosk-ui', 'dist');
let k: TestKiosk;
let staff: StaffApp;
let staffUrl: string;
let browser: Browser;

beforeAll(async () => {
  [k, browser] = await Promise.all([startTestKiosk({ uiDir, session: { countdownMs: 300 } }), launchChromium()]);
  await addUser(k.runtime.db, 'lin', 'staff', 'browser-password');
  staff = await buildStaffApp({ db: k.runtime.db, dataDir: k.dataDir, photos: new SqlPhotoSource(k.runtime.db, '10000'), uiDir });
  staffUrl = await staff.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await browser?.close();
  await staff?.app.close();
  await k?.close();
});

async function openXlsxRows(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  wb.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

describe('信息不符 from the confirm screen to the office', { timeout: 120_000 }, () => {
  it('is reported at the kiosk, listed for staff, in the manifest and the XLSX, and resolved with a note', async () => {
    const student = k.runtime.demoStudents[0]!;
    const kiosk = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await kiosk.goto(k.url);
    await waitForState(kiosk, 'idle');
    await scanCode(kiosk, student.collectionCode);
    await waitForState(kiosk, 'confirm');
    await kiosk.getByTestId('confirm-wrong').click();
    await expect.poll(() => kiosk.getByTestId('discrepancy-submit').isDisabled()).toBe(true);
    await kiosk.getByTestId('wrong-name').check();
    await kiosk.getByTestId('wrong-birthDate').check();
    await snap(kiosk, 'discrepancy', '01-confirm-wrong-fields');
    await kiosk.getByTestId('discrepancy-submit').click();
    await waitForState(kiosk, 'dress');
    await kiosk.getByTestId('dress-ready').click();
    await waitForState(kiosk, 'pose');
    await pressShutter(kiosk, k);
    await waitForState(kiosk, 'review');
    await kiosk.getByTestId('accept').click();
    await waitForState(kiosk, 'receipt');
    await kiosk.close();

    const stored = await k.runtime.db.all<{ fields: string; session_id: number | null }>('SELECT fields, session_id FROM discrepancies');
    expect(stored).toEqual([{ fields: 'name,birthDate', session_id: expect.any(Number) as number }]);

    // The batch manifest of the day carries the open report beside the photo.
    const [photo] = await new SqlPhotoSource(k.runtime.db, '10000').list({ date: (await k.runtime.db.get<{ day: string }>('SELECT day FROM accepted_photos'))!.day });
    expect(photo?.discrepancies).toEqual(['name', 'birthDate']);
    const manifest = manifestCsv([{ photo: photo!, fileName: 'photos/x.jpg' }]).toString('utf8');
    expect(manifest).toContain('信息不符 discrepancies');
    expect(manifest).toContain('姓名、出生日期 (name, birthDate)');

    // Staff: the list, the office's XLSX, then resolve with a note.
    const page = await browser.newPage({ locale: 'zh-CN', acceptDownloads: true });
    await page.goto(staffUrl);
    await page.fill('input[name=name]', 'lin');
    await page.fill('input[name=password]', 'browser-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('nav');
    await page.click('a[href="#discrepancies"]');
    const row = page.locator('tr', { hasText: student.name });
    await expect.poll(() => row.textContent()).toContain('姓名、出生日期');
    await snap(page, 'discrepancy', '02-staff-list');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="discrepancies-xlsx"]')]);
    const sheet = await openXlsxRows(await download.path());
    expect(sheet[0]).toContain('信息不符 discrepancies');
    expect(sheet.slice(1)).toEqual([expect.arrayContaining([student.idNumber, student.name, '姓名、出生日期 (name, birthDate)'])]);

    await row.locator('input[name=note]').fill('已与省教育厅核对，姓名以身份证为准');
    await row.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('tr', { hasText: student.name }).textContent()).toContain('已处理（lin）：已与省教育厅核对');
    await snap(page, 'discrepancy', '03-resolved');

    const audit = await listAudit(k.runtime.db, { action: 'discrepancy.resolve' });
    expect(audit).toMatchObject([{ actor: 'lin', details: { fields: ['name', 'birthDate'], note: '已与省教育厅核对，姓名以身份证为准' } }]);
    const [download2] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="discrepancies-xlsx"]')]);
    expect((await openXlsxRows(await download2.path())).length).toBe(1);
    const [again] = await new SqlPhotoSource(k.runtime.db, '10000').list({ date: photo!.date });
    expect(again?.discrepancies).toBeUndefined();
    await page.close();
  });
});
