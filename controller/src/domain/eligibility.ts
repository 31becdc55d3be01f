/**
 * May this student be photographed now? Pure: the caller supplies the roster entry (or null when
 * the code matched nobody), the instant, the schedule and whether an accepted photo exists.
 */
import type { Student } from './student.ts';
import { wallClock } from './local-time.ts';
import {
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

export type EligibilityRefusal =
  | { allowed: false; code: 'eligibility.not_on_roster' }
  | { allowed: false; code: 'eligibility.qualification_not_passed' }
  | { allowed: false; code: 'eligibility.already_captured' }
  | { allowed: false; code: 'eligibility.before_slot'; slot: ShootSlot }
  | { allowed: false; code: 'eligibility.after_slot'; slot: ShootSlot }
  | { allowed: false; code: 'eligibility.makeup_certificate_required'; window: MakeupWindow; period: TimePeriod }
  | { allowed: false; code: 'eligibility.no_slot' };

export type Eligibility =
  | { allowed: true; basis: 'slot'; slot: ShootSlot }
  | { allowed: true; basis: 'makeup'; window: MakeupWindow; period: TimePeriod; certificate: MakeupCertificate }
  | EligibilityRefusal;

export type EligibilityCode = EligibilityRefusal['code'];

/**
 * Order of the checks: who (roster, qualification), whether already done, then when (own slot,
 * make-up window with certificate). Slot edges are half-open: the start minute is in, the end
 * minute is out.
 */
export function eligibility(student: Student | null, now: Date, schedule: Schedule, history: CaptureHistory): Eligibility {
  if (student === null) return { allowed: false, code: 'eligibility.not_on_roster' };
  if (!student.qualificationPassed) return { allowed: false, code: 'eligibility.qualification_not_passed' };
  if (history.alreadyCaptured) return { allowed: false, code: 'eligibility.already_captured' };

  const { position } = wallClock(now, schedule.timeZone);
  const own = schedule.slots
    .filter((s) => slotApplies(s, student))
    .map((slot) => ({ slot, ...slotInterval(slot) }))
    .sort((a, b) => a.from - b.from);

  const current = own.find((s) => position >= s.from && position < s.to);
  if (current) return { allowed: true, basis: 'slot', slot: current.slot };

  const next = own.find((s) => s.from > position);
  for (const window of schedule.makeupWindows) {
    const period = windowPeriodAt(window, position);
    if (!period) continue;
    const certificate = certificateFor(schedule.certificates, student.idNumber);
    if (certificate) return { allowed: true, basis: 'makeup', window, period, certificate };
    // A student whose own slot is still ahead is better told to wait for it than to get a form.
    if (!next) return { allowed: false, code: 'eligibility.makeup_certificate_required', window, period };
  }

  if (next) return { allowed: false, code: 'eligibility.before_slot', slot: next.slot };
  const last = own.at(-1);
  if (last) return { allowed: false, code: 'eligibility.after_slot', slot: last.slot };
  return { allowed: false, code: 'eligibility.no_slot' };
}

/** Placeholders for the refusal's message (`{date} {start}-{end} {room}`). */
export function eligibilityMessageParams(result: Eligibility): Record<string, string> {
  if ('slot' in result) {
    const { date, start, end, room } = result.slot;
    return { date, start, end, room };
  }
  if ('window' in result) {
    return { start: result.period.start, end: result.period.end, from: result.window.startDate, to: result.window.endDate };
  }
  return {};
}
