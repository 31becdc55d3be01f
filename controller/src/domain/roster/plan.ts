/**
 * RosterImport: what importing a roster file would do to the students already loaded. Built row by
 * row (readers stream), then compared with the store's index; all-or-nothing is decided here: a plan
 * with any error must not be applied.
 */
import { hash } from 'node:crypto';
import { bilingual } from '../messages/index.ts';
import { mapHeader, type HeaderMap } from './columns.ts';
import { maskIdNumber } from './id-number.ts';
import { checkRow, type RosterRecord, type RowKeys, type RowProblem } from './row.ts';
import type { RawCell } from './values.ts';
import type { RosterCode } from '../messages/roster.ts';
import type { RowError } from '../row-error.ts';

/** A reported problem: `row` as Excel numbers it (header = 1; 1 for header problems), `column` the header text. */
/** A roster row problem: the column is the file's header text, '' for the whole file. */
export type RosterError = RowError<RosterCode> & { column: string };

/** A valid row with the hash of its normalised fields (compared on re-import). */
export interface RosterEntry {
  row: number;
  record: RosterRecord;
  rowHash: string;
}

/** What the store already holds about a student, enough to diff and to find conflicts. */
export interface ExistingStudent {
  idNumber: string;
  studentNumber: string;
  collectionCode: string | null;
  rowHash: string;
}

export interface RosterImport {
  add: RosterEntry[];
  update: RosterEntry[];
  unchanged: number;
  errors: RosterError[];
  /** Problems found beyond the first `maxProblems`, counted but not listed (absent: none). */
  errorsOmitted?: number;
}

/** A builder's whole state as plain data: a worker reads the file, the store's thread applies it. */
export interface RosterBuilderSnapshot {
  today: string;
  maxProblems: number;
  header: HeaderMap | null;
  problems: RowProblem[];
  problemCount: number;
  entries: RosterEntry[];
  keyed: Array<{ row: number; keys: RowKeys }>;
  rows: number;
  headerIncomplete: boolean;
  preamble: number;
  firstCandidate: { row: number; map: HeaderMap } | null;
}

/** Hash of every stored field in a fixed order, so that any change in the file shows as an update. */
export function rosterRowHash(r: RosterRecord): string {
  const fields = [r.idNumber, r.name, r.gender, r.birthDate, r.schoolCode, r.educationLevel, r.major, r.department,
    r.className, r.studentNumber, r.collectionCode ?? '', r.educationCategory, r.qualificationPassed ? '1' : '0'];
  return hash('sha256', fields.join('\u001f'), 'hex').slice(0, 32);
}

function worded(p: RowProblem): RosterError {
  return { row: p.row, column: p.column, code: p.code, message: bilingual(p.code, { column: p.column, ...p.params }) };
}

/** A row naming at least this many known columns is the header; rows above it are titles. */
const MIN_HEADER_COLUMNS = 3;
const MAX_PREAMBLE_ROWS = 5;

const KEY_FIELDS = ['idNumber', 'studentNumber', 'collectionCode'] as const;
const DUPLICATE_CODE = {
  idNumber: 'roster.duplicate.id_number',
  studentNumber: 'roster.duplicate.student_number',
  collectionCode: 'roster.duplicate.collection_code',
} as const;

function isBlank(cells: readonly RawCell[]): boolean {
  for (const c of cells) if (c !== null && c !== undefined && !(typeof c === 'string' && c.trim() === '')) return false;
  return true;
}

export class RosterImportBuilder {
  private header: HeaderMap | null = null;
  private problems: RowProblem[] = [];
  /** All problems found while reading, kept or not. */
  private problemCount = 0;
  private entries: RosterEntry[] = [];
  private keyed: Array<{ row: number; keys: RowKeys }> = [];
  private rows = 0;
  private headerIncomplete = false;
  private preamble = 0;
  private firstCandidate: { row: number; map: HeaderMap } | null = null;

  /**
   * `today` is YYYY-MM-DD in the school's time zone. `onEntry` sees each valid row as it is read,
   * so a writer can start on rows while the rest of the file is still being parsed.
   */
  constructor(
    private readonly today: string,
    private readonly onEntry?: (entry: RosterEntry) => void,
    /** Problems listed in the report; a hostile file's millionth bad row is only counted. */
    private readonly maxProblems = Number.POSITIVE_INFINITY,
  ) {}

  /** True once any problem has been found: the plan will be rejected whatever follows. */
  get hasProblems(): boolean {
    return this.problemCount > 0;
  }

  private addProblem(p: RowProblem): void {
    this.problemCount++;
    if (this.problems.length < this.maxProblems) this.problems.push(p);
  }

  toSnapshot(): RosterBuilderSnapshot {
    return {
      today: this.today, maxProblems: this.maxProblems, header: this.header, problems: this.problems, problemCount: this.problemCount,
      entries: this.entries, keyed: this.keyed, rows: this.rows, headerIncomplete: this.headerIncomplete, preamble: this.preamble,
      firstCandidate: this.firstCandidate,
    };
  }

  static fromSnapshot(s: RosterBuilderSnapshot): RosterImportBuilder {
    const b = new RosterImportBuilder(s.today, undefined, s.maxProblems);
    b.header = s.header;
    b.problems = s.problems;
    b.problemCount = s.problemCount;
    b.entries = s.entries;
    b.keyed = s.keyed;
    b.rows = s.rows;
    b.headerIncomplete = s.headerIncomplete;
    b.preamble = s.preamble;
    b.firstCandidate = s.firstCandidate;
    return b;
  }

  private acceptHeader(candidate: { row: number; map: HeaderMap }): void {
    this.header = candidate.map;
    for (const h of this.header.problems) this.addProblem({ row: candidate.row, field: null, column: h.column, code: h.code });
    this.headerIncomplete = this.header.problems.some((p) => p.code === 'roster.header.missing');
  }

