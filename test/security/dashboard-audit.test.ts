/**
 * The dashboard's audit page in real Chromium: a failed sign-in under a name full of control
 * characters (ESC, BEL, CR, LF, a right-to-left override) is stored as sent and shown written out,
 * so an audit line can neither be split in two nor read backwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { launchChromium } from '../support/browser.ts';
import { addUser, tempData, type TempData } from '../staff/helpers.ts';

const uiDir = mkdtempSync(join(tmpdir(), 'rig-staff-ui-'));
const hostile = 'admin\u001b[8m\u0007\r\n2026-06-10 admin staff.login\u202egnp.';
let data: TempData;
let staff: StaffApp;
let url: string;
let browser: Browser;

beforeAll(async () => {
  await build({ configFile: join(process.cwd(), 'kiosk-ui', 'vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true } });
  data = await tempData();
  await addUser(data.db, 'boss', 'admin', 'browser-password');
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]), uiDir });
  url = await staff.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await staff?.app.close();
  await data?.cleanup();
  rmSync(uiDir, { recursive: true, force: true });
});

describe('the dashboard audit page', () => {
  it('shows control characters in a failed sign-in name written out', async () => {
    await staff.app.inject({ method: 'POST', url: '/api/session', payload: { name: hostile, password: 'wrong' } });
    expect((await listAudit(data.db, { action: 'staff.login_failed', limit: 1 }))[0]?.actor).toBe(hostile);
    const page = await browser.newPage({ locale: 'zh-CN' });
    try {
      await page.goto(url);
      await page.fill('input[name=name]', 'boss');
      await page.fill('input[name=password]', 'browser-password');
      await page.click('button[type=submit]');
      await page.waitForSelector('nav');
      await page.goto(`${url}#audit`);
      await page.waitForSelector('td');
      const cells = await page.locator('td').allTextContents();
      const shown = cells.find((c) => c.startsWith('admin'));
      expect(shown).toBe('admin\\x1b[8m\\x07\\r\\n2026-06-10 admin staff.login\\u202egnp.');
      expect(cells.join('')).not.toMatch(/[\u0000-\u001f\u202e]/);
    } finally {
      await page.close();
    }
  }, 60_000);
});
