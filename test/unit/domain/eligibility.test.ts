import { describe, expect, it } from 'vitest';
import { eligibility, eligibilityMessageParams } from '../../../controller/src/domain/eligibility.ts';
import type { MakeupCertificate, MakeupWindow, Schedule, ShootSlot } from '../../../controller/src/domain/schedule.ts';
import type { Student } from '../../../controller/src/domain/student.ts';
import { bilingual, externalCode } from '../../../controller/src/domain/messages/index.ts';

// Invented people. Asia/Shanghai is UTC+8 all year, so 08:30 local is 00:30Z.
const student: Student = {
  id: 1,
  idNumber: '11010519990307002X',
  name: '林晓雨',
  gender: 'F',
  birthDate: '1999-03-07',
  schoolCode: '10000',
  educationLevel: '本科',
  major: '应用化学',
  department: '化学学院',
  className: '化学2201',
  studentNumber: '2022010101',
  collectionCode: null,
  educationCategory: 'regular',
  qualificationPassed: true,
};

let nextId = 1;
function slot(date: string, start: string, end: string, target: Partial<ShootSlot> = {}): ShootSlot {
  return { id: nextId++, room: '图书馆 101', department: '化学学院', className: null, date, start, end, ...target };
}
function window(startDate: string, endDate: string, more: Partial<MakeupWindow> = {}): MakeupWindow {
  return {
    id: nextId++,
    startDate,
    endDate,
    weekdays: [1, 2, 3, 4, 5],
    periods: [
      { start: '08:30', end: '11:30' },
      { start: '14:30', end: '17:30' },
    ],
    room: null,
    ...more,
  };
}
function certificate(idNumber: string, revokedAt: string | null = null): MakeupCertificate {
  return {
    id: nextId++,
    name: '林晓雨',
    schoolCode: '10000',
    gender: 'F',
    idNumber,
    educationLevel: '本科',
    schoolName: '示例大学',
    contact: { address: '示例路 1 号', postcode: '100000', person: '王老师', phone: '010-12345678' },
    issuedAt: '2026-06-01T02:00:00.000Z',
    issuedBy: 'cli:test',
    revokedAt,
  };
}
function schedule(parts: Partial<Schedule>): Schedule {
  return { timeZone: 'Asia/Shanghai', slots: [], makeupWindows: [], certificates: [], ...parts };
}
const notYet = { alreadyCaptured: false };
const at = (iso: string) => new Date(iso);

describe('eligibility: who', () => {
  const open = schedule({ slots: [slot('2026-06-10', '08:30', '11:30')] });
  const inSlot = at('2026-06-10T01:00:00Z');

  it('refuses a code that matched nobody on the roster', () => {
    expect(eligibility(null, inSlot, open, notYet)).toEqual({ allowed: false, code: 'eligibility.not_on_roster' });
  });
  it('refuses a student whose qualification check has not passed, even inside their slot', () => {
    expect(eligibility({ ...student, qualificationPassed: false }, inSlot, open, notYet).allowed).toBe(false);
    expect(eligibility({ ...student, qualificationPassed: false }, inSlot, open, { alreadyCaptured: true })).toMatchObject({
      code: 'eligibility.qualification_not_passed',
    });
  });
  it('refuses a student already captured', () => {
    expect(eligibility(student, inSlot, open, { alreadyCaptured: true })).toMatchObject({ code: 'eligibility.already_captured' });
  });
  it('says so when no slot is scheduled for the department or class', () => {
    const other = schedule({ slots: [slot('2026-06-10', '08:30', '11:30', { department: '物理学院' })] });
    expect(eligibility(student, inSlot, other, notYet)).toEqual({ allowed: false, code: 'eligibility.no_slot' });
  });
});

