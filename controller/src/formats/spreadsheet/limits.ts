/**
 * What an untrusted spreadsheet may cost before it is refused. Every limit is far above a real
 * school's roster or schedule (the largest seen: about 30,000 rows of 15 columns, a 4 MB XLSX) and far
 * below what would hurt the room: the kiosk runs in the same process.
 */
export interface ReadLimits {
  /** bytes of the file itself (the staff API's body limit is the same) */
  maxFileBytes: number;
  /** last row number of the sheet or CSV, blank rows included: a roster of a whole university fits */
  maxRows: number;
  /** cells in one row: the roster has 13 columns, schools add notes beside them */
  maxColumns: number;
  /** characters in one cell: the longest roster field is 100 */
  maxCellChars: number;
  /** bytes of XML inside an XLSX, all parts together (a 30,000-row roster is about 25 MB) */
  maxUncompressedBytes: number;
  /** expansion of one zip part over 1 MB: XML sheets compress 5-20 times, bombs by hundreds */
  maxCompressionRatio: number;
  /** parts in an XLSX: a workbook has a dozen */
  maxZipEntries: number;
  /** problems kept for the report; the rest are only counted */
  maxProblems: number;
  /** V8 old-space of the reading child process: the worst file kills that process, never the room */
  readerHeapMb: number;
}

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = {
  maxFileBytes: 32 * 1024 * 1024,
  maxRows: 200_000,
  maxColumns: 256,
  maxCellChars: 4096,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxZipEntries: 1000,
  maxProblems: 200,
  readerHeapMb: 256,
};

/** Reason codes of a file refused before (or while) its rows were read; texts in messages/roster.ts. */
export type FileRefusalCode =
  | 'roster.file.too_large'
  | 'roster.file.too_many_rows'
  | 'roster.file.too_many_columns'
  | 'roster.file.cell_too_long'
  | 'roster.file.zip_too_large'
  | 'roster.file.zip_ratio'
  | 'roster.file.zip_entries'
  | 'roster.file.out_of_memory'
  | 'roster.file.cancelled';

export const FILE_REFUSAL_CODES: ReadonlySet<string> = new Set<FileRefusalCode>([
  'roster.file.too_large', 'roster.file.too_many_rows', 'roster.file.too_many_columns', 'roster.file.cell_too_long',
  'roster.file.zip_too_large', 'roster.file.zip_ratio', 'roster.file.zip_entries', 'roster.file.out_of_memory',
  'roster.file.cancelled',
]);

/** A limit was reached: reading stops at once, nothing is imported. */
export class FileRefused extends Error {
  constructor(readonly code: FileRefusalCode, readonly params: Record<string, string | number> = {}) {
    super(`${code} ${JSON.stringify(params)}`);
  }
}

export function readLimits(overrides: Partial<ReadLimits> = {}): ReadLimits {
  return { ...DEFAULT_READ_LIMITS, ...overrides };
}
