import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../../controller/src/store/database.ts';
import { insertSlot, listSlots, insertMakeupWindow, listMakeupWindows, slotsForStudent } from '../../../controller/src/store/schedule-repository.ts';
import { insertCertificate, listCertificates, revokeCertificate } from '../../../controller/src/store/certificate-repository.ts';
import { scheduleForStudent } from '../../../controller/src/store/schedule-loader.ts';
import { appendAudit, listAudit } from '../../../controller/src/store/audit-log.ts';
import { eligibility } from '../../../controller/src/domain/eligibility.ts';
import type { MakeupCertificate } from '../../../controller/src/domain/schedule.ts';
import type { Student } from '../../../controller/src/domain/student.ts';

const dirs: string[] = [];
const open: Database[] = [];
async function tempDb(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'rig-sched-'));
  dirs.push(dir);
  const db = await Database.open(join(dir, 'rig.db'));
  open.push(db);
  return db;
}
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const cert = (idNumber: string): Omit<MakeupCertificate, 'id'> => ({
  name: '周子墨',
  schoolCode: '10000',
  gender: 'M',
  idNumber,
  educationLevel: '硕士研究生',
  schoolName: '示例大学',
  contact: { address: '示例路 1 号 教务处', postcode: '100000', person: '陈老师', phone: '010-87654321' },
  issuedAt: '2026-06-01T01:00:00.000Z',
  issuedBy: 'cli:test',
  revokedAt: null,
});

describe('slot repository', () => {
  it('stores slots, including one past midnight, and filters by date, department, class and room', async () => {
    const db = await tempDb();
    const a = await insertSlot(db, { room: 'A101', department: '化学学院', className: null, date: '2026-06-10', start: '08:30', end: '11:30' });
    await insertSlot(db, { room: 'B202', department: '物理学院', className: '物理2201', date: '2026-06-10', start: '22:00', end: '01:00' });
    await insertSlot(db, { room: 'A101', department: '化学学院', className: null, date: '2026-06-11', start: '08:30', end: '11:30' });
    expect((await listSlots(db)).length).toBe(3);
    expect((await listSlots(db, { date: '2026-06-10' })).map((s) => s.room)).toEqual(['A101', 'B202']);
    expect(await listSlots(db, { className: '物理2201' })).toMatchObject([{ start: '22:00', end: '01:00' }]);
    expect((await listSlots(db, { department: '化学学院', room: 'A101' }))[0]).toEqual(a);
    expect(await slotsForStudent(db, { department: '物理学院', className: '物理2201' })).toHaveLength(1);
  });

  it('refuses at the database level a slot that starts and ends at the same minute or has no target', async () => {
    const db = await tempDb();
    await expect(insertSlot(db, { room: 'A', department: 'D', className: null, date: '2026-06-10', start: '08:30', end: '08:30' })).rejects.toThrow(/CHECK/);
    await expect(insertSlot(db, { room: 'A', department: null, className: null, date: '2026-06-10', start: '08:30', end: '09:30' })).rejects.toThrow(/CHECK/);
  });
});

describe('make-up window repository', () => {
  it('round-trips weekdays and periods and finds windows touching a date range', async () => {
    const db = await tempDb();
    const w = await insertMakeupWindow(db, {
      startDate: '2026-06-15',
      endDate: '2026-06-19',
      weekdays: [1, 3, 5],
      periods: [{ start: '09:00', end: '12:00' }],
      room: 'A101',
    });
    await insertMakeupWindow(db, { startDate: '2026-07-01', endDate: '2026-07-03', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '14:30', end: '17:30' }], room: null });
    expect(await listMakeupWindows(db, { from: '2026-06-19', to: '2026-06-30' })).toEqual([w]);
    expect(await listMakeupWindows(db, { from: '2026-06-20', to: '2026-06-30' })).toEqual([]);
    expect(await listMakeupWindows(db)).toHaveLength(2);
  });
});

describe('certificate repository', () => {
  it('stores the form fields, finds by ID number in any case, and hides revoked ones unless asked', async () => {
    const db = await tempDb();
    const c = await insertCertificate(db, cert('11010519980101001X'));
    const other = await insertCertificate(db, cert('110105199802020011'));
    expect(await listCertificates(db, { idNumber: '11010519980101001x' })).toEqual([c]);
    expect(await revokeCertificate(db, other.id, new Date('2026-06-02T00:00:00Z'))).toBe(true);
    expect(await revokeCertificate(db, other.id)).toBe(false);
    expect((await listCertificates(db)).map((x) => x.id)).toEqual([c.id]);
    expect(await listCertificates(db, { includeRevoked: true })).toMatchObject([{ id: c.id }, { id: other.id, revokedAt: '2026-06-02T00:00:00.000Z' }]);
  });
});

describe('schedule loaded for a student', () => {
  it('gives eligibility what it needs: a make-up with a stored certificate is allowed', async () => {
    const db = await tempDb();
    const student: Student = {
      id: 7,
      idNumber: '11010519980101001X',
      name: '周子墨',
      gender: 'M',
      birthDate: '1998-01-01',
      schoolCode: '10000',
      educationLevel: '硕士研究生',
      major: '物理学',
      department: '物理学院',
      className: '物理2201',
      studentNumber: 'S2022001',
      collectionCode: null,
      educationCategory: 'regular',
      qualificationPassed: true,
    };
    await insertSlot(db, { room: 'A101', department: '物理学院', className: null, date: '2026-06-01', start: '08:30', end: '11:30' });
    await insertSlot(db, { room: 'A101', department: '化学学院', className: null, date: '2026-06-20', start: '08:30', end: '11:30' });
    await insertMakeupWindow(db, { startDate: '2026-06-15', endDate: '2026-06-19', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '08:30', end: '11:30' }], room: null });
    const friday0900 = new Date('2026-06-19T01:00:00Z');
    const before = await scheduleForStudent(db, student, 'Asia/Shanghai');
    expect(before.slots).toHaveLength(1);
    expect(eligibility(student, friday0900, before, { alreadyCaptured: false })).toMatchObject({ code: 'eligibility.makeup_certificate_required' });
    await insertCertificate(db, cert(student.idNumber));
    const after = await scheduleForStudent(db, student, 'Asia/Shanghai');
    expect(eligibility(student, friday0900, after, { alreadyCaptured: false })).toMatchObject({ allowed: true, basis: 'makeup' });
  });
});

describe('audit log', () => {
  it('appends rows with JSON details and lists them newest first, filtered by action prefix', async () => {
    const db = await tempDb();
    await appendAudit(db, { actor: 'cli:root', origin: 'local', action: 'schedule.add', target: 'slot:1', details: { room: 'A101' } }, new Date('2026-06-01T00:00:00Z'));
    await appendAudit(db, { actor: 'kiosk', origin: 'local', action: 'makeup.cert.add' });
    await appendAudit(db, { actor: 'cli:root', origin: 'local', action: 'schedule.import', details: { added: 3 } });
    const schedule = await listAudit(db, { action: 'schedule' });
    expect(schedule.map((r) => r.action)).toEqual(['schedule.import', 'schedule.add']);
    expect(schedule[1]).toMatchObject({ at: '2026-06-01T00:00:00.000Z', target: 'slot:1', details: { room: 'A101' } });
    expect((await listAudit(db)).length).toBe(3);
  });
});