describe('eligibility: own slot edges in Asia/Shanghai', () => {
  const own = slot('2026-06-10', '08:30', '11:30');
  const s = schedule({ slots: [own] });

  it('is before the slot one second before 08:30 local, with the slot named', () => {
    const r = eligibility(student, at('2026-06-10T00:29:59Z'), s, notYet);
    expect(r).toEqual({ allowed: false, code: 'eligibility.before_slot', slot: own });
    expect(bilingual(r.allowed ? externalCode('') : r.code, eligibilityMessageParams(r))).toContain('2026-06-10 08:30-11:30');
  });
  it('allows at 08:30:00 local exactly', () => {
    expect(eligibility(student, at('2026-06-10T00:30:00Z'), s, notYet)).toEqual({ allowed: true, basis: 'slot', slot: own });
  });
  it('allows in the last millisecond before 11:30 local', () => {
    expect(eligibility(student, at('2026-06-10T03:29:59.999Z'), s, notYet).allowed).toBe(true);
  });
  it('is after the slot at 11:30:00 local', () => {
    expect(eligibility(student, at('2026-06-10T03:30:00Z'), s, notYet)).toEqual({ allowed: false, code: 'eligibility.after_slot', slot: own });
  });
  it('reads the instant in the school time zone, not UTC: 06:30 local is the previous UTC day', () => {
    const early = slot('2026-06-11', '06:00', '07:00');
    const r = eligibility(student, at('2026-06-10T22:30:00Z'), schedule({ slots: [early] }), notYet);
    expect(r).toEqual({ allowed: true, basis: 'slot', slot: early });
    // The same instant for a school in UTC is 22:30 on the 10th: before the slot.
    expect(eligibility(student, at('2026-06-10T22:30:00Z'), schedule({ timeZone: 'UTC', slots: [early] }), notYet)).toMatchObject({
      code: 'eligibility.before_slot',
    });
  });
});

describe('eligibility: a slot across midnight', () => {
  const night = slot('2026-06-10', '22:00', '01:00');
  const s = schedule({ slots: [night] });

  it('starts at 22:00 local on its date', () => {
    expect(eligibility(student, at('2026-06-10T13:59:59Z'), s, notYet)).toMatchObject({ code: 'eligibility.before_slot' });
    expect(eligibility(student, at('2026-06-10T14:00:00Z'), s, notYet).allowed).toBe(true);
  });
  it('still holds at 00:59:59 local on the next date and ends at 01:00', () => {
    expect(eligibility(student, at('2026-06-10T16:59:59Z'), s, notYet).allowed).toBe(true);
    expect(eligibility(student, at('2026-06-10T17:00:00Z'), s, notYet)).toMatchObject({ code: 'eligibility.after_slot', slot: night });
  });
  it('does not reopen at 22:30 the day before', () => {
    expect(eligibility(student, at('2026-06-09T14:30:00Z'), s, notYet)).toMatchObject({ code: 'eligibility.before_slot' });
  });
});

describe('eligibility: which slots are the student’s', () => {
  it('takes a class slot for their class and a department slot for their department, not another class', () => {
    const otherClass = slot('2026-06-10', '08:30', '09:30', { className: '化学2202' });
    const ownClass = slot('2026-06-10', '09:30', '10:30', { className: '化学2201' });
    const sameNameElsewhere = slot('2026-06-10', '10:30', '11:30', { department: '物理学院', className: '化学2201' });
    const s = schedule({ slots: [otherClass, ownClass, sameNameElsewhere] });
    expect(eligibility(student, at('2026-06-10T00:45:00Z'), s, notYet)).toMatchObject({ code: 'eligibility.before_slot', slot: ownClass });
    expect(eligibility(student, at('2026-06-10T01:45:00Z'), s, notYet)).toMatchObject({ allowed: true, slot: ownClass });
    expect(eligibility(student, at('2026-06-10T02:45:00Z'), s, notYet)).toMatchObject({ code: 'eligibility.after_slot', slot: ownClass });
  });
  it('between two own slots points at the next one', () => {
    const first = slot('2026-06-10', '08:30', '09:00');
    const second = slot('2026-06-11', '08:30', '09:00');
    expect(eligibility(student, at('2026-06-10T06:00:00Z'), schedule({ slots: [second, first] }), notYet)).toMatchObject({
      code: 'eligibility.before_slot',
      slot: second,
    });
  });
});

