import { describe, expect, it } from 'vitest';
import { eligibility, eligibilityMessageParams, type Eligibility } from '../../../controller/src/domain/eligibility.ts';
import type { MakeupCertificate, MakeupWindow, Schedule, ShootSlot } from '../../../controller/src/domain/schedule.ts';
import type { Student } from '../../../controller/src/domain/student.ts';
import { bilingual } from '../../../controller/src/domain/messages/index.ts';

// The notice's rules of place and category. Invented people; Asia/Shanghai is UTC+8 all year.
const regular: Student = {
  id: 1, idNumber: '11010519990307002X', name: '林晓雨', gender: 'F', birthDate: '1999-03-07', schoolCode: '10000',
  educationLevel: '本科', major: '应用化学', department: '化学学院', className: '化学2201', studentNumber: '2022010101',
  collectionCode: null, educationCategory: 'regular', qualificationPassed: true,
};
const adult: Student = { ...regular, id: 2, idNumber: '110105198805050011', gender: 'M', educationCategory: 'adult' };

let nextId = 1;
const slot = (date: string, start: string, end: string, more: Partial<ShootSlot> = {}): ShootSlot =>
  ({ id: nextId++, room: '图书馆 101', department: '化学学院', className: null, date, start, end, category: null, ...more });
const window = (startDate: string, endDate: string, more: Partial<MakeupWindow> = {}): MakeupWindow => ({
  id: nextId++, startDate, endDate, weekdays: [1, 2, 3, 4, 5],
  periods: [{ start: '08:30', end: '11:30' }, { start: '14:30', end: '17:30' }], room: null, category: null, ...more,
});
const certificate = (idNumber: string): MakeupCertificate => ({
  id: nextId++, name: '某某', schoolCode: '10000', gender: 'F', idNumber, educationLevel: '本科', schoolName: '示例大学',
  contact: { address: '示例路 1 号', postcode: '100000', person: '王老师', phone: '010-12345678' },
  issuedAt: '2026-03-01T02:00:00.000Z', issuedBy: 'cli:test', revokedAt: null,
});
const schedule = (parts: Partial<Schedule>): Schedule => ({ timeZone: 'Asia/Shanghai', slots: [], makeupWindows: [], certificates: [], ...parts });
const notYet = { alreadyCaptured: false };
const at = (iso: string) => new Date(iso);
const text = (r: Eligibility) => (r.allowed ? '' : bilingual(r.code, eligibilityMessageParams(r)));

describe('education category: slots', () => {
  const adultsOnly = slot('2026-06-10', '08:30', '11:30', { category: 'adult' });
  const regularLater = slot('2026-06-10', '14:30', '17:30', { category: 'regular' });
  const s = schedule({ slots: [adultsOnly, regularLater] });

  it('lets an adult graduate into an adult-only slot and sends a regular one to their own slot', () => {
    expect(eligibility(adult, at('2026-06-10T00:30:00Z'), s, notYet)).toMatchObject({ allowed: true, slot: adultsOnly });
    expect(eligibility(regular, at('2026-06-10T00:30:00Z'), s, notYet)).toMatchObject({ code: 'eligibility.before_slot', slot: regularLater });
  });
  it('has nothing for an adult graduate once only regular slots remain', () => {
    expect(eligibility(adult, at('2026-06-10T06:30:00Z'), s, notYet)).toMatchObject({ code: 'eligibility.after_slot', slot: adultsOnly });
    expect(eligibility(adult, at('2026-06-10T06:30:00Z'), schedule({ slots: [regularLater] }), notYet)).toEqual({ allowed: false, code: 'eligibility.no_slot' });
  });
});

