/** One roster row: normalised, checked field by field, and cross-checked against its ID number. */
import type { Student } from '../student.ts';
import { ROSTER_COLUMNS, type HeaderMap, type RosterField } from './columns.ts';
import { checkIdNumber } from './id-number.ts';
import { cellText, isPlainText, parseCategory, parseDate, parseGender, parseQualification, type RawCell } from './values.ts';
import type { RosterCode } from '../messages/roster.ts';

/** A student as the roster file describes them, before the store gives them an id. */
export type RosterRecord = Omit<Student, 'id'>;

/** A problem found in the file, before it is worded for people. */
export interface RowProblem {
  row: number;
  field: RosterField | null;
  column: string;
  code: RosterCode;
  params?: Record<string, string | number>;
}

/** The row's identifying values, when readable: duplicates are reported even on otherwise bad rows. */
export interface RowKeys {
  idNumber: string | null;
  studentNumber: string | null;
  collectionCode: string | null;
}

export type RowResult =
  | { ok: true; record: RosterRecord; keys: RowKeys }
  | { ok: false; problems: RowProblem[]; keys: RowKeys };

// C0/C1 controls and bidi overrides have no place in a name or class, and can disguise text on screen.
const HOSTILE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SCHOOL_CODE = /^\d{5}$/;

const NONE_FAILED: ReadonlySet<RosterField> = new Set();

type Texts = Record<RosterField, string>;
type Raws = Record<RosterField, RawCell>;

function push(problems: RowProblem[], row: number, header: HeaderMap, field: RosterField, code: RosterCode,
  params?: Record<string, string | number>): void {
  const p: RowProblem = { row, field, column: header.label[field], code };
  if (params) p.params = params;
  problems.push(p);
}

/**
 * Checks one data row. `row` is the spreadsheet row number as Excel shows it (header = 1);
 * `today` is YYYY-MM-DD in the school's time zone.
 */
export function checkRow(cells: readonly RawCell[], row: number, header: HeaderMap, today: string): RowResult {
  const problems: RowProblem[] = [];
  const raw = {} as Raws;
  const text = {} as Texts;
  // Fields that already failed the generic checks are not parsed again: one message per cell.
  const failed: RosterField[] = [];
  for (const c of ROSTER_COLUMNS) {
    const i = header.indexOf[c.field];
    const cell = i === undefined ? null : (cells[i] ?? null);
    const plain = typeof cell === 'string' && isPlainText(cell);
    const value = plain ? cell : cellText(cell);
    raw[c.field] = cell;
    text[c.field] = value;
    let code: RosterCode | null = null;
    if (value === '') code = c.required ? 'roster.field.required' : null;
    else if (value.length > c.maxLength) code = 'roster.field.too_long';
    else if (!plain && HOSTILE.test(value)) code = 'roster.field.invalid_characters';
    if (code !== null) {
      failed.push(c.field);
      push(problems, row, header, c.field, code, code === 'roster.field.too_long' ? { max: c.maxLength } : undefined);
    }
  }

  // (No closures here: this runs 20,000 times per import and tsx wraps every function it creates.)
  const bad = failed.length === 0 ? NONE_FAILED : new Set(failed);

  let idNumber = '';
  let idBirth: string | null = null;
  let idGender: 'M' | 'F' | null = null;
  const idCell = raw.idNumber;
  if (bad.has('idNumber')) {
    // already reported
  } else if (typeof idCell === 'number' && !Number.isSafeInteger(idCell)) {
    // Excel keeps 15 significant digits: an 18-digit number typed into a number cell has lost its tail.
    push(problems, row, header, 'idNumber', 'roster.id.numeric_cell');
  } else {
    const check = checkIdNumber(text.idNumber.replace(/ /g, ''), today);
    if (check.ok) {
      idNumber = check.idNumber;
      idBirth = check.birthDate;
      idGender = check.gender;
    } else {
      push(problems, row, header, 'idNumber', check.code, check.expectedCheck ? { expected: check.expectedCheck } : undefined);
    }
  }

  let gender: 'M' | 'F' | null = null;
  if (!bad.has('gender')) {
    gender = parseGender(raw.gender, text.gender);
    if (gender === null) push(problems, row, header, 'gender', 'roster.gender.invalid', { value: text.gender });
    else if (idGender !== null && gender !== idGender) push(problems, row, header, 'gender', 'roster.gender.mismatch');
  }

  let birthDate: string | null = null;
  if (!bad.has('birthDate')) {
    birthDate = parseDate(raw.birthDate, text.birthDate);
    if (birthDate === null) push(problems, row, header, 'birthDate', 'roster.birth_date.invalid', { value: text.birthDate });
    else if (idBirth !== null && birthDate !== idBirth) {
      push(problems, row, header, 'birthDate', 'roster.birth_date.mismatch', { expected: idBirth });
    }
  }

  if (!bad.has('schoolCode') && !SCHOOL_CODE.test(text.schoolCode)) push(problems, row, header, 'schoolCode', 'roster.school_code.invalid');

  let category: 'regular' | 'adult' | null = null;
  if (!bad.has('educationCategory')) {
    category = parseCategory(raw.educationCategory, text.educationCategory);
    if (category === null) push(problems, row, header, 'educationCategory', 'roster.category.invalid', { value: text.educationCategory });
  }

  let qualification: boolean | null = null;
  if (!bad.has('qualificationPassed')) {
    qualification = parseQualification(raw.qualificationPassed, text.qualificationPassed);
    if (qualification === null) {
      push(problems, row, header, 'qualificationPassed', 'roster.qualification.invalid', { value: text.qualificationPassed });
    }
  }

  const keys: RowKeys = {
    idNumber: idNumber === '' ? null : idNumber,
    studentNumber: text.studentNumber === '' || bad.has('studentNumber') ? null : text.studentNumber,
    collectionCode: text.collectionCode === '' || bad.has('collectionCode') ? null : text.collectionCode,
  };
  if (problems.length > 0 || gender === null || birthDate === null || category === null || qualification === null) {
    return { ok: false, problems, keys };
  }
  return {
    ok: true,
    keys,
    record: {
      idNumber,
      name: text.name,
      gender,
      birthDate,
      schoolCode: text.schoolCode,
      educationLevel: text.educationLevel,
      major: text.major,
      department: text.department,
      className: text.className,
      studentNumber: text.studentNumber,
      collectionCode: text.collectionCode === '' ? null : text.collectionCode,
      educationCategory: category,
      qualificationPassed: qualification,
    },
  };
}
