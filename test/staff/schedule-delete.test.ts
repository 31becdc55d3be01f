import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { insertCertificate } from '../../controller/src/store/certificate-repository.ts';
import { addUser, insertStudents, makeBlobPhotos, student, tempData, type TempData } from './helpers.ts';
import { recordCaptures } from './capture-tables.ts';

let data: TempData;
let staff: StaffApp;
let headers: Record<string, string>;

// student(1) and student(3): 信息学院 / 计科2201; student(2): 外国语学院 / 英语2202.
// student(1) photographed in its slot on 2026-12-02; student(3), holding a make-up certificate,
// photographed on Tuesday 2026-12-08.
beforeAll(async () => {
  data = await tempData();
  headers = { authorization: `Bearer ${await addUser(data.db, 'sched', 'staff')}` };
  await insertStudents(data.db, [student(1), student(2), student(3)]);
  await recordCaptures(data.db, makeBlobPhotos(data.dir, '2026-12-02', 1, 1000, 1), '10999');
  await recordCaptures(data.db, makeBlobPhotos(data.dir, '2026-12-08', 1, 1000, 3), '10999');
  const s = student(3);
  await insertCertificate(data.db, {
    name: s.name, schoolCode: '10999', gender: s.gender, idNumber: s.idNumber, educationLevel: '本科', schoolName: '示例大学',
    contact: { address: '示例路 1 号', postcode: '100000', person: '王老师', phone: '010-1' }, issuedAt: '2026-12-01T00:00:00Z', issuedBy: 'sched', revokedAt: null,
  });
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]) });
});
afterAll(async () => {
  await staff.app.close();
  await data.cleanup();
});