  /** Adds a problem for each repeated key; returns the ID numbers in the file with their first row. */
  private findDuplicates(problems: RowProblem[]): Map<string, number> {
    const firstRow = { idNumber: new Map<string, number>(), studentNumber: new Map<string, number>(), collectionCode: new Map<string, number>() };
    const label = this.header!.label;
    for (const { row, keys } of this.keyed) {
      for (const key of KEY_FIELDS) {
        const value = keys[key];
        if (value === null) continue;
        const first = firstRow[key].get(value);
        if (first === undefined) firstRow[key].set(value, row);
        else problems.push({ row, field: key, column: label[key], code: DUPLICATE_CODE[key], params: { first } });
      }
    }
    return firstRow.idNumber;
  }

  /** Feeds the sheet's rows in order, the header row first; blank rows are skipped. */
  addRow(rowNumber: number, cells: readonly RawCell[]): void {
    if (isBlank(cells)) return;
    if (!this.header) {
      const candidate = { row: rowNumber, map: mapHeader(Array.from(cells, (c) => (c == null ? '' : String(c)))) };
      this.firstCandidate ??= candidate;
      // Provincial templates often put a title row (e.g. "2026届毕业生资格审查名单") above the header.
      const known = Object.keys(candidate.map.indexOf).length;
      if (known < MIN_HEADER_COLUMNS && ++this.preamble <= MAX_PREAMBLE_ROWS) return;
      this.acceptHeader(known < MIN_HEADER_COLUMNS ? this.firstCandidate : candidate);
      return;
    }
    // Without the columns, every row would repeat the header's problem.
    if (this.headerIncomplete) return;
    this.rows++;
    const result = checkRow(cells, rowNumber, this.header, this.today);
    // Duplicates are found in finish(): big Maps filled while the parser allocates cost far more
    // (every young key lands in an old-space table the collector must rescan) than one pass at the end.
    this.keyed.push({ row: rowNumber, keys: result.keys });
    if (result.ok) {
      const entry = { row: rowNumber, record: result.record, rowHash: rosterRowHash(result.record) };
      this.entries.push(entry);
      this.onEntry?.(entry);
    }
    else for (const p of result.problems) this.addProblem(p);
  }

  /**
   * Compares the file with the store and returns the plan. May be called again (e.g. inside the
   * write transaction, against a fresh read of the store): the builder itself is not changed.
   */
  finish(existing: Iterable<ExistingStudent>): RosterImport {
    // A short file of title rows only: its first row is reported as the (unrecognised) header.
    if (!this.header && this.firstCandidate) this.acceptHeader(this.firstCandidate);
    if (!this.header) {
      return { add: [], update: [], unchanged: 0, errors: [worded({ row: 1, field: null, column: '', code: 'roster.file.empty' })] };
    }
    const problems = [...this.problems];
    const inFile = this.findDuplicates(problems);
    if (this.rows === 0 && this.header.problems.length === 0) {
      problems.push({ row: 2, field: null, column: '', code: 'roster.file.no_rows' });
    }
    const byId = new Map<string, ExistingStudent>();
    const byStudentNumber = new Map<string, ExistingStudent>();
    const byCode = new Map<string, ExistingStudent>();
    for (const s of existing) {
      byId.set(s.idNumber, s);
      byStudentNumber.set(s.studentNumber, s);
      if (s.collectionCode !== null) byCode.set(s.collectionCode, s);
    }
    const add: RosterEntry[] = [];
    const update: RosterEntry[] = [];
    let unchanged = 0;
    for (const e of this.entries) {
      // A value held by someone the file also lists is checked by the in-file duplicate rule instead:
      // the file's value for that student replaces the stored one in the same transaction.
      const holder = byStudentNumber.get(e.record.studentNumber);
      if (holder && holder.idNumber !== e.record.idNumber && !inFile.has(holder.idNumber)) {
        problems.push({ row: e.row, field: 'studentNumber', column: this.header.label.studentNumber,
          code: 'roster.conflict.student_number', params: { other: maskIdNumber(holder.idNumber) } });
      }
      const codeHolder = e.record.collectionCode === null ? undefined : byCode.get(e.record.collectionCode);
      if (codeHolder && codeHolder.idNumber !== e.record.idNumber && !inFile.has(codeHolder.idNumber)) {
        problems.push({ row: e.row, field: 'collectionCode', column: this.header.label.collectionCode,
          code: 'roster.conflict.collection_code', params: { other: maskIdNumber(codeHolder.idNumber) } });
      }
      const current = byId.get(e.record.idNumber);
      if (!current) add.push(e);
      else if (current.rowHash !== e.rowHash) update.push(e);
      else unchanged++;
    }
    const overflow = this.problemCount - this.problems.length;
    const sorted = problems.map((p, i) => ({ p, i })).sort((a, b) => a.p.row - b.p.row || a.i - b.i);
    const errors = sorted.slice(0, this.maxProblems).map(({ p }) => worded(p));
    const omitted = overflow + sorted.length - errors.length;
    if (errors.length > 0) return { add: [], update: [], unchanged: 0, errors, ...(omitted > 0 ? { errorsOmitted: omitted } : {}) };
    return { add, update, unchanged, errors };
  }
}

/** The whole plan from rows already in memory (tests, small files). */
export function planRosterImport(rows: Iterable<readonly RawCell[]>, existing: Iterable<ExistingStudent>, today: string): RosterImport {
  const builder = new RosterImportBuilder(today);
  let n = 1;
  for (const cells of rows) builder.addRow(n++, cells);
  return builder.finish(existing);
}
