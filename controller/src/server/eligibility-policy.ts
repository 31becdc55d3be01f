/**
 * Eligibility as the kiosk asks it: the schedule rules (domain/eligibility.ts) over the student's
 * slots, the make-up windows and certificates from the store, and whether an accepted photo exists.
 */
import type { EligibilityVerdict } from '../domain/capture-session.ts';
import { eligibility, eligibilityMessageParams } from '../domain/eligibility.ts';
import type { Student } from '../domain/student.ts';
import type { CaptureLog } from '../app/ports/capture-log.ts';
import type { Queryable } from '../store/database.ts';
import { scheduleForStudent } from '../store/schedule-loader.ts';
import type { EligibilityPolicy } from '../app/ports/kiosk.ts';

export class StoreEligibilityPolicy implements EligibilityPolicy {
  constructor(private readonly db: Queryable, private readonly captures: Pick<CaptureLog, 'hasAcceptedPhoto'>, private readonly timeZone: string) {}

  async check(student: Student, now: Date): Promise<EligibilityVerdict> {
    const schedule = await scheduleForStudent(this.db, student, this.timeZone);
    const result = eligibility(student, now, schedule, { alreadyCaptured: await this.captures.hasAcceptedPhoto(student.id) });
    if (result.allowed) return { allowed: true };
    return { allowed: false, code: result.code, params: eligibilityMessageParams(result) };
  }
}
