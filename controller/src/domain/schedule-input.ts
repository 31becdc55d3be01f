/**
 * Turning what staff type or import (CLI flags, spreadsheet cells) into schedule values.
 * Text is NFKC-normalised first, so full-width digits and colons (１４：３０) read as usual.
 * Problems come back as values: one `{ field, code }` per bad field, all of them at once.
 */
import { isValidDate, isValidTime } from './local-time.ts';
import { checkIdNumber } from './roster/id-number.ts';
import type { RosterCode } from './messages/roster.ts';
import type { ScheduleCode } from './messages/schedule.ts';
import {
  defaultMakeupPeriods,
  defaultMakeupWeekdays,
  type MakeupCertificate,
  type MakeupWindow,
  type ShootSlot,
  type TimePeriod,
} from './schedule.ts';
import type { EducationCategory } from './student.ts';

export interface FieldError {
  field: string;
  code: ScheduleCode | RosterCode;
  params?: Record<string, string | number>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

type Raw = string | null | undefined;

export function clean(value: Raw): string {
  return (value ?? '').normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** YYYY-MM-DD, also YYYY/M/D and YYYY.M.D; null when not a real date. */
export function parseDate(value: Raw): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(clean(value));
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isValidDate(date) ? date : null;
}

/** HH:MM from H:MM or HH:MM (HH:MM:SS is cut to the minute); null when not a time. */
export function parseTime(value: Raw, allowMidnightEnd = false): string | null {
  const m = /^(\d{1,2})[:.](\d{2})(?::\d{2})?$/.exec(clean(value));
  if (!m) return null;
  const time = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  return isValidTime(time, allowMidnightEnd) ? time : null;
}

const categories: Record<string, EducationCategory> = { regular: 'regular', 普通: 'regular', adult: 'adult', 成人: 'adult' };

/** 教育类别 restriction: regular/普通 or adult/成人; empty means any (null); undefined when not a category. */
export function parseCategory(value: Raw): EducationCategory | null | undefined {
  const text = clean(value).toLowerCase();
  if (!text) return null;
  return categories[text];
}

export interface SlotInput {
  room?: Raw;
  /** regular|adult (普通|成人); empty: any category. */
  category?: Raw;
  department?: Raw;
  className?: Raw;
  date?: Raw;
  start?: Raw;
  end?: Raw;
}

export function parseSlot(raw: SlotInput): Parsed<Omit<ShootSlot, 'id'>> {
  const errors: FieldError[] = [];
  const room = clean(raw.room);
  const department = clean(raw.department) || null;
  const className = clean(raw.className) || null;
  if (!room) errors.push({ field: 'room', code: 'schedule.required' });
  if (department === null && className === null) errors.push({ field: 'department', code: 'schedule.target_missing' });
  const date = parseDate(raw.date);
  if (date === null) errors.push({ field: 'date', code: 'schedule.bad_date' });
  const start = parseTime(raw.start);
  if (start === null) errors.push({ field: 'start', code: 'schedule.bad_time' });
  const end = parseTime(raw.end, true);
  if (end === null) errors.push({ field: 'end', code: 'schedule.bad_time' });
  if (start !== null && end !== null && start === end) errors.push({ field: 'end', code: 'schedule.empty_period' });
  const category = parseCategory(raw.category);
  if (category === undefined) errors.push({ field: 'category', code: 'schedule.bad_category' });
  if (errors.length > 0 || date === null || start === null || end === null || category === undefined) return { ok: false, errors };
  return { ok: true, value: { room, department, className, date, start, end, category } };
}

/** "08:30-11:30,14:30-17:30" */
export function parsePeriods(value: Raw): TimePeriod[] | null {
  const text = clean(value);
  if (!text) return null;
  const periods: TimePeriod[] = [];
  for (const part of text.split(/[,;，；]/)) {
    const [a, b, ...rest] = part.split(/[-–~～至]/);
    const start = parseTime(a);
    const end = parseTime(b, true);
    if (rest.length > 0 || start === null || end === null || start === end) return null;
    periods.push({ start, end });
  }
  return periods;
}

/** "1-5", "1,3,5" or "1-3,6"; ISO weekdays, Monday = 1. */
export function parseWeekdays(value: Raw): number[] | null {
  const text = clean(value);
  if (!text) return null;
  const days = new Set<number>();
  for (const part of text.split(/[,，]/)) {
    const m = /^([1-7])(?:-([1-7]))?$/.exec(part.trim());
    if (!m) return null;
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    if (to < from) return null;
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days].sort((x, y) => x - y);
}

export interface MakeupWindowInput {
  startDate?: Raw;
  endDate?: Raw;
  /** Default: Monday to Friday. */
  weekdays?: Raw;
  /** Default: 08:30-11:30 and 14:30-17:30. */
  periods?: Raw;
  room?: Raw;
  /** regular|adult (普通|成人); empty: any category. */
  category?: Raw;
}

export function parseMakeupWindow(raw: MakeupWindowInput): Parsed<Omit<MakeupWindow, 'id'>> {
  const errors: FieldError[] = [];
  const startDate = parseDate(raw.startDate);
  if (startDate === null) errors.push({ field: 'startDate', code: 'schedule.bad_date' });
  const endDate = clean(raw.endDate) ? parseDate(raw.endDate) : startDate;
  if (endDate === null && clean(raw.endDate)) errors.push({ field: 'endDate', code: 'schedule.bad_date' });
  if (startDate !== null && endDate !== null && endDate < startDate) errors.push({ field: 'endDate', code: 'schedule.date_range' });
  const weekdays = clean(raw.weekdays) ? parseWeekdays(raw.weekdays) : [...defaultMakeupWeekdays];
  if (weekdays === null) errors.push({ field: 'weekdays', code: 'schedule.bad_weekdays' });
  const periods = clean(raw.periods) ? parsePeriods(raw.periods) : defaultMakeupPeriods.map((p) => ({ ...p }));
  if (periods === null) errors.push({ field: 'periods', code: 'schedule.bad_periods' });
  const category = parseCategory(raw.category);
  if (category === undefined) errors.push({ field: 'category', code: 'schedule.bad_category' });
  if (errors.length > 0 || startDate === null || endDate === null || weekdays === null || periods === null || category === undefined) {
    return { ok: false, errors };
  }
  return { ok: true, value: { startDate, endDate, weekdays, periods, room: clean(raw.room) || null, category } };
}

export interface CertificateInput {
  name?: Raw;
  schoolCode?: Raw;
  gender?: Raw;
  idNumber?: Raw;
  educationLevel?: Raw;
  schoolName?: Raw;
  address?: Raw;
  postcode?: Raw;
  contactPerson?: Raw;
  phone?: Raw;
}

export type CertificateFields = Omit<MakeupCertificate, 'id' | 'issuedAt' | 'issuedBy' | 'revokedAt'>;

const genders: Record<string, 'M' | 'F'> = { m: 'M', male: 'M', 男: 'M', f: 'F', female: 'F', 女: 'F' };

export function parseGender(value: Raw): 'M' | 'F' | null {
  return genders[clean(value).toLowerCase()] ?? null;
}

/**
 * The school's make-up certificate form. The ID number gets the roster's full GB 11643 check
 * (check character, real birth date not after `today`, YYYY-MM-DD in the school's time zone): a
 * certificate under a mistyped number would let nobody in.
 */
export function parseCertificate(raw: CertificateInput, today: string): Parsed<CertificateFields> {
  const errors: FieldError[] = [];
  const required = (field: keyof CertificateInput): string => {
    const v = clean(raw[field]);
    if (!v) errors.push({ field, code: 'schedule.required' });
    return v;
  };
  const name = required('name');
  const educationLevel = required('educationLevel');
  const schoolName = required('schoolName');
  const address = required('address');
  const person = required('contactPerson');

  const schoolCode = clean(raw.schoolCode);
  if (!/^\d{5}$/.test(schoolCode)) errors.push({ field: 'schoolCode', code: 'makeup.bad_school_code' });
  const gender = parseGender(raw.gender);
  if (gender === null) errors.push({ field: 'gender', code: 'makeup.bad_gender' });
  const id = checkIdNumber(clean(raw.idNumber), today);
  const idNumber = id.ok ? id.idNumber : null;
  if (!id.ok) errors.push({ field: 'idNumber', code: id.code, ...(id.expectedCheck ? { params: { expected: id.expectedCheck } } : {}) });
  // The ID number carries the gender (17th digit odd = male): a form that disagrees has a typo.
  else if (gender !== null && id.gender !== gender) errors.push({ field: 'gender', code: 'roster.gender.mismatch' });
  const postcode = clean(raw.postcode);
  if (!/^\d{6}$/.test(postcode)) errors.push({ field: 'postcode', code: 'makeup.bad_postcode' });
  const phone = clean(raw.phone);
  if (!/^\+?[\d\- ()]{7,20}$/.test(phone) || (phone.match(/\d/g)?.length ?? 0) < 7) errors.push({ field: 'phone', code: 'makeup.bad_phone' });

  if (errors.length > 0 || gender === null || idNumber === null) return { ok: false, errors };
  return {
    ok: true,
    value: { name, schoolCode, gender, idNumber, educationLevel, schoolName, contact: { address, postcode, person, phone } },
  };
}
