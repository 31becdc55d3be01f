/**
 * May this student be photographed now, here? Pure: the caller supplies the roster entry (or null
 * when the code matched nobody), the instant, the schedule, whether an accepted photo exists and the
 * kiosk's room. The notice turns away anyone who comes at another time or to another place
 * (不按规定时间、地点参加拍摄的人员不予拍摄), so a refusal names the time and place that do apply.
 */
import type { Student } from './student.ts';
import { dayNumber, wallClock } from './local-time.ts';
import {
  categoryAdmits,
  certificateFor,
  slotApplies,
  slotInterval,
  windowPeriodAt,
  type MakeupCertificate,
  type MakeupWindow,
  type Schedule,
  type ShootSlot,
  type TimePeriod,
} from './schedule.ts';

/** Facts from the capture records that the schedule does not hold. */
export interface CaptureHistory {
  /** An accepted photo exists for this student. */
  alreadyCaptured: boolean;
}

/** Where the question is asked: the kiosk's room (configuration `room`); null checks no room. */
export interface KioskPlace {
  room: string | null;
}

export type EligibilityRefusal =
  | { allowed: false; code: 'eligibility.not_on_roster' }
  | { allowed: false; code: 'eligibility.qualification_not_passed' }
  | { allowed: false; code: 'eligibility.already_captured' }
  | { allowed: false; code: 'eligibility.before_slot'; slot: ShootSlot }
  | { allowed: false; code: 'eligibility.after_slot'; slot: ShootSlot }
  | { allowed: false; code: 'eligibility.wrong_room'; slot: ShootSlot; here: string }
  | { allowed: false; code: 'eligibility.makeup_certificate_required'; window: MakeupWindow; period: TimePeriod }
  | { allowed: false; code: 'eligibility.makeup_wrong_room'; window: MakeupWindow; period: TimePeriod; here: string }
  | { allowed: false; code: 'eligibility.makeup_other_category'; window: MakeupWindow; period: TimePeriod; own: MakeupWindow }
  | { allowed: false; code: 'eligibility.makeup_other_category_none'; window: MakeupWindow; period: TimePeriod }
  | { allowed: false; code: 'eligibility.no_slot' };

export type Eligibility =
  | { allowed: true; basis: 'slot'; slot: ShootSlot }
  | { allowed: true; basis: 'makeup'; window: MakeupWindow; period: TimePeriod; certificate: MakeupCertificate }
  | EligibilityRefusal;

export type EligibilityCode = EligibilityRefusal['code'];

const anywhere: KioskPlace = { room: null };

function roomDiffers(wanted: string | null, here: string | null): here is string {
  return here !== null && wanted !== null && wanted !== here;
}

/**
 * Order of the checks: who (roster, qualification), whether already done, then when and where (own
 * slot, in this room; make-up window of the student's category, in this room, with a certificate).
 * Slot edges are half-open: the start minute is in, the end minute is out.
 */
export function eligibility(
  student: Student | null,
  now: Date,
  schedule: Schedule,
  history: CaptureHistory,
  place: KioskPlace = anywhere,
): Eligibility {
  if (student === null) return { allowed: false, code: 'eligibility.not_on_roster' };
  if (!student.qualificationPassed) return { allowed: false, code: 'eligibility.qualification_not_passed' };
  if (history.alreadyCaptured) return { allowed: false, code: 'eligibility.already_captured' };

  const { position, date: today } = wallClock(now, schedule.timeZone);
  const own = schedule.slots
    .filter((s) => slotApplies(s, student))
    .map((slot) => ({ slot, ...slotInterval(slot) }))
    .sort((a, b) => a.from - b.from);

  const current = own.find((s) => position >= s.from && position < s.to);
  if (current && !roomDiffers(current.slot.room, place.room)) return { allowed: true, basis: 'slot', slot: current.slot };

  const next = own.find((s) => s.from > position);
  const certificate = certificateFor(schedule.certificates, student.idNumber);
  let refusal: EligibilityRefusal | null = null;
  for (const window of schedule.makeupWindows) {
    const period = windowPeriodAt(window, position);
    if (!period) continue;
    if (!categoryAdmits(window.category, student.educationCategory)) {
      // Only a certificate holder needs telling that this week is not theirs; others hear about their slot.
      if (certificate && !refusal) refusal = otherCategory(window, period, schedule.makeupWindows, student, today);
      continue;
    }
    if (roomDiffers(window.room, place.room)) {
      if (certificate) refusal = { allowed: false, code: 'eligibility.makeup_wrong_room', window, period, here: place.room };
      continue;
    }
    if (certificate) return { allowed: true, basis: 'makeup', window, period, certificate };
    // A student whose own slot is still ahead is better told to wait for it than to get a form.
    if (!next && !current) refusal ??= { allowed: false, code: 'eligibility.makeup_certificate_required', window, period };
  }

  if (current && place.room !== null) return { allowed: false, code: 'eligibility.wrong_room', slot: current.slot, here: place.room };
  if (refusal) return refusal;
  if (next) return { allowed: false, code: 'eligibility.before_slot', slot: next.slot };
  const last = own.at(-1);
  if (last) return { allowed: false, code: 'eligibility.after_slot', slot: last.slot };
  return { allowed: false, code: 'eligibility.no_slot' };
}

/** The refusal for a certificate holder in a window of the other category, naming their own window (the next one still open). */
function otherCategory(window: MakeupWindow, period: TimePeriod, all: readonly MakeupWindow[], student: Student, today: string): EligibilityRefusal {
  const own = all
    .filter((w) => w.category !== null && w.category === student.educationCategory && dayNumber(w.endDate) >= dayNumber(today))
    .sort((a, b) => a.startDate.localeCompare(b.startDate))[0];
  return own
    ? { allowed: false, code: 'eligibility.makeup_other_category', window, period, own }
    : { allowed: false, code: 'eligibility.makeup_other_category_none', window, period };
}

function hours(periods: readonly TimePeriod[]): string {
  return periods.map((p) => `${p.start}-${p.end}`).join(', ');
}

function weekdays(days: readonly number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const run = sorted.every((d, i) => i === 0 || d === (sorted[i - 1] ?? 0) + 1);
  return run && sorted.length > 2 ? `${sorted[0]}-${sorted.at(-1)}` : sorted.join(',');
}

/** Placeholders for the refusal's message (`{date} {start}-{end} {room}`, `{here}`, the own window's `{ownFrom}`...). */
export function eligibilityMessageParams(result: Eligibility): Record<string, string> {
  const params: Record<string, string> = {};
  if ('slot' in result) {
    const { date, start, end, room } = result.slot;
    Object.assign(params, { date, start, end, room });
  }
  if ('window' in result) {
    Object.assign(params, {
      start: result.period.start, end: result.period.end, from: result.window.startDate, to: result.window.endDate,
      room: result.window.room ?? '',
    });
  }
  if ('here' in result) params.here = result.here;
  if ('own' in result) {
    const w = result.own;
    Object.assign(params, { ownFrom: w.startDate, ownTo: w.endDate, ownDays: weekdays(w.weekdays), ownHours: hours(w.periods), ownRoom: w.room ?? '—' });
  }
  return params;
}
