import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { addUser, tempData, type TempData } from './helpers.ts';

let data: TempData;
let staff: StaffApp;
let headers: Record<string, string>;

beforeAll(async () => {
  data = await tempData();
  headers = { authorization: `Bearer ${await addUser(data.db, 'sched', 'staff')}` };
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]) });
});
afterAll(async () => {
  await staff.app.close();
  await data.cleanup();
});

describe('schedule editing from the dashboard', () => {
  it('adds a shoot slot and lists it for its date, audited', async () => {
    const payload = { room: 'A101', department: '信息学院', className: '计科2201', date: '2026-12-01', start: '08:30', end: '10:00' };
    const res = await staff.app.inject({ method: 'POST', url: '/api/slots', headers, payload });
    expect(res.statusCode, res.body).toBe(200);
    const list = await staff.app.inject({ url: '/api/slots?date=2026-12-01', headers });
    expect(list.json().slots).toEqual([expect.objectContaining({ room: 'A101', className: '计科2201', start: '08:30', end: '10:00' })]);
    expect((await listAudit(data.db, { action: 'schedule.slot.add', limit: 1 }))[0]?.actor).toBe('sched');
  });

  it('refuses a slot that overlaps another in the same room, naming it; another room is fine', async () => {
    const base = { room: 'B303', department: '外国语学院', className: '英语2202', date: '2026-12-03', start: '09:00', end: '10:00' };
    const first = await staff.app.inject({ method: 'POST', url: '/api/slots', headers, payload: base });
    expect(first.statusCode, first.body).toBe(200);
    const clash = await staff.app.inject({ method: 'POST', url: '/api/slots', headers, payload: { ...base, className: '英语2203', start: '09:30', end: '10:30' } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('staff.slot_overlap');
    expect(clash.json().error.details).toEqual([expect.objectContaining({ field: 'start', code: 'schedule.room_overlap', message: expect.stringContaining(`#${first.json().slot.id}`) })]);
    const touching = await staff.app.inject({ method: 'POST', url: '/api/slots', headers, payload: { ...base, className: '英语2203', start: '10:00', end: '11:00' } });
    expect(touching.statusCode, touching.body).toBe(200);
    const elsewhere = await staff.app.inject({ method: 'POST', url: '/api/slots', headers, payload: { ...base, room: 'B304', className: '英语2203' } });
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
    const listed = (await staff.app.inject({ url: '/api/slots?date=2026-12-03', headers })).json().slots as Array<{ room: string; start: string }>;
    expect(listed.map((s) => `${s.room} ${s.start}`).sort()).toEqual(['B303 09:00', 'B303 10:00', 'B304 09:00']);
  });

  it('says which fields are wrong, in words', async () => {
    const res = await staff.app.inject({ method: 'POST', url: '/api/slots', headers: { ...headers, 'accept-language': 'en' }, payload: { room: '', date: '2026-02-30', start: '25:00', end: '10:00' } });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().error.details as Array<{ field: string; message: string }>);
    expect(fields.map((f) => f.field).sort()).toEqual(['date', 'department', 'room', 'start']);
    expect(fields.every((f) => f.message.length > 0 && !f.message.startsWith('schedule.'))).toBe(true);
  });

  it('adds a make-up window with the default weekdays and hours', async () => {
    const res = await staff.app.inject({ method: 'POST', url: '/api/makeup-windows', headers, payload: { startDate: '2026-12-07', endDate: '2026-12-18' } });
    expect(res.statusCode, res.body).toBe(200);
    const list = await staff.app.inject({ url: '/api/makeup-windows', headers });
    expect(list.json().windows[0]).toMatchObject({ startDate: '2026-12-07', endDate: '2026-12-18', weekdays: [1, 2, 3, 4, 5] });
  });
});
