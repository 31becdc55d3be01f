import { describe, expect, it } from 'vitest';
import { planMakeupWindowImport } from '../../../controller/src/domain/makeup-import.ts';
import type { MakeupWindow } from '../../../controller/src/domain/schedule.ts';

const rows = (...r: string[][]) => r.map((cells, i) => ({ row: i + 2, cells }));

describe('make-up window import plan', () => {
  it('reads Chinese headers, defaults the weekdays and hours, and keeps room and category', () => {
    const plan = planMakeupWindowImport(['开始日期', '结束日期', '星期', '时段', '地点', '教育类别'], rows(
      ['2026-09-04', '2026-09-14', '', '', '一号采集室', '成人'],
      ['2027-04-11', '2027-04-21', '1-5', '08:30-11:30,14:30-17:30', '二号采集室', '普通'],
      ['2027-05-06', '', '6', '09:00-12:00', '', ''],
    ), []);
    expect(plan.errors).toEqual([]);
    expect(plan.toAdd).toEqual([
      { row: 2, window: { startDate: '2026-09-04', endDate: '2026-09-14', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '08:30', end: '11:30' }, { start: '14:30', end: '17:30' }], room: '一号采集室', category: 'adult' } },
      { row: 3, window: { startDate: '2027-04-11', endDate: '2027-04-21', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '08:30', end: '11:30' }, { start: '14:30', end: '17:30' }], room: '二号采集室', category: 'regular' } },
      { row: 4, window: { startDate: '2027-05-06', endDate: '2027-05-06', weekdays: [6], periods: [{ start: '09:00', end: '12:00' }], room: null, category: null } },
    ]);
  });

  it('reads English headers and a combined date range column', () => {
    const plan = planMakeupWindowImport(['Dates', 'Room', 'Category'], rows(['2026-09-04~2026-09-14', 'Room 1', 'adult'], ['2026-09-15 至 2026-09-16', 'Room 1', '']), []);
    expect(plan.errors).toEqual([]);
    expect(plan.toAdd.map((a) => [a.window.startDate, a.window.endDate, a.window.category])).toEqual([['2026-09-04', '2026-09-14', 'adult'], ['2026-09-15', '2026-09-16', null]]);
  });

  it('lists every bad row with its column and imports nothing', () => {
    const plan = planMakeupWindowImport(['开始日期', '结束日期', '星期', '时段', '地点', '教育类别'], rows(
      ['2026-09-04', '2026-09-14', '', '', '一号采集室', '成人'],
      ['2026-02-30', '', '', '', '', ''],
      ['2026-09-14', '2026-09-04', '8', '25:00-26:00', '', '函授'],
      ['2026-09-04', '2026-09-14', '', '', '一号采集室', '成人'],
    ), []);
    expect(plan.toAdd).toEqual([]);
    expect(plan.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, '开始日期', 'schedule.bad_date'],
      [4, '结束日期', 'schedule.date_range'],
      [4, '星期', 'schedule.bad_weekdays'],
      [4, '时段', 'schedule.bad_periods'],
      [4, '教育类别', 'schedule.bad_category'],
      [5, null, 'schedule.duplicate_row'],
    ]);
    for (const e of plan.errors) expect(e.message).not.toMatch(/[{}]/);
  });

  it('counts windows already stored as unchanged, and refuses a file without dates', () => {
    const stored: MakeupWindow = { id: 1, startDate: '2026-09-04', endDate: '2026-09-14', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '08:30', end: '11:30' }, { start: '14:30', end: '17:30' }], room: '一号采集室', category: 'adult' };
    const plan = planMakeupWindowImport(['from', 'to', 'room', 'category'], rows(['2026-09-04', '2026-09-14', '一号采集室', 'adult'], ['2026-09-04', '2026-09-14', '二号采集室', 'adult']), [stored]);
    expect(plan).toMatchObject({ unchanged: 1, errors: [] });
    expect(plan.toAdd.map((a) => a.window.room)).toEqual(['二号采集室']);
    expect(planMakeupWindowImport(['地点'], rows(['x']), []).errors.map((e) => e.code)).toEqual(['schedule.missing_column']);
    expect(planMakeupWindowImport(['开始日期'], [], []).errors.map((e) => e.code)).toEqual(['schedule.empty_file']);
  });
});
