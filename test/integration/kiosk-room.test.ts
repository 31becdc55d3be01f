/**
 * Place as well as time (issue 15), through the kiosk API: a kiosk that knows its room refuses a
 * student whose slot is in another room and tells them where and when to go; the same student is
 * let in at the kiosk of their own room. A make-up window carries its room the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../controller/src/domain/local-time.ts';
import { message } from '../../controller/src/domain/messages/index.ts';
import { insertCertificate } from '../../controller/src/store/certificate-repository.ts';
import { insertMakeupWindow } from '../../controller/src/store/schedule-repository.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { insertStudents, student } from '../staff/helpers.ts';

let elsewhere: TestKiosk;
let own: TestKiosk;
const late = student(4, { department: '补采学院', className: '补采2202' });
// An adult graduate with a certificate, at the kiosk of a regular-only make-up week.
const adult = student(6, { department: '继续教育学院', className: '成教2201' });
const certificateFor = (s: typeof late) => ({
  name: s.name, schoolCode: '10000', gender: s.gender, idNumber: s.idNumber, educationLevel: '本科', schoolName: '演示大学',
  contact: { address: '示例路 1 号 教务处', postcode: '100000', person: '王老师', phone: '010-12345678' },
  issuedAt: new Date().toISOString(), issuedBy: 'office', revokedAt: null,
});

beforeAll(async () => {
  // The demo roster's slot today is in 演示采集室, all day.
  elsewhere = await startTestKiosk({ room: '二号采集室' });
  own = await startTestKiosk({ room: '演示采集室' });
  await insertStudents(elsewhere.runtime.db, [{ ...late, schoolCode: '10000' }]);
  const today = localDate(new Date(), 'Asia/Shanghai');
  await insertMakeupWindow(elsewhere.runtime.db, { startDate: today, endDate: today, weekdays: [1, 2, 3, 4, 5, 6, 7], periods: [{ start: '00:00', end: '00:00' }], room: '三号采集室', category: null });
  await insertCertificate(elsewhere.runtime.db, certificateFor(late));
  await insertStudents(own.runtime.db, [{ ...adult, schoolCode: '10000' }]);
  await own.runtime.db.run("UPDATE students SET education_category = 'adult' WHERE id_number = ?", [adult.idNumber]);
  await insertCertificate(own.runtime.db, certificateFor(adult));
  await insertMakeupWindow(own.runtime.db, { startDate: today, endDate: today, weekdays: [1, 2, 3, 4, 5, 6, 7], periods: [{ start: '00:00', end: '00:00' }], room: '演示采集室', category: 'regular' });
  await insertMakeupWindow(own.runtime.db, { startDate: '2099-09-04', endDate: '2099-09-14', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '08:30', end: '11:30' }], room: '三号采集室', category: 'adult' });
}, 120_000);
afterAll(async () => {
  await elsewhere?.close();
  await own?.close();
});

async function verdict(k: TestKiosk, code: string) {
  await k.api('POST', '/api/kiosk/scan', { code });
  await k.waitFor('confirm');
  const v = (await k.api('POST', '/api/kiosk/confirm')).body;
  await k.api('POST', '/api/kiosk/cancel');
  await k.waitFor('idle');
  return v;
}

describe('the kiosk knows its room', { timeout: 120_000 }, () => {
  it('refuses a student whose slot is in another room, telling them where and when', async () => {
    const s = elsewhere.runtime.demoStudents[0]!;
    const v = await verdict(elsewhere, s.collectionCode);
    expect(v.state).toBe('refused');
    expect(v.notice?.code).toBe('eligibility.wrong_room');
    const today = localDate(new Date(), 'Asia/Shanghai');
    expect(v.notice?.params).toMatchObject({ here: '二号采集室', room: '演示采集室', date: today, start: '00:00', end: '24:00' });
    const text = message('eligibility.wrong_room', 'zh', v.notice?.params ?? {});
    expect(text).toContain('演示采集室');
    expect(text).toContain('00:00-24:00');
    const row = await elsewhere.runtime.db.get<{ outcome: string; reason: string }>('SELECT outcome, reason FROM capture_sessions ORDER BY id DESC LIMIT 1');
    expect(row).toMatchObject({ outcome: 'refused', reason: 'eligibility.wrong_room' });
  });

  it('lets the same student in at the kiosk of their own room', async () => {
    const s = own.runtime.demoStudents[0]!;
    await own.api('POST', '/api/kiosk/scan', { code: s.collectionCode });
    await own.waitFor('confirm');
    expect((await own.api('POST', '/api/kiosk/confirm')).body.state).toBe('dress');
    await own.api('POST', '/api/kiosk/cancel');
  });

  it('refuses a make-up student at a kiosk other than the window\'s room, naming the room', async () => {
    const v = await verdict(elsewhere, late.collectionCode!);
    expect(v.state).toBe('refused');
    expect(v.notice?.code).toBe('eligibility.makeup_wrong_room');
    expect(v.notice?.params).toMatchObject({ here: '二号采集室', room: '三号采集室' });
  });

  it('refuses an adult certificate holder in a regular-only make-up window, naming their own window and room', async () => {
    const v = await verdict(own, adult.collectionCode!);
    expect(v.state).toBe('refused');
    expect(v.notice?.code).toBe('eligibility.makeup_other_category');
    expect(v.notice?.params).toMatchObject({ ownFrom: '2099-09-04', ownTo: '2099-09-14', ownRoom: '三号采集室' });
  });
});
