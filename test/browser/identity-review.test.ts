/**
 * The review of a held capture end to end in Chromium: the kiosk holds a second student whose face is
 * the first student's (the simulated camera's one demo subject); a member of staff signs in to the
 * dashboard, sees the held photo beside the matched accepted one, and accepts it into the archive.
 * On the same page, reference photos are enrolled from a ZIP chosen in the form.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import type { PhotoValidatorPort } from '../../controller/src/app/ports/kiosk.ts';
import { launchChromium, signedInStaffPage } from '../support/browser.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { addUser } from '../staff/helpers.ts';
import { message } from '../../controller/src/domain/messages/index.ts';
import { portraitAsShot } from '../fixtures/portraits.ts';
import { part, zip } from '../security/hostile-files.ts';

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

/** A new page signed in as the member of staff, on the page 待确认照片. */
async function identityPageSignedIn(): Promise<Page> {
  const page = await signedInStaffPage(browser, url, 'lin');
  await page.goto(`${url}/staff.html#identity`);
  return page;
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
    const page = await identityPageSignedIn();
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

  it('enrols reference photos from a ZIP chosen in the form and lists the skipped file with its reason in both languages', async () => {
    const student = k.runtime.demoStudents[2]!;
    const portrait = await portraitAsShot('collins');
    const page = await identityPageSignedIn();
    await page.locator('input[name=reference-files]').setInputFiles({
      name: 'admission.zip', mimeType: 'application/zip',
      buffer: zip([part(`${student.collectionCode}.jpg`, portrait), part('NOBODY123.jpg', portrait)]),
    });
    await page.locator('#references button[type=submit]').click();
    const enrolled = page.locator('#references-result p[data-enrolled]');
    await enrolled.waitFor({ timeout: 60_000 });
    expect(await enrolled.getAttribute('data-enrolled')).toBe('1');
    expect(await enrolled.textContent()).toContain('已登记 1 张参考照片');
    const rows = page.locator('#references-result tbody tr');
    expect(await rows.count()).toBe(1);
    const row = await rows.first().textContent();
    expect(row).toContain('NOBODY123.jpg');
    expect(row).toContain(message('kiosk.identify.unknown_code', 'zh'));
    expect(row).toContain(message('kiosk.identify.unknown_code', 'en'));
    const stored = await k.runtime.db.all<{ source: string; enrolled_by: string }>('SELECT source, enrolled_by FROM reference_faces');
    expect(stored).toEqual([{ source: `${student.collectionCode}.jpg`, enrolled_by: 'lin' }]);
    await page.close();
  });
});
