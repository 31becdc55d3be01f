/**
 * Reads a roster or schedule file (XLSX or CSV, by extension) row by row into the domain's cell
 * values, inside the limits of limits.ts: the first broken limit stops the read with FileRefused.
 * Untrusted files (uploads) are read in a worker (isolated-read.ts); this module is what runs there.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { RawCell } from '../../domain/roster/values.ts';
import { csvRows, decodeCsvBytes, type TextEncodingName } from './csv.ts';
import { DEFAULT_READ_LIMITS, FileRefused, type ReadLimits } from './limits.ts';
import { readXlsxRows } from './xlsx.ts';

export type RosterFileKind = 'xlsx' | 'csv';

export function rosterFileKind(file: string): RosterFileKind | null {
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  return null;
}

export interface ReadReport {
  kind: RosterFileKind;
  /** For CSV: the encoding found. */
  encoding?: TextEncodingName;
}

export interface ReadOptions {
  limits?: ReadLimits;
  /** CSV only: the encoding the user says the file is in (else it is decided from the bytes) */
  encoding?: TextEncodingName;
  onBytes?: (bytesRead: number) => void;
}

/**
 * Wraps `onRow` with the row, column and cell-length limits. Rows are counted as well as numbered:
 * a sheet may repeat a row number or leave it out (then it is the previous one plus one).
 */
function limited(limits: ReadLimits, onRow: (row: number, cells: RawCell[]) => void) {
  let seen = 0;
  let last = 0;
  return (n: number, cells: RawCell[]): void => {
    const row = Number.isInteger(n) && n > 0 ? n : last + 1;
    last = row;
    if (row > limits.maxRows || ++seen > limits.maxRows) throw new FileRefused('roster.file.too_many_rows', { row, max: limits.maxRows });
    if (cells.length > limits.maxColumns) throw new FileRefused('roster.file.too_many_columns', { row, max: limits.maxColumns });
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (typeof c === 'string' && c.length > limits.maxCellChars) {
        throw new FileRefused('roster.file.cell_too_long', { row, column: i + 1, max: limits.maxCellChars });
      }
    }
    onRow(row, cells);
  };
}

/** Feeds every row of the file's bytes to `onRow`; throws on a file that cannot be read at all. */
export async function readRosterBytes(
  bytes: Buffer,
  kind: RosterFileKind,
  onRow: (row: number, cells: RawCell[]) => void,
  options: ReadOptions = {},
): Promise<ReadReport> {
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  if (bytes.length > limits.maxFileBytes) throw new FileRefused('roster.file.too_large', { max: limits.maxFileBytes });
  const each = limited(limits, onRow);
  if (kind === 'xlsx') {
    await readXlsxRows(bytes, limits, each, options.onBytes);
    return { kind };
  }
  options.onBytes?.(bytes.length);
  const { text, encoding } = decodeCsvBytes(bytes, options.encoding);
  let n = 0;
  for (const cells of csvRows(text)) each(++n, cells);
  return { kind, encoding };
}

/** The same from a file on disk, refusing one larger than the limit before reading it. */
export async function readRosterFile(
  file: string,
  kind: RosterFileKind,
  onRow: (row: number, cells: RawCell[]) => void,
  options: ReadOptions = {},
): Promise<ReadReport> {
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  if ((await stat(file)).size > limits.maxFileBytes) throw new FileRefused('roster.file.too_large', { max: limits.maxFileBytes });
  return readRosterBytes(await readFile(file), kind, onRow, options);
}
