import { describe, expect, it } from 'vitest';
import { parseCategory, parseCertificate, parseMakeupWindow, parseSlot } from '../../../controller/src/domain/schedule-input.ts';
import { slotsOverlap } from '../../../controller/src/domain/schedule.ts';
import { wallClock } from '../../../controller/src/domain/local-time.ts';
import { isMessageCode } from '../../../controller/src/domain/messages/index.ts';

describe('parseSlot', () => {
  it('normalises full-width digits, slashes and single-digit hours', () => {
    expect(parseSlot({ room: ' 图书馆  101 ', department: '化学学院', date: '２０２６/6/9', start: '８：３０', end: '11:30' })).toEqual({
      ok: true,
      value: { room: '图书馆 101', department: '化学学院', className: null, date: '2026-06-09', start: '08:30', end: '11:30', category: null },
    });
  });
  it('reports every bad field at once, with catalogue codes', () => {
    const r = parseSlot({ room: '', date: '2026-02-30', start: '25:00', end: 'noon' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'room:schedule.required',
      'department:schedule.target_missing',
      'date:schedule.bad_date',
      'start:schedule.bad_time',
      'end:schedule.bad_time',
    ]);
    for (const e of r.errors) expect(isMessageCode(e.code), e.code).toBe(true);
  });
  it('refuses an empty slot but accepts one that ends after midnight', () => {
    expect(parseSlot({ room: 'A', className: 'C1', date: '2026-06-09', start: '08:30', end: '08:30' }).ok).toBe(false);
    expect(parseSlot({ room: 'A', className: 'C1', date: '2026-06-09', start: '22:00', end: '01:00' }).ok).toBe(true);
  });
});

describe('slotsOverlap', () => {
  const base = { room: 'A', department: 'D', className: null, date: '2026-06-09', start: '08:30', end: '09:30' };
  it('sees an overlap in the same room only, and touching slots do not overlap', () => {
    expect(slotsOverlap(base, { ...base, start: '09:00', end: '10:00' })).toBe(true);
    expect(slotsOverlap(base, { ...base, room: 'B', start: '09:00', end: '10:00' })).toBe(false);
    expect(slotsOverlap(base, { ...base, start: '09:30', end: '10:30' })).toBe(false);
  });
  it('sees a slot past midnight overlapping the next morning', () => {
    expect(slotsOverlap({ ...base, start: '23:00', end: '01:00' }, { ...base, date: '2026-06-10', start: '00:30', end: '02:00' })).toBe(true);
  });
});

describe('education category', () => {
  it('reads regular/普通 and adult/成人, any when empty, and refuses anything else', () => {
    expect(parseCategory('普通')).toBe('regular');
    expect(parseCategory(' Adult ')).toBe('adult');
    expect(parseCategory('成人')).toBe('adult');
    expect(parseCategory('')).toBeNull();
    expect(parseCategory('night')).toBeUndefined();
    const slot = parseSlot({ room: 'A', department: 'D', date: '2026-06-09', start: '08:30', end: '09:00', category: '成人' });
    expect(slot.ok && slot.value.category).toBe('adult');
    const bad = parseMakeupWindow({ startDate: '2026-09-04', category: 'evening' });
    expect(bad.ok ? [] : bad.errors).toEqual([{ field: 'category', code: 'schedule.bad_category' }]);
  });
});

describe('parseMakeupWindow', () => {
  it('defaults to Monday-Friday 08:30-11:30 and 14:30-17:30 and a one-day range', () => {
    expect(parseMakeupWindow({ startDate: '2026-06-15' })).toEqual({
      ok: true,
      value: {
        startDate: '2026-06-15',
        endDate: '2026-06-15',
        weekdays: [1, 2, 3, 4, 5],
        periods: [
          { start: '08:30', end: '11:30' },
          { start: '14:30', end: '17:30' },
        ],
        room: null,
        category: null,
      },
    });
  });
  it('reads weekday lists and periods, and refuses reversed ranges and bad weekdays', () => {
    const r = parseMakeupWindow({ startDate: '2026-06-15', endDate: '2026-06-30', weekdays: '1-3,6', periods: '09:00-12:00' });
    expect(r.ok && r.value.weekdays).toEqual([1, 2, 3, 6]);
    const bad = parseMakeupWindow({ startDate: '2026-06-15', endDate: '2026-06-01', weekdays: '0-8', periods: '9-12' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.code)).toEqual(['schedule.date_range', 'schedule.bad_weekdays', 'schedule.bad_periods']);
  });
});

describe('parseCertificate', () => {
  const good = {
    name: '赵一鸣',
    schoolCode: '10000',
    gender: '男',
    idNumber: '11010519990307059x',
    educationLevel: '本科',
    schoolName: '示例大学',
    address: '示例路 1 号',
    postcode: '100000',
    contactPerson: '王老师',
    phone: '010-12345678',
  };
  it('takes the fields of the school form, upper-casing the check character', () => {
    const r = parseCertificate(good, '2026-06-01');
    expect(r.ok && r.value).toMatchObject({ gender: 'M', idNumber: '11010519990307059X', contact: { postcode: '100000', person: '王老师' } });
  });
  it('checks the ID number as the roster does: check character, real birth date, not in the future', () => {
    const idErrors = (idNumber: string) => {
      const r = parseCertificate({ ...good, idNumber }, '2026-06-01');
      return r.ok ? [] : r.errors.filter((e) => e.field === 'idNumber');
    };
    expect(idErrors('110105199903070591')).toEqual([{ field: 'idNumber', code: 'roster.id.checksum', params: { expected: 'X' } }]);
    expect(idErrors('110105199902300590')[0]?.code).toBe('roster.id.birth_date_invalid');
    expect(idErrors('110105202701010590')[0]?.code).toBe('roster.id.birth_date_future');
    expect(idErrors('110105990307001')[0]?.code).toBe('roster.id.legacy15');
    expect(idErrors('１１０１０５１９９９０３０７０５９ｘ')).toEqual([]);
  });

  it('refuses a gender that disagrees with the ID number', () => {
    const r = parseCertificate({ ...good, gender: '女' }, '2026-06-01');
    expect(r.ok ? [] : r.errors).toEqual([{ field: 'gender', code: 'roster.gender.mismatch' }]);
  });

  it('lists every bad field', () => {
    const r = parseCertificate({ ...good, name: ' ', gender: '?', idNumber: '12345', postcode: '1000', phone: 'call me', schoolCode: '1' }, '2026-06-01');
    expect(r.ok ? [] : r.errors.map((e) => e.field).sort()).toEqual(['gender', 'idNumber', 'name', 'phone', 'postcode', 'schoolCode']);
  });
});

describe('wallClock', () => {
  it('gives the local date, ISO weekday and second of day in Asia/Shanghai', () => {
    expect(wallClock(new Date('2026-06-12T16:30:05Z'), 'Asia/Shanghai')).toMatchObject({ date: '2026-06-13', weekday: 6, secondOfDay: 30 * 60 + 5 });
    expect(wallClock(new Date('2026-06-14T23:59:59Z'), 'Asia/Shanghai')).toMatchObject({ date: '2026-06-15', weekday: 1 });
  });
});
