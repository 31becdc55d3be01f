/**
 * Eligibility as the kiosk asks it: the schedule rules (domain/eligibility.ts) over the student's
 * slots, the make-up windows and certificates, and whether an accepted photo exists.
 */
import type { EligibilityVerdict } from '../../domain/capture-session.ts';
import { eligibility, eligibilityMessageParams, type Eligibility } from '../../domain/eligibility.ts';
import type { Student } from '../../domain/student.ts';
import type { CaptureLog } from '../ports/capture-log.ts';
import type { EligibilityPolicy, ScheduleSource } from '../ports/kiosk.ts';

export class ScheduleEligibilityPolicy implements EligibilityPolicy {
  constructor(
    private readonly schedules: ScheduleSource,
    private readonly captures: Pick<CaptureLog, 'hasAcceptedPhoto'>,
    /** The kiosk's room (configuration `room`); null: no place check. */
    private readonly room: string | null = null,
  ) {}

  async check(student: Student, now: Date): Promise<EligibilityVerdict> {
    const result = await this.explain(student, now);
    if (result.allowed) return result.basis === 'makeup' ? { allowed: true, makeupCertificateId: result.certificate.id } : { allowed: true };
    return { allowed: false, code: result.code, params: eligibilityMessageParams(result) };
  }

  /** The whole verdict, with the slot or window that applies (`rig check-in`, the dashboard's search). */
  async explain(student: Student, now: Date): Promise<Eligibility> {
    const schedule = await this.schedules.scheduleFor(student);
    return eligibility(student, now, schedule, { alreadyCaptured: await this.captures.hasAcceptedPhoto(student.id) }, { room: this.room });
  }
}
