/**
 * The schedule import's view of a spreadsheet: header + rows of trimmed text, with the file's own
 * row numbers so that error reports point where staff will look. The bytes are read by the same
 * reader as rosters (index.ts beside it), so both imports accept the same encodings and CSV dialects.
 */
import { extname } from 'node:path';
import type { RawCell } from '../../domain/roster/values.ts';
import { readFile, stat } from 'node:fs/promises';
import { EncodingRefused, type TextEncodingName } from './csv.ts';
import { FileUnreadable, readIsolated } from './isolated-read.ts';
import { FileRefused, readLimits, type FileRefusalCode } from './limits.ts';

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
  constructor(
    readonly code: 'schedule.unsupported_file' | 'schedule.file_unreadable' | FileRefusalCode | EncodingRefused['code'],
    readonly reason: string,
    readonly params: Record<string, string | number> = {},
    /** for an encoding refusal: the lines that look broken */
    readonly rows: number[] = [],
  ) {
    super(reason);
  }
}

export async function readTable(file: string, encoding?: TextEncodingName): Promise<Table> {
  const limits = readLimits();
  tableKind(file);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    throw new TableFileError('schedule.file_unreadable', err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : String(err));
  }
  if (size > limits.maxFileBytes) throw new TableFileError('roster.file.too_large', 'roster.file.too_large', { max: limits.maxFileBytes });
  return readTableBytes(file, await readFile(file), encoding);
}

function tableKind(name: string): 'csv' | 'xlsx' {
  const ext = extname(name).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx') throw new TableFileError('schedule.unsupported_file', ext || name);
  return ext === '.csv' ? 'csv' : 'xlsx';
}

/** The same from bytes already in memory (an upload), its kind told by `name`'s extension. */
export async function readTableBytes(name: string, bytes: Buffer, encoding?: TextEncodingName): Promise<Table> {
  const kind = tableKind(name);
  const limits = readLimits();
  let rows: TableRow[];
  try {
    if (bytes.length > limits.maxFileBytes) throw new FileRefused('roster.file.too_large', { max: limits.maxFileBytes });
    // The same isolated reader as roster uploads: a hostile schedule costs a worker, not the room.
    rows = (await readIsolated({ mode: 'table', bytes, kind, limits, encoding })).rows;
  } catch (err) {
    if (err instanceof FileRefused) throw new TableFileError(err.code, err.code, err.params);
    if (err instanceof EncodingRefused) {
      throw new TableFileError(err.code, err.rows.join(', '), { encoding: err.encoding ?? 'utf-8 / gb18030', count: err.count }, err.rows);
    }
    const reason = err instanceof FileUnreadable ? err.message
      : err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : err instanceof Error ? err.message : String(err);
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
