/**
 * The schedule import's view of a spreadsheet: header + rows of trimmed text, with the file's own
 * row numbers so that error reports point where staff will look. The bytes are read by the same
 * reader as rosters (index.ts beside it), so both imports accept the same encodings and CSV dialects.
 */
import { extname } from 'node:path';
import type { RawCell } from '../../domain/roster/values.ts';
import { readRosterFile } from './index.ts';

export interface TableRow {
  /** 1-based row number in the file (the header is row 1 when it is the first line). */
  row: number;
  cells: string[];
}

export interface Table {
  headers: string[];
  rows: TableRow[];
}

export class TableFileError extends Error {
  constructor(readonly code: 'schedule.unsupported_file' | 'schedule.file_unreadable', readonly reason: string) {
    super(reason);
  }
}

export async function readTable(file: string): Promise<Table> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx') throw new TableFileError('schedule.unsupported_file', ext || file);
  const rows: TableRow[] = [];
  try {
    await readRosterFile(file, ext === '.csv' ? 'csv' : 'xlsx', (row, raw) => {
      const cells = Array.from(raw, (c) => cellText(c).trim());
      if (cells.some((c) => c !== '')) rows.push({ row, cells });
    });
  } catch (err) {
    const reason = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : err instanceof Error ? err.message : String(err);
    throw new TableFileError('schedule.file_unreadable', reason);
  }
  const [header, ...body] = rows;
  return { headers: header?.cells ?? [], rows: body };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Excel keeps dates and times as serial numbers that exceljs hands over as UTC Dates of the
 * wall-clock value; a time-only cell sits on 1899-12-30.
 */
export function cellText(value: RawCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}`;
    if (date === '1899-12-30') return time;
    return time === '00:00' ? date : `${date} ${time}`;
  }
  return String(value);
}
