import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { insertSlot } from '../../controller/src/store/schedule-repository.ts';
import { addUser, insertStudents, student, tempData, type TempData } from './helpers.ts';

// The dashboard's "why was I refused?": the same verdict as `rig check-in`, from the staff API.
let data: TempData;
let staff: StaffApp;
let headers: Record<string, string>;
const s = student(1);

beforeAll(async () => {
  data = await tempData();
  headers = { authorization: `Bearer ${await addUser(data.db, 'office', 'staff')}` };
  await insertStudents(data.db, [s]);
  await insertSlot(data.db, { room: '图书馆 101', department: s.department, className: null, date: '2026-06-10', start: '08:30', end: '11:30', category: 'regular' });
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]) });
});
afterAll(async () => {
  await staff?.app.close();
  await data?.cleanup();
});

describe('GET /api/students/:idNumber/check-in', () => {
  const ask = (query: string) => staff.app.inject({ url: `/api/students/${s.idNumber}/check-in?${query}`, headers });

  it('answers the kiosk’s verdict at an instant and room, with the slot and the message in both languages', async () => {
    const away = await ask(`at=${encodeURIComponent('2026-06-10T09:00:00+08:00')}&room=${encodeURIComponent('行政楼 203')}`);
    expect(away.statusCode).toBe(200);
    expect(away.json().checkIn).toMatchObject({
      allowed: false, code: 'eligibility.wrong_room', slot: { room: '图书馆 101' },
      message: { zh: expect.stringContaining('图书馆 101') as string, en: expect.stringContaining('please go there') as string },
    });
    const before = await ask(`at=${encodeURIComponent('2026-06-10T08:29:59+08:00')}`);
    expect(before.json().checkIn).toMatchObject({ allowed: false, code: 'eligibility.before_slot' });
    const inSlot = await ask(`at=${encodeURIComponent('2026-06-10T08:30:00+08:00')}&room=${encodeURIComponent('图书馆 101')}`);
    expect(inSlot.json().checkIn).toMatchObject({ allowed: true, basis: 'slot', code: 'eligibility.allowed' });
  });

  it('refuses a malformed instant and an unknown student', async () => {
    expect((await ask('at=tomorrow')).statusCode).toBe(400);
    const nobody = await staff.app.inject({ url: '/api/students/110101199001011237/check-in', headers });
    expect(nobody.statusCode).toBe(404);
  });
});
