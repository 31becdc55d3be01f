/**
 * Eligibility as the kiosk asks it. INTERIM: checks qualification and "already captured" only, until
 * the schedule rules (domain/eligibility.ts, issue 2) reach this branch; then `check` calls
 * `eligibility(student, now, schedule, history)` with the schedule from the store.
 */
import type { EligibilityVerdict } from '../domain/capture-session.ts';
import type { Student } from '../domain/student.ts';
import type { CaptureRepository } from '../store/capture-repository.ts';
import type { EligibilityPolicy } from './kiosk-ports.ts';

export class StoreEligibilityPolicy implements EligibilityPolicy {
  constructor(private readonly captures: CaptureRepository) {}

  async check(student: Student, _now: Date): Promise<EligibilityVerdict> {
    if (!student.qualificationPassed) return { allowed: false, code: 'eligibility.qualification_not_passed' };
    if (await this.captures.hasAcceptedPhoto(student.id)) return { allowed: false, code: 'eligibility.already_captured' };
    return { allowed: true };
  }
}