describe('eligibility: make-up windows', () => {
  // 2026-06-12 is a Friday, 2026-06-13 a Saturday.
  const past = slot('2026-06-01', '08:30', '11:30');
  const week = window('2026-06-08', '2026-06-12');
  const cert = certificate(student.idNumber.toLowerCase());

  it('allows a certificate holder inside the window hours, from 08:30 to before 11:30 and from 14:30', () => {
    const s = schedule({ slots: [past], makeupWindows: [week], certificates: [cert] });
    expect(eligibility(student, at('2026-06-12T00:29:59Z'), s, notYet)).toMatchObject({ code: 'eligibility.after_slot', slot: past });
    expect(eligibility(student, at('2026-06-12T00:30:00Z'), s, notYet)).toMatchObject({ allowed: true, basis: 'makeup', certificate: cert });
    expect(eligibility(student, at('2026-06-12T03:30:00Z'), s, notYet)).toMatchObject({ code: 'eligibility.after_slot' });
    expect(eligibility(student, at('2026-06-12T06:30:00Z'), s, notYet)).toMatchObject({ allowed: true, period: { start: '14:30', end: '17:30' } });
    expect(eligibility(student, at('2026-06-12T09:30:00Z'), s, notYet).allowed).toBe(false);
  });
  it('is closed at the weekend and after the last date', () => {
    const s = schedule({ slots: [past], makeupWindows: [week], certificates: [cert] });
    expect(eligibility(student, at('2026-06-13T01:00:00Z'), s, notYet).allowed).toBe(false);
    expect(eligibility(student, at('2026-06-15T01:00:00Z'), s, notYet).allowed).toBe(false);
    expect(eligibility(student, at('2026-06-08T01:00:00Z'), s, notYet).allowed).toBe(true);
  });
  it('asks for a certificate inside the window when there is none or it was revoked', () => {
    const none = eligibility(student, at('2026-06-10T01:00:00Z'), schedule({ slots: [past], makeupWindows: [week] }), notYet);
    expect(none).toMatchObject({ code: 'eligibility.makeup_certificate_required', window: week });
    expect(bilingual(none.allowed ? externalCode('') : none.code, eligibilityMessageParams(none))).toContain('08:30-11:30');
    const revoked = schedule({ slots: [past], makeupWindows: [week], certificates: [certificate(student.idNumber, '2026-06-05T00:00:00Z')] });
    expect(eligibility(student, at('2026-06-10T01:00:00Z'), revoked, notYet)).toMatchObject({ code: 'eligibility.makeup_certificate_required' });
    const someoneElse = schedule({ slots: [past], makeupWindows: [week], certificates: [certificate('110105199901010011')] });
    expect(eligibility(student, at('2026-06-10T01:00:00Z'), someoneElse, notYet)).toMatchObject({ code: 'eligibility.makeup_certificate_required' });
  });
  it('tells a student whose own slot is still ahead to wait for it rather than to get a certificate', () => {
    const ahead = slot('2026-06-11', '14:30', '15:30');
    expect(eligibility(student, at('2026-06-10T01:00:00Z'), schedule({ slots: [ahead], makeupWindows: [week] }), notYet)).toMatchObject({
      code: 'eligibility.before_slot',
      slot: ahead,
    });
  });
  it('keeps a make-up period that runs past midnight open on the next date', () => {
    const late = window('2026-06-12', '2026-06-12', { periods: [{ start: '22:00', end: '02:00' }] });
    const s = schedule({ makeupWindows: [late], certificates: [cert] });
    // Saturday 01:30 local, in Friday's period.
    expect(eligibility(student, at('2026-06-12T17:30:00Z'), s, notYet)).toMatchObject({ allowed: true, basis: 'makeup' });
    expect(eligibility(student, at('2026-06-12T18:00:00Z'), s, notYet).allowed).toBe(false);
    // Friday 01:30 local belongs to Thursday's period, which is outside the window.
    expect(eligibility(student, at('2026-06-11T17:30:00Z'), s, notYet).allowed).toBe(false);
  });
});
