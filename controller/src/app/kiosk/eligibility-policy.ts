/**
 * Eligibility as the kiosk asks it: the schedule rules (domain/eligibility.ts) over the student's
 * slots, the make-up windows and certificates, and whether an accepted photo exists.
 */
import type { EligibilityVerdict } from '../../domain/capture-session.ts';
import { eligibility, eligibilityMessageParams } from '../../domain/eligibility.ts';
import type { Student } from '../../domain/student.ts';
import type { CaptureLog } from '../ports/capture-log.ts';
import type { EligibilityPolicy, ScheduleSource } from '../ports/kiosk.ts';

export class ScheduleEligibilityPolicy implements EligibilityPolicy {
  constructor(private readonly schedules: ScheduleSource, private readonly captures: Pick<CaptureLog, 'hasAcceptedPhoto'>) {}

  async check(student: Student, now: Date): Promise<EligibilityVerdict> {
    const schedule = await this.schedules.scheduleFor(student);
    const result = eligibility(student, now, schedule, { alreadyCaptured: await this.captures.hasAcceptedPhoto(student.id) });
    if (result.allowed) return { allowed: true };
    return { allowed: false, code: result.code, params: eligibilityMessageParams(result) };
  }
}
