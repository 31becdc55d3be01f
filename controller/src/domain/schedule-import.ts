/**
 * Plans a slot import from spreadsheet rows: maps Chinese or English headers, parses each row,
 * and checks rows against each other and against the slots already stored. Pure: the store
 * decides to write only when the plan has no errors (all or nothing).
 */
import { bilingual } from './messages/index.ts';
import { clean, parseSlot, type FieldError } from './schedule-input.ts';
import { slotsOverlap, type ShootSlot } from './schedule.ts';
import type { RosterCode } from './messages/roster.ts';
import type { ScheduleCode } from './messages/schedule.ts';
import type { RowError } from './row-error.ts';

/** A schedule row problem (column null for the whole row or file). */
export type SlotRowError = RowError<ScheduleCode | RosterCode>;

export interface SlotImportPlan {
  toAdd: Array<{ row: number; slot: Omit<ShootSlot, 'id'> }>;
  unchanged: number;
  errors: SlotRowError[];
}

type SlotField = 'room' | 'department' | 'className' | 'date' | 'start' | 'end' | 'period' | 'category';

/** Accepted header texts per field, compared after NFKC and lower-casing. */
const headerAliases: Record<SlotField, readonly string[]> = {
  room: ['地点', '采集地点', '拍摄地点', '考场', '教室', 'room', 'location'],
  department: ['院系', '学院', '系', 'department'],
  className: ['班级', 'class', 'classname', 'class name'],
  date: ['日期', '拍摄日期', '采集日期', 'date'],
  start: ['开始时间', '开始', 'start', 'start time'],
  end: ['结束时间', '结束', 'end', 'end time'],
  period: ['时间', '时段', '时间段', 'time', 'period'],
  // Optional: 普通/成人 (regular/adult); an empty cell or no column means any category.
  category: ['教育类别', '类别', 'category', 'education category'],
};

function columnsOf(headers: readonly string[]): Partial<Record<SlotField, number>> {
  const found: Partial<Record<SlotField, number>> = {};
  headers.forEach((h, i) => {
    const key = clean(h).toLowerCase();
    for (const [field, aliases] of Object.entries(headerAliases) as Array<[SlotField, readonly string[]]>) {
      if (found[field] === undefined && aliases.includes(key)) found[field] = i;
    }
  });
  return found;
}

const sameSlot = (a: Omit<ShootSlot, 'id'>, b: Omit<ShootSlot, 'id'>) =>
  a.room === b.room && a.department === b.department && a.className === b.className && a.date === b.date && a.start === b.start && a.end === b.end &&
  (a.category ?? null) === (b.category ?? null);

const slotText = (s: Omit<ShootSlot, 'id'>) => `${s.date} ${s.start}-${s.end}`;

export function planSlotImport(
  headers: readonly string[],
  rows: ReadonlyArray<{ row: number; cells: readonly string[] }>,
  existing: readonly ShootSlot[],
): SlotImportPlan {
  const errors: SlotRowError[] = [];
  const error = (row: number, column: string | null, code: ScheduleCode | RosterCode, params: Record<string, string | number> = {}) =>
    errors.push({ row, column, code, message: bilingual(code, params) });

  const col = columnsOf(headers);
  const timesGiven = (col.start !== undefined && col.end !== undefined) || col.period !== undefined;
  const missing: string[] = [];
  if (col.room === undefined) missing.push('地点/room');
  if (col.department === undefined && col.className === undefined) missing.push('院系/department | 班级/class');
  if (col.date === undefined) missing.push('日期/date');
  if (!timesGiven) missing.push('开始时间/start + 结束时间/end');
  for (const column of missing) error(1, null, 'schedule.missing_column', { column });
  if (missing.length > 0) return { toAdd: [], unchanged: 0, errors };
  if (rows.length === 0) {
    error(1, null, 'schedule.empty_file');
    return { toAdd: [], unchanged: 0, errors };
  }

  const header = (field: SlotField): string | null => {
    const i = col[field];
    return i === undefined ? null : (headers[i] ?? null);
  };
  const cell = (cells: readonly string[], field: SlotField): string => {
    const i = col[field];
    return i === undefined ? '' : (cells[i] ?? '');
  };

  const accepted: Array<{ row: number; slot: Omit<ShootSlot, 'id'> }> = [];
  let unchanged = 0;
  for (const { row, cells } of rows) {
    let start = cell(cells, 'start');
    let end = cell(cells, 'end');
    if (col.start === undefined || col.end === undefined) {
      [start = '', end = ''] = clean(cell(cells, 'period')).split(/[-–~～至]/);
    }
    const parsed = parseSlot({
      room: cell(cells, 'room'),
      department: cell(cells, 'department'),
      className: cell(cells, 'className'),
      date: cell(cells, 'date'),
      start,
      end,
      category: cell(cells, 'category'),
    });
    if (!parsed.ok) {
      for (const e of parsed.errors) error(row, header(fieldColumn(e, col)), e.code, e.params);
      continue;
    }
    const slot = parsed.value;
    if (existing.some((s) => sameSlot(s, slot))) {
      unchanged++;
      continue;
    }
    const twin = accepted.find((a) => sameSlot(a.slot, slot));
    if (twin) {
      error(row, null, 'schedule.duplicate_row', { row: twin.row });
      continue;
    }
    const clash = accepted.find((a) => slotsOverlap(a.slot, slot))?.slot ?? existing.find((s) => slotsOverlap(s, slot));
    if (clash) {
      error(row, header(col.start !== undefined ? 'start' : 'period'), 'schedule.room_overlap', { other: slotText(clash) });
      continue;
    }
    accepted.push({ row, slot });
  }
  return { toAdd: errors.length > 0 ? [] : accepted, unchanged, errors };
}

/** Which column a field error points at; start/end read from a combined period column point there. */
function fieldColumn(e: FieldError, col: Partial<Record<SlotField, number>>): SlotField {
  const field = e.field as SlotField;
  if ((field === 'start' || field === 'end') && col[field] === undefined) return 'period';
  if (field === 'department' && col.department === undefined) return 'className';
  return field;
}
