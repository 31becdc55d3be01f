/** XLSX rosters through exceljs' streaming reader: a 20,000-row sheet never sits in memory as a workbook. */
import { createReadStream } from 'node:fs';
import type { RawCell } from '../../domain/roster/values.ts';

/** Options shared with the benchmark's baseline parse, so both read the file the same way. */
export const XLSX_READER_OPTIONS = {
  sharedStrings: 'cache',
  hyperlinks: 'ignore',
  styles: 'cache', // date cells are only recognisable through their number format
  worksheets: 'emit',
  entries: 'emit',
} as const;

/** Reduces exceljs cell values (rich text, formulas, hyperlinks) to what the roster rules read. */
export function toRawCell(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return toRawCell(v.result);
    if (typeof v.text === 'string') return v.text;
    if (v.error !== undefined) return String(v.error);
  }
  return String(value);
}

/**
 * Calls `onRow` for every row of the first worksheet, with the row number Excel shows and the cells
 * from column A. `onBytes` reports how much of the file has been read, for progress.
 */
export async function readXlsxRows(
  file: string,
  onRow: (row: number, cells: RawCell[]) => void,
  onBytes?: (bytesRead: number) => void,
): Promise<void> {
  // Loaded on demand: exceljs takes about a second to import, which every `rig` start would pay.
  const { default: ExcelJS } = await import('exceljs');
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes) input.on('data', () => onBytes(input.bytesRead));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, XLSX_READER_OPTIONS);
  let first = true;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      if (!first) continue; // later sheets are drained, not read: the roster is the first sheet
      // row.values is a fresh 1-based array (index 0 unused), sparse where cells are empty: it is
      // converted in place rather than copied, one allocation less per row.
      const values = row.values as unknown[];
      values.shift();
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (typeof v === 'object' && v !== null && !(v instanceof Date)) values[i] = toRawCell(v);
      }
      onRow(row.number, values as RawCell[]);
    }
    first = false;
  }
}
