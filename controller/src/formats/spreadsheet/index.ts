/** Reads a roster file (XLSX or CSV, by extension) row by row into the domain's cell values. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { RawCell } from '../../domain/roster/values.ts';
import { decodeCsvBytes, parseCsv, type TextEncodingName } from './csv.ts';
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

/** Feeds every row to `onRow`; throws on a file that cannot be read or parsed at all. */
export async function readRosterFile(
  file: string,
  kind: RosterFileKind,
  onRow: (row: number, cells: RawCell[]) => void,
  onBytes?: (bytesRead: number) => void,
): Promise<ReadReport> {
  if (kind === 'xlsx') {
    await readXlsxRows(file, onRow, onBytes);
    return { kind };
  }
  const bytes = await readFile(file);
  onBytes?.(bytes.length);
  const { text, encoding } = decodeCsvBytes(bytes);
  parseCsv(text).forEach((cells, i) => onRow(i + 1, cells));
  return { kind, encoding };
}
