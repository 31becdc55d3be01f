/**
 * The kiosk and the staff service on one store: a photo accepted at the kiosk shows in the staff
 * listing, exports into a ZIP whose bytes match the archive, and a staff override lets the student
 * past the kiosk's "already captured" refusal.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { localDate } from '../../controller/src/domain/local-time.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { addUser } from '../staff/helpers.ts';

let k: TestKiosk;
let staff: StaffApp;
let headers: Record<string, string>;
const student = (i: number) => k.runtime.demoStudents[i] as NonNullable<(typeof k.runtime.demoStudents)[number]>;

async function capture(code: string): Promise<void> {
  await k.api('POST', '/api/kiosk/scan', { code });
  await k.waitFor('confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.waitFor('pose');
  await k.api('POST', '/api/kiosk/capture');
  await k.waitFor('review');
  await k.api('POST', '/api/kiosk/accept');
  await k.waitFor('receipt');
  await k.api('POST', '/api/kiosk/confirm');
  await k.waitFor('idle');
}

beforeAll(async () => {
  k = await startTestKiosk({});
  headers = { authorization: `Bearer ${await addUser(k.runtime.db, 'office', 'staff')}` };
  staff = await buildStaffApp({ db: k.runtime.db, dataDir: k.dataDir, photos: new SqlPhotoSource(k.runtime.db, '10000') });
  await capture(student(0).collectionCode);
}, 120_000);
afterAll(async () => {
  await staff?.app.close();
  await k?.close();
});

describe('kiosk to staff service', () => {
  it('lists and exports the photo the kiosk accepted, bytes matching the archive', async () => {
    const date = localDate(new Date(), 'Asia/Shanghai');
    const listed = await staff.app.inject({ url: `/api/photos?date=${date}`, headers });
    const photos = listed.json().photos as Array<{ sequence: number; sha256: string; student: { idNumber: string } }>;
    expect(photos.map((p) => [p.sequence, p.student.idNumber])).toEqual([[1, student(0).idNumber]]);
    const row = await k.runtime.db.get<{ deliverable_path: string; deliverable_sha256: string }>('SELECT deliverable_path, deliverable_sha256 FROM accepted_photos');
    expect(photos[0]!.sha256).toBe(row?.deliverable_sha256);

    const zip = await staff.app.inject({ url: `/api/batches/${date}.zip`, headers });
    const file = join(k.dataDir, 'batch.zip');
    writeFileSync(file, zip.rawPayload);
    expect(spawnSync('unzip', ['-t', file], { encoding: 'utf8' }).status).toBe(0);
    const jpeg = spawnSync('unzip', ['-p', file, `photos/${student(0).idNumber}.jpg`], { encoding: 'buffer' }).stdout;
    expect(createHash('sha256').update(jpeg).digest('hex')).toBe(row?.deliverable_sha256);
    expect(jpeg.equals(readFileSync(join(k.dataDir, row!.deliverable_path)))).toBe(true);
  });

  it('an override lets a captured student past the kiosk refusal', async () => {
    const s = student(0);
    await k.api('POST', '/api/kiosk/scan', { code: s.studentNumber });
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    expect((await k.waitFor('refused')).notice?.code).toBe('eligibility.already_captured');
    await k.api('POST', '/api/kiosk/cancel');
    await k.waitFor('idle');

    const grant = await staff.app.inject({ method: 'POST', url: '/api/overrides', headers, payload: { idNumber: s.idNumber, reason: '照片模糊，允许重拍' } });
    expect(grant.statusCode).toBe(200);

    await k.api('POST', '/api/kiosk/scan', { code: s.studentNumber });
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    expect((await k.waitFor('dress')).state).toBe('dress');
    await k.api('POST', '/api/kiosk/cancel');
  });
});
