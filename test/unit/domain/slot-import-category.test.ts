import { describe, expect, it } from 'vitest';
import { planSlotImport } from '../../../controller/src/domain/schedule-import.ts';

const headers = ['地点', '院系', '日期', '时间段', '教育类别'];
const row = (n: number, ...cells: string[]) => ({ row: n, cells });

describe('slot import: education category column', () => {
  it('reads 普通/成人 and an empty cell as any category', () => {
    const plan = planSlotImport(headers, [
      row(2, 'A101', '化学学院', '2026-06-10', '08:30-09:30', '成人'),
      row(3, 'A101', '化学学院', '2026-06-10', '09:30-10:30', '普通'),
      row(4, 'A101', '化学学院', '2026-06-10', '10:30-11:30', ''),
    ], []);
    expect(plan.errors).toEqual([]);
    expect(plan.toAdd.map((a) => a.slot.category)).toEqual(['adult', 'regular', null]);
  });
  it('names the category column of a row with an unknown category, and imports nothing', () => {
    const plan = planSlotImport(headers, [
      row(2, 'A101', '化学学院', '2026-06-10', '08:30-09:30', '成人'),
      row(3, 'A101', '化学学院', '2026-06-10', '09:30-10:30', '夜校'),
    ], []);
    expect(plan.toAdd).toEqual([]);
    expect(plan.errors).toMatchObject([{ row: 3, column: '教育类别', code: 'schedule.bad_category' }]);
  });
  it('still imports a file without the column, every slot open to both categories', () => {
    const plan = planSlotImport(['地点', '院系', '日期', '时间段'], [row(2, 'A101', '化学学院', '2026-06-10', '08:30-09:30')], []);
    expect(plan.toAdd).toMatchObject([{ slot: { category: null } }]);
  });
});
