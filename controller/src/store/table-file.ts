/**
 * Reads a spreadsheet the office hands us (XLSX, or CSV in UTF-8 or GB18030/GBK, as Excel in
 * China writes it) into header + rows of trimmed text, with the file's own row numbers so that
 * error reports point where staff will look.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type ExcelJS from 'exceljs';

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
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new TableFileError('schedule.file_unreadable', err instanceof Error && 'code' in err ? String(err.code) : String(err));
  }
  const lines = ext === '.csv' ? parseCsv(decodeText(bytes)) : await xlsxLines(bytes);
  const numbered = lines.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.trim()) }));
  const nonEmpty = numbered.filter((l) => l.cells.some((c) => c !== ''));
  const [header, ...rows] = nonEmpty;
  return { headers: header?.cells ?? [], rows };
}

/** UTF-8 when the bytes are valid UTF-8 (BOM dropped), otherwise GB18030, a superset of GBK. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const lines: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      lines.push(cells);
      cells = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    lines.push(cells);
  }
  return lines;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Excel keeps dates and times as serial numbers that exceljs hands over as UTC Dates of the
 * wall-clock value; a time-only cell sits on 1899-12-30.
 */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}`;
    if (date === '1899-12-30') return time;
    return time === '00:00' ? date : `${date} ${time}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value);
}

async function xlsxLines(bytes: Buffer): Promise<string[][]> {
  // Loaded on demand: exceljs takes about a second to import, which every `rig` start would pay.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    // exceljs declares its own Buffer interface that Node 20's typed Buffer does not match; the value is fine.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new TableFileError('schedule.file_unreadable', err instanceof Error ? err.message : String(err));
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const lines: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    lines[rowNumber - 1] = values.map((v) => cellText(v as ExcelJS.CellValue));
  });
  return Array.from(lines, (l) => l ?? []);
}