describe('education category: the notice’s make-up weeks (adult 4-14 September, regular 11-21 April)', () => {
  const adultWeeks = window('2026-09-04', '2026-09-14', { category: 'adult', room: '行政楼 203' });
  const regularWeeks = window('2027-04-11', '2027-04-21', { category: 'regular', room: '图书馆 101' });
  const s = schedule({ makeupWindows: [adultWeeks, regularWeeks], certificates: [certificate(adult.idNumber), certificate(regular.idNumber)] });

  it('opens the adult window at 08:30 on Friday 4 September and closes it at 17:30 on Monday 14 September', () => {
    expect(eligibility(adult, at('2026-09-04T00:29:59Z'), s, notYet).allowed).toBe(false);
    expect(eligibility(adult, at('2026-09-04T00:30:00Z'), s, notYet)).toMatchObject({ allowed: true, basis: 'makeup', window: adultWeeks });
    expect(eligibility(adult, at('2026-09-05T02:00:00Z'), s, notYet).allowed).toBe(false); // Saturday
    expect(eligibility(adult, at('2026-09-14T09:29:59Z'), s, notYet).allowed).toBe(true);
    expect(eligibility(adult, at('2026-09-14T09:30:00Z'), s, notYet).allowed).toBe(false);
    expect(eligibility(adult, at('2026-09-15T01:00:00Z'), s, notYet).allowed).toBe(false);
  });
  it('closes between the periods: 11:30 to 14:30', () => {
    expect(eligibility(adult, at('2026-09-07T03:29:59Z'), s, notYet).allowed).toBe(true);
    expect(eligibility(adult, at('2026-09-07T03:30:00Z'), s, notYet).allowed).toBe(false);
    expect(eligibility(adult, at('2026-09-07T06:29:59Z'), s, notYet).allowed).toBe(false);
    expect(eligibility(adult, at('2026-09-07T06:30:00Z'), s, notYet).allowed).toBe(true);
  });
  it('refuses a regular certificate holder in the adult window and names their own window, place and hours', () => {
    const r = eligibility(regular, at('2026-09-07T01:00:00Z'), s, notYet);
    expect(r).toMatchObject({ allowed: false, code: 'eligibility.makeup_other_category', window: adultWeeks, own: regularWeeks });
    expect(text(r)).toContain('2027-04-11 至 2027-04-21，星期 1-5，08:30-11:30, 14:30-17:30，地点 图书馆 101');
    expect(text(r)).toContain('Yours: 2027-04-11 to 2027-04-21');
  });
  it('says no window is scheduled yet when the student’s category has none still open', () => {
    const r = eligibility(regular, at('2026-09-07T01:00:00Z'), schedule({ makeupWindows: [adultWeeks], certificates: [certificate(regular.idNumber)] }), notYet);
    expect(r).toMatchObject({ code: 'eligibility.makeup_other_category_none' });
  });
  it('lets a window without a category admit both', () => {
    const any = window('2026-09-04', '2026-09-14');
    const both = schedule({ makeupWindows: [any], certificates: [certificate(adult.idNumber), certificate(regular.idNumber)] });
    expect(eligibility(regular, at('2026-09-07T01:00:00Z'), both, notYet).allowed).toBe(true);
    expect(eligibility(adult, at('2026-09-07T01:00:00Z'), both, notYet).allowed).toBe(true);
  });
  it('tells a student without a certificate about their slot, not about the other category', () => {
    const r = eligibility(regular, at('2026-09-07T01:00:00Z'), schedule({ slots: [slot('2026-06-10', '08:30', '11:30')], makeupWindows: [adultWeeks] }), notYet);
    expect(r).toMatchObject({ code: 'eligibility.after_slot' });
  });
});

describe('place as well as time', () => {
  const own = slot('2026-06-10', '08:30', '11:30', { room: '图书馆 101' });
  const s = schedule({ slots: [own] });

  it('refuses a student in their slot at another room’s kiosk and says where and when to go', () => {
    const r = eligibility(regular, at('2026-06-10T00:30:00Z'), s, notYet, { room: '行政楼 203' });
    expect(r).toEqual({ allowed: false, code: 'eligibility.wrong_room', slot: own, here: '行政楼 203' });
    expect(text(r)).toContain('这里是 行政楼 203，您的采集地点是 图书馆 101（2026-06-10 08:30-11:30）');
    expect(text(r)).toContain('your session is in 图书馆 101 (2026-06-10 08:30-11:30)');
  });
  it('allows in the slot’s own room, and anywhere when the kiosk has no room configured', () => {
    expect(eligibility(regular, at('2026-06-10T00:30:00Z'), s, notYet, { room: '图书馆 101' }).allowed).toBe(true);
    expect(eligibility(regular, at('2026-06-10T00:30:00Z'), s, notYet, { room: null }).allowed).toBe(true);
  });
  it('checks time before place: outside the slot the student hears about the time', () => {
    expect(eligibility(regular, at('2026-06-10T03:30:00Z'), s, notYet, { room: '行政楼 203' })).toMatchObject({ code: 'eligibility.after_slot' });
  });
  it('sends a certificate holder to the make-up window’s room', () => {
    const w = window('2026-09-04', '2026-09-14', { room: '行政楼 203' });
    const m = schedule({ makeupWindows: [w], certificates: [certificate(regular.idNumber)] });
    const r = eligibility(regular, at('2026-09-07T01:00:00Z'), m, notYet, { room: '图书馆 101' });
    expect(r).toMatchObject({ code: 'eligibility.makeup_wrong_room', window: w, here: '图书馆 101' });
    expect(text(r)).toContain('在 行政楼 203 进行');
    expect(eligibility(regular, at('2026-09-07T01:00:00Z'), m, notYet, { room: '行政楼 203' }).allowed).toBe(true);
  });
  it('lets a make-up window without a room serve every kiosk', () => {
    const m = schedule({ makeupWindows: [window('2026-09-04', '2026-09-14')], certificates: [certificate(regular.idNumber)] });
    expect(eligibility(regular, at('2026-09-07T01:00:00Z'), m, notYet, { room: '图书馆 101' }).allowed).toBe(true);
  });
});
