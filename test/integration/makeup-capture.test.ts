/**
 * A make-up capture through the kiosk API: the photo names the certificate that let the student in,
 * the batch export filtered to make-ups carries the certificate's school contact, and the printable
 * certificate says it has been used. Also the kiosk's room check (configuration `room`).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { localDate } from '../../controller/src/domain/local-time.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { insertCertificate } from '../../controller/src/store/certificate-repository.ts';
import { insertMakeupWindow } from '../../controller/src/store/schedule-repository.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { addUser, insertStudents, student } from '../staff/helpers.ts';

let k: TestKiosk;
let staff: StaffApp;
let headers: Record<string, string>;
// A graduate of a department with no slot at all: only the make-up window can let them in.
const late = student(3, { department: '补采学院', className: '补采2201' });

async function capture(code: string): Promise<void> {
  await k.api('POST', '/api/kiosk/scan', { code });
  await k.waitFor('confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.waitFor('dress');
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
  await insertStudents(k.runtime.db, [{ ...late, schoolCode: '10000' }]);
  // Open all day, every day, this week: the test does not depend on the hour it runs at.
  const today = localDate(new Date(), 'Asia/Shanghai');
  await insertMakeupWindow(k.runtime.db, { startDate: today, endDate: today, weekdays: [1, 2, 3, 4, 5, 6, 7], periods: [{ start: '00:00', end: '00:00' }], room: null, category: null });
  await insertCertificate(k.runtime.db, {
    name: late.name, schoolCode: '10000', gender: late.gender, idNumber: late.idNumber, educationLevel: '本科', schoolName: '演示大学',
    contact: { address: '示例路 1 号 教务处', postcode: '100000', person: '王老师', phone: '010-12345678' },
    issuedAt: new Date().toISOString(), issuedBy: 'office', revokedAt: null,
  });
}, 120_000);
afterAll(async () => {
  await staff?.app.close();
  await k?.close();
});

describe('make-up capture', { timeout: 120_000 }, () => {
  it('is marked with its certificate, exported to the school contact, and shown as used on the certificate', async () => {
    const before = await staff.app.inject({ url: '/api/makeups/1', headers });
    expect(before.json()).toMatchObject({ capture: null });

    await capture(late.collectionCode!);
    const row = await k.runtime.db.get<{ makeup_certificate_id: number | null; sequence: number }>('SELECT makeup_certificate_id, sequence FROM accepted_photos');
    expect(row?.makeup_certificate_id).toBe(1);

    const date = localDate(new Date(), 'Asia/Shanghai');
    const zip = await staff.app.inject({ url: `/api/batches/${date}.zip?makeup=true`, headers });
    expect(zip.statusCode).toBe(200);
    const file = join(k.dataDir, 'makeups.zip');
    writeFileSync(file, zip.rawPayload);
    const manifest = spawnSync('unzip', ['-p', file, 'manifest.csv'], { encoding: 'utf8' }).stdout;
    const [header, line, extra] = manifest.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(extra).toBeUndefined();
    expect(header).toContain('补采证明 makeup_certificate,学校联系人 contact_person,联系电话 contact_phone,联系地址 contact_address,邮政编码 postcode');
    expect(line).toContain(`${late.idNumber},`);
    expect(line).toContain(',1,王老师,010-12345678,示例路 1 号 教务处,100000,');

    const after = await staff.app.inject({ url: '/api/makeups/1', headers });
    expect(after.json()).toMatchObject({ capture: { day: date, sequence: row?.sequence } });
  });

  it('leaves slot captures out of the make-up export', async () => {
    const regular = k.runtime.demoStudents[0]!;
    await capture(regular.collectionCode);
    const date = localDate(new Date(), 'Asia/Shanghai');
    const all = await new SqlPhotoSource(k.runtime.db, '10000').list({ date });
    const makeups = await new SqlPhotoSource(k.runtime.db, '10000').list({ date, makeupOnly: true });
    expect(all).toHaveLength(2);
    expect(makeups.map((p) => p.student.idNumber)).toEqual([late.idNumber]);
    expect(all.find((p) => p.student.idNumber === regular.idNumber)?.makeup).toBeUndefined();
  });
});