// Each slot in a room of its own: one room holds one slot at a time.
let rooms = 100;
async function addSlot(department: string | null, className: string | null, date: string): Promise<number> {
  const payload = { room: `A${++rooms}`, department: department ?? '', className: className ?? '', date, start: '08:30', end: '10:00' };
  const res = await staff.app.inject({ method: 'POST', url: '/api/slots', headers, payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().slot.id as number;
}
async function addWindow(startDate: string, endDate: string, weekdays: string): Promise<number> {
  const res = await staff.app.inject({ method: 'POST', url: '/api/makeup-windows', headers, payload: { startDate, endDate, weekdays } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().window.id as number;
}
const del = (url: string, lang = 'zh') => staff.app.inject({ method: 'DELETE', url, headers: { ...headers, 'accept-language': lang } });

describe('deleting shoot slots', () => {
  it('deletes a slot nobody was photographed in, audited, and then answers 404 for it', async () => {
    const id = await addSlot('外国语学院', '英语2202', '2026-12-02');
    const res = await del(`/api/slots/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().deleted).toMatchObject({ id, className: '英语2202' });
    const left = (await staff.app.inject({ url: '/api/slots?date=2026-12-02', headers })).json().slots as Array<{ id: number }>;
    expect(left.map((s) => s.id)).not.toContain(id);
    const audit = await listAudit(data.db, { action: 'schedule.slot.delete' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'sched', target: 'A101', details: expect.objectContaining({ id, date: '2026-12-02' }) });

    const again = await del(`/api/slots/${id}`);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('staff.slot_not_found');
  });

  it('refuses with 409 to delete a class or department slot its students were photographed in on that day', async () => {
    for (const [department, className] of [['信息学院', '计科2201'], [null, '计科2201'], ['信息学院', null]] as const) {
      const id = await addSlot(department, className, '2026-12-02');
      const res = await del(`/api/slots/${id}`, 'en');
      expect(res.statusCode, `${department} ${className}`).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'staff.slot_has_captures', details: { id, captured: 1 } });
      expect(res.json().error.message).toContain('1 students');
      const left = (await staff.app.inject({ url: '/api/slots?date=2026-12-02', headers })).json().slots as Array<{ id: number }>;
      expect(left.map((s) => s.id)).toContain(id);
    }
    // The same department on another day had no captures: that slot can go.
    expect((await del(`/api/slots/${await addSlot('信息学院', null, '2026-12-03')}`)).statusCode).toBe(200);
  });

  it('validates the id', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
      const res = await del(`/api/slots/${id}`);
      expect(res.statusCode, id).toBe(400);
      expect(res.json().error.code).toBe('staff.bad_request');
    }
  });
});

describe('editing shoot slots', () => {
  const put = (id: number, body: Record<string, string>) => staff.app.inject({ method: 'PUT', url: `/api/slots/${id}`, headers, payload: body });
  const slotBody = (room: string, over: Record<string, string> = {}) => ({ room, department: '外国语学院', className: '英语2202', date: '2026-12-04', start: '08:30', end: '10:00', ...over });

  it('changes a slot, audited with before and after; refuses a clash in the room, and unknown ids', async () => {
    const id = await addSlot('外国语学院', '英语2202', '2026-12-04');
    const other = await addSlot('外国语学院', '英语2203', '2026-12-04');
    const room = ((await staff.app.inject({ url: '/api/slots?date=2026-12-04', headers })).json().slots as Array<{ id: number; room: string }>).find((s) => s.id === other)!.room;
    const res = await put(id, slotBody('C101', { start: '14:00', end: '15:30' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().slot).toEqual({ id, room: 'C101', department: '外国语学院', className: '英语2202', date: '2026-12-04', start: '14:00', end: '15:30', category: null });
    const audit = (await listAudit(data.db, { action: 'schedule.slot.update', limit: 1 }))[0]!;
    expect(audit.details).toMatchObject({ before: { id, start: '08:30' }, after: { id, room: 'C101', start: '14:00' } });

    const clash = await put(id, slotBody(room, { start: '09:00', end: '09:30' }));
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('staff.slot_overlap');
    // Its own old hours are no clash with itself.
    expect((await put(id, slotBody('C101', { start: '14:30', end: '15:30' }))).statusCode).toBe(200);
    expect((await put(999_999, slotBody('C101'))).json().error.code).toBe('staff.slot_not_found');
  });

  it('a slot students were photographed in keeps its day and whom it covers; its room and hours may move', async () => {
    const id = await addSlot('信息学院', '计科2201', '2026-12-02');
    const body = { room: 'D101', department: '信息学院', className: '计科2201', date: '2026-12-02', start: '08:30', end: '12:00' };
    const later = await put(id, body);
    expect(later.statusCode, later.body).toBe(200);
    for (const change of [{ date: '2026-12-05' }, { className: '计科2202' }, { department: '外国语学院' }]) {
      const res = await put(id, { ...body, ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'staff.slot_fixed_by_captures', details: { id, captured: 1 } });
    }
    const kept = ((await staff.app.inject({ url: '/api/slots?date=2026-12-02', headers })).json().slots as Array<{ id: number; end: string }>).find((s) => s.id === id);
    expect(kept?.end).toBe('12:00');
  });
});

describe('deleting make-up windows', () => {
  it('refuses with 409 a window a certificate holder was photographed in, deletes others, audited', async () => {
    const used = await addWindow('2026-12-07', '2026-12-18', '1,2,3,4,5');
    const weekendOnly = await addWindow('2026-12-07', '2026-12-18', '6,7');
    const later = await addWindow('2027-01-04', '2027-01-08', '1,2,3,4,5');

    const refused = await del(`/api/makeup-windows/${used}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'staff.makeup_window_has_captures', details: { id: used, captured: 1 } });

    for (const id of [weekendOnly, later]) expect((await del(`/api/makeup-windows/${id}`)).statusCode).toBe(200);
    const left = ((await staff.app.inject({ url: '/api/makeup-windows', headers })).json().windows as Array<{ id: number }>).map((w) => w.id);
    expect(left).toEqual([used]);
    expect((await listAudit(data.db, { action: 'schedule.makeup_window.delete' })).map((a) => a.details?.id).sort()).toEqual([weekendOnly, later].sort());

    const gone = await del(`/api/makeup-windows/${later}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('staff.makeup_window_not_found');
  });
});

// After the deletions above, which count the windows left.
describe('editing make-up windows', () => {
  const put = (id: number, body: Record<string, string>) => staff.app.inject({ method: 'PUT', url: `/api/makeup-windows/${id}`, headers, payload: body });

  it('a window nobody used changes freely, audited; one with captures may only grow', async () => {
    const unused = await addWindow('2027-01-04', '2027-01-08', '1,2,3,4,5');
    const moved = await put(unused, { startDate: '2027-01-11', endDate: '2027-01-15', weekdays: '6,7', periods: '09:00-11:00' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().window).toMatchObject({ id: unused, startDate: '2027-01-11', weekdays: [6, 7], periods: [{ start: '09:00', end: '11:00' }] });
    expect((await listAudit(data.db, { action: 'schedule.makeup_window.update', limit: 1 }))[0]?.details).toMatchObject({ before: { startDate: '2027-01-04' }, after: { startDate: '2027-01-11' } });

    // Student 3 (certificate holder) was photographed on Tuesday 2026-12-08.
    const used = await addWindow('2026-12-07', '2026-12-11', '1,2,3,4,5');
    for (const narrower of [{ startDate: '2026-12-09', endDate: '2026-12-11', weekdays: '1,2,3,4,5' }, { startDate: '2026-12-07', endDate: '2026-12-11', weekdays: '1,3,5' }]) {
      const res = await put(used, narrower);
      expect(res.statusCode, JSON.stringify(narrower)).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'staff.makeup_window_fixed_by_captures', details: { id: used, captured: 1 } });
    }
    const longer = await put(used, { startDate: '2026-12-07', endDate: '2026-12-25', weekdays: '1,2,3,4,5,6', periods: '13:00-17:00' });
    expect(longer.statusCode, longer.body).toBe(200);
    expect(longer.json().window).toMatchObject({ endDate: '2026-12-25', weekdays: [1, 2, 3, 4, 5, 6] });
    expect((await put(999_999, { startDate: '2027-01-04', endDate: '2027-01-08' })).json().error.code).toBe('staff.makeup_window_not_found');
  });
});
