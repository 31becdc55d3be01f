/**
 * Plans an import of make-up windows (补采时间) from spreadsheet rows, the way the slot import does
 * (schedule-import.ts): Chinese or English headers, every row checked with the same rules as one
 * window typed by hand (parseMakeupWindow: dates, weekdays, hours, room, education category), rows
 * checked against each other and against the windows already stored. Pure; all or nothing.
 */
import { bilingual } from './messages/index.ts';
import { clean, parseMakeupWindow, type FieldError } from './schedule-input.ts';
import type { MakeupWindow } from './schedule.ts';
import type { SlotRowError } from './schedule-import.ts';
import type { ScheduleCode } from './messages/schedule.ts';
import type { RosterCode } from './messages/roster.ts';

export interface MakeupWindowImportPlan {
  toAdd: Array<{ row: number; window: Omit<MakeupWindow, 'id'> }>;
  unchanged: number;
  errors: SlotRowError[];
}

type WindowField = 'startDate' | 'endDate' | 'dates' | 'weekdays' | 'periods' | 'room' | 'category';

/** Accepted header texts per field, compared after NFKC and lower-casing. */
const headerAliases: Record<WindowField, readonly string[]> = {
  startDate: ['开始日期', '起始日期', '补采开始日期', 'from', 'start date', 'startdate', 'first date'],
  endDate: ['结束日期', '截止日期', '补采结束日期', 'to', 'end date', 'enddate', 'last date'],
  // One column "2026-04-11~2026-04-21" instead of two.
  dates: ['日期', '补采日期', '日期范围', 'dates', 'date range'],
  // Optional: ISO weekdays (1-5); empty: Monday to Friday.
  weekdays: ['星期', '工作日', 'weekdays', 'days'],
  // Optional: 08:30-11:30,14:30-17:30; empty: those two periods.
  periods: ['时段', '时间', '时间段', '补采时段', 'hours', 'periods', 'time'],
  room: ['地点', '采集地点', '拍摄地点', '补采地点', 'room', 'location'],
  // Optional: 普通/成人 (regular/adult); empty: any category.
  category: ['教育类别', '类别', 'category', 'education category'],
};

function columnsOf(headers: readonly string[]): Partial<Record<WindowField, number>> {
  const found: Partial<Record<WindowField, number>> = {};
  headers.forEach((h, i) => {
    const key = clean(h).toLowerCase();
    for (const [field, aliases] of Object.entries(headerAliases) as Array<[WindowField, readonly string[]]>) {
      if (found[field] === undefined && aliases.includes(key)) found[field] = i;
    }
  });
  return found;
}

const sameWindow = (a: Omit<MakeupWindow, 'id'>, b: Omit<MakeupWindow, 'id'>) =>
  a.startDate === b.startDate && a.endDate === b.endDate && a.weekdays.join(',') === b.weekdays.join(',') &&
  a.periods.map((p) => `${p.start}-${p.end}`).join(',') === b.periods.map((p) => `${p.start}-${p.end}`).join(',') &&
  (a.room ?? null) === (b.room ?? null) && (a.category ?? null) === (b.category ?? null);

export function planMakeupWindowImport(
  headers: readonly string[],
  rows: ReadonlyArray<{ row: number; cells: readonly string[] }>,
  existing: readonly MakeupWindow[],
): MakeupWindowImportPlan {
  const errors: SlotRowError[] = [];
  const error = (row: number, column: string | null, code: ScheduleCode | RosterCode, params: Record<string, string | number> = {}) =>
    errors.push({ row, column, code, message: bilingual(code, params) });

  const col = columnsOf(headers);
  if (col.startDate === undefined && col.dates === undefined) {
    error(1, null, 'schedule.missing_column', { column: '开始日期/from | 日期/dates' });
    return { toAdd: [], unchanged: 0, errors };
  }
  if (rows.length === 0) {
    error(1, null, 'schedule.empty_file');
    return { toAdd: [], unchanged: 0, errors };
  }
  const header = (field: WindowField): string | null => {
    const i = col[field];
    return i === undefined ? null : (headers[i] ?? null);
  };
  const cell = (cells: readonly string[], field: WindowField): string => {
    const i = col[field];
    return i === undefined ? '' : (cells[i] ?? '');
  };

  const accepted: Array<{ row: number; window: Omit<MakeupWindow, 'id'> }> = [];
  let unchanged = 0;
  for (const { row, cells } of rows) {
    let startDate = cell(cells, 'startDate');
    let endDate = cell(cells, 'endDate');
    if (col.startDate === undefined) {
      // Dates are written with '-', so the range is split at a tilde, 至 or "to" only.
      [startDate = '', endDate = ''] = clean(cell(cells, 'dates')).split(/\s*(?:[~～至]|\bto\b)\s*/);
    }
    const parsed = parseMakeupWindow({
      startDate, endDate,
      weekdays: cell(cells, 'weekdays'),
      periods: cell(cells, 'periods'),
      room: cell(cells, 'room'),
      category: cell(cells, 'category'),
    });
    if (!parsed.ok) {
      for (const e of parsed.errors) error(row, header(fieldColumn(e, col)), e.code, e.params);
      continue;
    }
    const window = parsed.value;
    if (existing.some((w) => sameWindow(w, window))) {
      unchanged++;
      continue;
    }
    const twin = accepted.find((a) => sameWindow(a.window, window));
    if (twin) {
      error(row, null, 'schedule.duplicate_row', { row: twin.row });
      continue;
    }
    accepted.push({ row, window });
  }
  return { toAdd: errors.length > 0 ? [] : accepted, unchanged, errors };
}

/** Which column a field error points at; dates read from one combined column point there. */
function fieldColumn(e: FieldError, col: Partial<Record<WindowField, number>>): WindowField {
  const field = e.field as WindowField;
  if ((field === 'startDate' || field === 'endDate') && col[field] === undefined) return col.dates !== undefined ? 'dates' : 'startDate';
  return field;
}
