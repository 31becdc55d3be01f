/** One roster row: normalised, checked field by field, and cross-checked against its ID number. */
import type { Student } from '../student.ts';
import { ROSTER_COLUMNS, type HeaderMap, type RosterField } from './columns.ts';
import { checkIdNumber } from './id-number.ts';
import { cellText, parseCategory, parseDate, parseGender, parseQualification, type RawCell } from './values.ts';

/** A student as the roster file describes them, before the store gives them an id. */
export type RosterRecord = Omit<Student, 'id'>;

/** A problem found in the file, before it is worded for people. */
export interface RowProblem {
  row: number;
  field: RosterField | null;
  column: string;
  code: string;
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

/**
 * Checks one data row. `row` is the spreadsheet row number as Excel shows it (header = 1);
 * `today` is YYYY-MM-DD in the school's time zone.
 */
export function checkRow(cells: readonly RawCell[], row: number, header: HeaderMap, today: string): RowResult {
  const problems: RowProblem[] = [];
  const raw = (f: RosterField): RawCell => {
    const i = header.indexOf[f];
    return i === undefined ? null : (cells[i] ?? null);
  };
  const problem = (field: RosterField, code: string, params?: Record<string, string | number>): void => {
    problems.push({ row, field, column: header.label[field], code, ...(params ? { params } : {}) });
  };

  const text = {} as Record<RosterField, string>;
  for (const c of ROSTER_COLUMNS) {
    const value = cellText(raw(c.field));
    text[c.field] = value;
    if (value === '') {
      if (c.required) problem(c.field, 'roster.field.required');
    } else if (value.length > c.maxLength) {
      problem(c.field, 'roster.field.too_long', { max: c.maxLength });
    } else if (HOSTILE.test(value)) {
      problem(c.field, 'roster.field.invalid_characters');
    }
  }
  const bad = new Set(problems.map((p) => p.field));

  let idNumber = '';
  let idBirth: string | null = null;
  let idGender: 'M' | 'F' | null = null;
  const idCell = raw('idNumber');
  if (bad.has('idNumber')) {
    // already reported
  } else if (typeof idCell === 'number' && !Number.isSafeInteger(idCell)) {
    // Excel keeps 15 significant digits: an 18-digit number typed into a number cell has lost its tail.
    problem('idNumber', 'roster.id.numeric_cell');
  } else {
    const check = checkIdNumber(text.idNumber.replace(/ /g, ''), today);
    if (check.ok) {
      ({ idNumber, birthDate: idBirth, gender: idGender } = check);
    } else {
      problem('idNumber', check.code, check.expectedCheck ? { expected: check.expectedCheck } : undefined);
    }
  }

  const gender = bad.has('gender') ? null : parseGender(raw('gender'));
  if (!bad.has('gender')) {
    if (gender === null) problem('gender', 'roster.gender.invalid', { value: text.gender });
    else if (idGender !== null && gender !== idGender) problem('gender', 'roster.gender.mismatch');
  }

  const birthDate = bad.has('birthDate') ? null : parseDate(raw('birthDate'));
  if (!bad.has('birthDate')) {
    if (birthDate === null) problem('birthDate', 'roster.birth_date.invalid', { value: text.birthDate });
    else if (idBirth !== null && birthDate !== idBirth) problem('birthDate', 'roster.birth_date.mismatch', { expected: idBirth });
  }

  if (!bad.has('schoolCode') && !SCHOOL_CODE.test(text.schoolCode)) problem('schoolCode', 'roster.school_code.invalid');

  const category = bad.has('educationCategory') ? null : parseCategory(raw('educationCategory'));
  if (!bad.has('educationCategory') && category === null) problem('educationCategory', 'roster.category.invalid', { value: text.educationCategory });

  const qualification = bad.has('qualificationPassed') ? null : parseQualification(raw('qualificationPassed'));
  if (!bad.has('qualificationPassed') && qualification === null) {
    problem('qualificationPassed', 'roster.qualification.invalid', { value: text.qualificationPassed });
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
