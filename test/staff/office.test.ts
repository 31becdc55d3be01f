import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import type { RosterImporter } from '../../controller/src/server/staff/context.ts';
import { addUser, insertStudents, makePhotos, student, tempData, type TempData } from './helpers.ts';

let data: TempData;
let staff: StaffApp;
let token: string;
const date = '2026-11-28';
const uploads: Array<{ name: string; size: number; dryRun: boolean; actor: string; origin: string }> = [];

const importer: RosterImporter = async (file, { dryRun, actor, origin }) => {
  uploads.push({ name: file.name, size: file.bytes.length, dryRun, actor, origin });
  return file.bytes.includes('bad')
    ? { added: 0, updated: 0, unchanged: 0, errors: [{ row: 3, column: '身份证号', code: 'roster.id.checksum', message: '校验位错误' }] }
    : { added: 2, updated: 0, unchanged: 0, errors: [] };
};

beforeAll(async () => {
  data = await tempData();
  token = await addUser(data.db, 'zheng', 'staff');
  const roster = Array.from({ length: 8 }, (_, i) => student(i + 1));
  roster.push(student(50, { name: "O'Brien%_\\", department: '信息学院', className: '计科2201' }));
  await insertStudents(data.db, roster);
  // 1 and 3 photographed (信息学院 / 计科2201 holds 1, 3, 5, 7 and 50).
  const photos = (await makePhotos(data.dir, date, 3)).filter((p) => p.sequence !== 2);
  await data.db.run(`INSERT INTO shoot_slots (room, department, class_name, date, start_time, end_time) VALUES ('A101', '信息学院', '计科2201', ?, '08:30', '10:00')`, [date]);
  staff = await buildStaffApp({
    db: data.db, dataDir: data.dir, photos: new ListPhotoSource(photos), importRoster: importer,
    now: () => new Date(`${date}T03:00:00Z`), // 11:00 in Asia/Shanghai: the 计科2201 slot is over
  });
});
afterAll(async () => {
  await staff.app.close();
  await data.cleanup();
});

const auth = () => ({ authorization: `Bearer ${token}` });

describe('office routes', () => {
  it('finds students by name, number or code; SQL metacharacters are only text', async () => {
    const byName = await staff.app.inject({ url: `/api/students?q=${encodeURIComponent('林晓安')}`, headers: auth() });
    expect(byName.json().students.length).toBeGreaterThan(0);
    for (const q of ["' OR '1'='1", '%', '_', "'; DROP TABLE students; --", '" OR ""="']) {
      const res = await staff.app.inject({ url: `/api/students?q=${encodeURIComponent(q)}`, headers: auth() });
      expect(res.statusCode, q).toBe(200);
      const names = (res.json().students as Array<{ name: string }>).map((s) => s.name);
      expect(names.every((n) => n.includes(q)), q).toBe(true);
    }
    const literal = await staff.app.inject({ url: `/api/students?q=${encodeURIComponent('%_')}`, headers: auth() });
    expect(literal.json().students.map((s: { name: string }) => s.name)).toEqual(["O'Brien%_\\"]);
    expect((await data.db.get<{ n: number }>('SELECT count(*) AS n FROM students'))?.n).toBe(9);
  });

  it('counts progress per class, with absentees once the slot is over', async () => {
    const res = await staff.app.inject({ url: `/api/progress?date=${date}`, headers: auth() });
    const classes = res.json().classes as Array<{ className: string; total: number; captured: number; pending: number; absent: number }>;
    const cs = classes.find((c) => c.className === '计科2201')!;
    expect(cs).toMatchObject({ total: 5, captured: 2, pending: 3, absent: 3 });
    const en = classes.find((c) => c.className === '英语2202')!;
    expect(en).toMatchObject({ total: 4, captured: 0, pending: 4, absent: 0 });
  });

  it('refuses an override for a student with nothing captured, and for an unknown student', async () => {
    const res = await staff.app.inject({ method: 'POST', url: '/api/overrides', headers: auth(), payload: { idNumber: student(1).idNumber, reason: '眼睛闭合，重拍' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('staff.override_not_needed');
    expect(await listAudit(data.db, { limit: 5, action: 'capture.override' })).toEqual([]);
    const unknown = await staff.app.inject({ method: 'POST', url: '/api/overrides', headers: auth(), payload: { idNumber: '11010120000101999X', reason: 'x y' } });
    expect(unknown.statusCode).toBe(404);
  });

  it('registers a make-up certificate and reads it back for printing', async () => {
    const s = student(4);
    const payload = {
      idNumber: s.idNumber, name: s.name, schoolCode: '10999', gender: s.gender, educationLevel: '本科', schoolName: '示例大学',
      contactAddress: '示例市示例路 1 号', postcode: '100000', contactPerson: '教务处 王老师', contactPhone: '010-12345678',
    };
    const res = await staff.app.inject({ method: 'POST', url: '/api/makeups', headers: auth(), payload });
    expect(res.statusCode).toBe(200);
    const got = await staff.app.inject({ url: `/api/makeups/${res.json().id}`, headers: auth() });
    expect(got.json().certificate).toMatchObject({
      idNumber: s.idNumber, name: s.name, schoolName: '示例大学', issuedBy: 'zheng',
      contact: { address: payload.contactAddress, postcode: '100000', person: payload.contactPerson, phone: payload.contactPhone },
    });
    expect((await listAudit(data.db, { limit: 1, action: 'makeup.cert.add' })).length).toBe(1);
    const bad = await staff.app.inject({ method: 'POST', url: '/api/makeups', headers: auth(), payload: { ...payload, postcode: '12' } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a certificate under a mistyped ID number, saying which character the number calls for', async () => {
    const s = student(5);
    const typo = s.idNumber.slice(0, 17) + (s.idNumber[17] === '0' ? '1' : '0');
    const before = (await staff.app.inject({ url: '/api/makeups', headers: auth() })).json().certificates.length;
    const res = await staff.app.inject({
      method: 'POST', url: '/api/makeups', headers: auth(),
      payload: {
        idNumber: typo, name: s.name, schoolCode: '10999', gender: s.gender, educationLevel: '本科', schoolName: '示例大学',
        contactAddress: '示例市示例路 1 号', postcode: '100000', contactPerson: '王老师', contactPhone: '010-12345678',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'idNumber', code: 'roster.id.checksum', params: { expected: s.idNumber[17] } })]);
    expect((await staff.app.inject({ url: '/api/makeups', headers: auth() })).json().certificates).toHaveLength(before);
  });

  it('passes a roster upload to the importer and returns the row-level report', async () => {
    const ok = await staff.app.inject({
      method: 'POST', url: '/api/rosters?name=roster.csv', headers: { ...auth(), 'content-type': 'text/csv' }, payload: Buffer.from('身份证号,姓名\n'),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ added: 2 });
    const bad = await staff.app.inject({
      method: 'POST', url: '/api/rosters?name=roster.csv&dryRun=true', headers: { ...auth(), 'content-type': 'text/csv' }, payload: Buffer.from('bad'),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('staff.roster_rejected');
    expect(bad.json().error.details.errors[0]).toMatchObject({ row: 3, column: '身份证号' });
    expect(uploads.map((u) => [u.dryRun, u.actor, u.origin])).toEqual([[false, 'zheng', '127.0.0.1'], [true, 'zheng', '127.0.0.1']]);
    expect((await listAudit(data.db, { limit: 1 }))[0]).toMatchObject({ action: 'roster.check', actor: 'zheng', target: 'roster.csv' });
  });
});
