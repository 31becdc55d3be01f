/**
 * The review of a held capture end to end in Chromium: the kiosk holds a second student whose face is
 * the first student's (the simulated camera's one demo subject); a member of staff signs in to the
 * dashboard, sees the held photo beside the matched accepted one, and accepts it into the archive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import type { PhotoValidatorPort } from '../../controller/src/app/ports/kiosk.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { addUser } from '../staff/helpers.ts';

const uiDir = mkdtempSync(join(tmpdir(), 'rig-identity-ui-'));
let k: TestKiosk;
let validator: PhotoValidatorPort;
let staff: StaffApp;
let url: string;
let browser: Browser;

async function capture(code: string, ends: 'receipt' | 'see-staff'): Promise<void> {
  await k.api('POST', '/api/kiosk/scan', { code });
  await k.waitFor('confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.waitFor('pose');
  await k.api('POST', '/api/kiosk/capture');
  await k.waitFor('review');
  await k.api('POST', '/api/kiosk/accept');
  await k.waitFor(ends);
  await k.api('POST', ends === 'receipt' ? '/api/kiosk/confirm' : '/api/kiosk/cancel');
  await k.waitFor('idle');
}

beforeAll(async () => {
  await build({ configFile: join(process.cwd(), 'kiosk-ui', 'vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true } });
  validator = await createPhotoValidator({ faceDescriptor: true });
  k = await startTestKiosk({ validator, identity: { onMatch: 'hold' } });
  const students = k.runtime.demoStudents;
  await capture(students[0]!.collectionCode, 'receipt');
  await capture(students[1]!.collectionCode, 'see-staff');
  await addUser(k.runtime.db, 'lin', 'staff', 'browser-password');
  staff = await buildStaffApp({ db: k.runtime.db, dataDir: k.dataDir, photos: new SqlPhotoSource(k.runtime.db, '10000'), uiDir });
  url = await staff.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await staff?.app.close();
  await k?.close();
  await validator?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

describe('photos to confirm, in the dashboard', { timeout: 120_000 }, () => {
  it('shows the held photo beside the matched one and accepts it into the archive, audited', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    await page.goto(url);
    await page.fill('input[name=name]', 'lin');
    await page.fill('input[name=password]', 'browser-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('nav');
    await page.goto(`${url}/staff.html#identity`);
    const hold = page.locator('section[data-hold]');
    await hold.waitFor();
    await expect.poll(() => hold.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))).toEqual([480, 480]);
    expect(await hold.textContent()).toContain('请核对本人证件');
    await hold.locator('button[data-decision=accept]').click();
    await page.locator('section[data-hold] button[data-decision=accept]').waitFor({ state: 'detached' });
    expect(await page.locator('section[data-hold]').textContent()).toContain('已处理');
    const accepted = await k.runtime.db.all<{ sequence: number }>('SELECT sequence FROM accepted_photos ORDER BY id');
    expect(accepted.map((a) => a.sequence)).toEqual([1, 2]);
    const audit = await k.runtime.db.all<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE action LIKE 'identity.%'");
    expect(audit).toEqual([{ action: 'identity.hold.accept', actor: 'lin' }]);
    await page.close();
  });
});
