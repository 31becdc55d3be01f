/**
 * The shooting schedule: slots per department or class, make-up windows, make-up certificates.
 * All dates and times are wall-clock values in the school's time zone (see local-time.ts).
 */
import type { EducationCategory, Student } from './student.ts';
import { dayNumber, interval, isoWeekday, type LocalDate, type LocalTime } from './local-time.ts';

/**
 * 拍摄时段: when and where one department (or one class of it) is photographed.
 * At least one of `department` and `className` is set; a class slot is more specific.
 * An `end` at or before `start` means the slot runs past midnight.
 */
export interface ShootSlot {
  id: number;
  room: string;
  department: string | null;
  className: string | null;
  date: LocalDate;
  start: LocalTime;
  end: LocalTime;
  /** Only students of this 教育类别 (普通/成人 are shot in separate campaigns); null or absent: any. */
  category?: EducationCategory | null;
}

export interface TimePeriod {
  start: LocalTime;
  end: LocalTime;
}

/** 补拍时间: the dates, weekdays and hours when students holding a certificate may come. */
export interface MakeupWindow {
  id: number;
  startDate: LocalDate;
  endDate: LocalDate;
  /** ISO weekdays, Monday = 1. */
  weekdays: number[];
  periods: TimePeriod[];
  room: string | null;
  /** Only students of this 教育类别 (the notice gives adult and regular graduates separate make-up weeks); null or absent: any. */
  category?: EducationCategory | null;
}

/** The school's usual make-up hours: Monday to Friday, 08:30-11:30 and 14:30-17:30. */
export const defaultMakeupWeekdays: readonly number[] = [1, 2, 3, 4, 5];
export const defaultMakeupPeriods: readonly TimePeriod[] = [
  { start: '08:30', end: '11:30' },
  { start: '14:30', end: '17:30' },
];

/** The school contact block of the certificate form (学校联系信息). */
export interface SchoolContact {
  address: string;
  /** 6-digit 邮政编码 */
  postcode: string;
  person: string;
  phone: string;
}

/**
 * 补采证明: the school's form that lets a student be photographed in a make-up window,
 * with the fields of the paper form.
 */
export interface MakeupCertificate {
  id: number;
  name: string;
  schoolCode: string;
  gender: 'M' | 'F';
  idNumber: string;
  /** 学历层次 */
  educationLevel: string;
  schoolName: string;
  contact: SchoolContact;
  /** ISO instant */
  issuedAt: string;
  issuedBy: string;
  revokedAt: string | null;
}

/** Everything eligibility needs to know about the timetable. */
export interface Schedule {
  /** IANA zone the dates and times are written in. */
  timeZone: string;
  slots: readonly ShootSlot[];
  makeupWindows: readonly MakeupWindow[];
  certificates: readonly MakeupCertificate[];
}

/** Whether a slot or window admits students of this category (null: every category). */
export function categoryAdmits(restriction: EducationCategory | null | undefined, category: EducationCategory | undefined): boolean {
  return restriction == null || category === undefined || restriction === category;
}

/**
 * Whether a slot is this student's: their class (within the department when given), or their whole
 * department, and their education category when the slot is restricted to one.
 */
export function slotApplies(slot: ShootSlot, student: Pick<Student, 'department' | 'className'> & { educationCategory?: EducationCategory }): boolean {
  if (!categoryAdmits(slot.category, student.educationCategory)) return false;
  if (slot.className !== null) {
    return slot.className === student.className && (slot.department === null || slot.department === student.department);
  }
  return slot.department === student.department;
}

export function slotInterval(slot: Pick<ShootSlot, 'date' | 'start' | 'end'>): { from: number; to: number } {
  return interval(slot.date, slot.start, slot.end);
}

/** Two slots in the same room whose times intersect. */
export function slotsOverlap(a: Omit<ShootSlot, 'id'>, b: Omit<ShootSlot, 'id'>): boolean {
  if (a.room !== b.room) return false;
  const x = slotInterval(a);
  const y = slotInterval(b);
  return x.from < y.to && y.from < x.to;
}

/** The window period containing `position` (local time line), if any; periods may start the day before. */
export function windowPeriodAt(window: MakeupWindow, position: number): TimePeriod | null {
  const today = Math.floor(position / 86_400);
  const first = dayNumber(window.startDate);
  const last = dayNumber(window.endDate);
  for (const day of [today - 1, today]) {
    if (day < first || day > last || !window.weekdays.includes(isoWeekday(day))) continue;
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    for (const period of window.periods) {
      const { from, to } = interval(date, period.start, period.end);
      if (position >= from && position < to) return period;
    }
  }
  return null;
}

/** A certificate that is this student's and still in force. */
export function certificateFor(certificates: readonly MakeupCertificate[], idNumber: string): MakeupCertificate | null {
  const wanted = idNumber.toUpperCase();
  return certificates.find((c) => c.revokedAt === null && c.idNumber.toUpperCase() === wanted) ?? null;
}
