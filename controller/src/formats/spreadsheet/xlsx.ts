/**
 * XLSX rosters through exceljs' streaming sheet reader, fed by our own ZIP reader (zip.ts): the
 * archive is checked before anything is inflated, every part is counted while it inflates, and the
 * parts are read in the order the sheet needs them (relationships, workbook, styles, shared strings,
 * then the first sheet), so exceljs never has to park a sheet in a temp file. Every part reaches
 * exceljs as text decoded by one streaming decoder per part: exceljs decodes each byte chunk on its
 * own, which garbles a multi-byte character split between two chunks.
 */
import type { Readable } from 'node:stream';
import type { RawCell } from '../../domain/roster/values.ts';
import type { ReadLimits } from './limits.ts';
import { openZipText, readZipDirectory, ZipFormatError, type ZipEntry } from './zip.ts';

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

/** The parts of exceljs' WorkbookReader that read one part each (JavaScript methods its types omit). */
interface ReaderParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: SheetRows }>;
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ rId: string }> };
  sharedStrings?: unknown[];
}

interface SheetRows {
  [Symbol.asyncIterator](): AsyncIterator<{ number: number; values: unknown }>;
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/** The worksheet the workbook lists first (what Excel opens on), else the lowest-numbered one. */
function firstSheet(parts: ReaderParts, byName: Map<string, ZipEntry>): { entry: ZipEntry; no: string } | null {
  const rId = parts.model?.sheets?.[0]?.rId;
  const target = parts.workbookRels?.find((r) => r.Id === rId)?.Target;
  if (target) {
    const name = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    const m = SHEET.exec(name);
    const entry = byName.get(name);
    if (m && entry) return { entry, no: m[1]! };
  }
  let best: { entry: ZipEntry; no: string } | null = null;
  for (const [name, entry] of byName) {
    const m = SHEET.exec(name);
    if (m && (best === null || Number(m[1]) < Number(best.no))) best = { entry, no: m[1]! };
  }
  return best;
}

/**
 * Calls `onRow` for every row of the first worksheet, with the row number Excel shows and the cells
 * from column A. `onBytes` reports how much of the file has been read, for progress. Throws
 * FileRefused at the first broken limit and ZipFormatError for a file that is no XLSX.
 */
export async function readXlsxRows(
  bytes: Buffer,
  limits: ReadLimits,
  onRow: (row: number, cells: RawCell[]) => void,
  onBytes?: (bytesRead: number) => void,
): Promise<void> {
  const entries = readZipDirectory(bytes, limits);
  const byName = new Map(entries.map((e) => [e.name, e]));
  // Loaded on demand: exceljs takes about a second to import, which every `rig` start would pay.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(null as unknown as string, XLSX_READER_OPTIONS);
  const parts = reader as unknown as ReaderParts;
  const spent = { bytes: 0 };
  const open = (name: string) => {
    const e = byName.get(name);
    return e ? openZipText(bytes, e, spent, limits) : null;
  };
  const rels = open('xl/_rels/workbook.xml.rels');
  if (rels) await parts._parseRels(rels);
  const workbook = open('xl/workbook.xml');
  if (workbook) await parts._parseWorkbook(workbook);
  const styles = open('xl/styles.xml');
  if (styles) await parts._parseStyles(styles);
  const strings = open('xl/sharedStrings.xml');
  if (strings) for await (const _ of parts._parseSharedStrings(strings)) { /* cached by exceljs */ }
  parts.sharedStrings ??= [];
  parts.workbookRels ??= [];
  const sheet = firstSheet(parts, byName);
  if (!sheet) throw new ZipFormatError('the workbook has no worksheet');
  const stream = openZipText(bytes, sheet.entry, spent, limits);
  if (onBytes) {
    const base = spent.bytes;
    stream.on('data', () => onBytes(Math.min(bytes.length, Math.round(((spent.bytes - base) / Math.max(1, sheet.entry.uncompressedSize)) * bytes.length))));
  }
  try {
    for (const { value: rows } of parts._parseWorksheet(stream, sheet.no)) {
      for await (const row of rows) {
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
    }
  } finally {
    stream.destroy();
  }
}
