/**
 * What the kiosk controller needs from the rest of the system, as small ports: the composition root
 * (server/compose.ts) plugs in the store, the schedule rules and the imaging engine; tests plug in
 * the same real parts against a temp data folder.
 */
import type { PhotoCheck } from '../../domain/photo/checks.ts';
import type { EligibilityVerdict } from '../../domain/capture-session.ts';
import type { PhotoProfile } from '../../domain/photo/profiles.ts';
import type { Deliverable, PhotoReport } from '../../domain/photo/report.ts';
import type { Schedule } from '../../domain/schedule.ts';
import type { Student } from '../../domain/student.ts';
import type { LiveViewSample } from '../../domain/identity/live-view-cues.ts';
import type { LiveViewGuides } from '../../domain/photo/live-view-guides.ts';
import type { PreviewFrame } from './camera.ts';

/** Finds a roster entry by what a student scans or types: 采集码, ID number or student number. */
export interface StudentDirectory {
  findByCode(code: string): Promise<Student | null>;
}

/** The student's own slots, the make-up windows and their certificates, in the school's time zone. */
export interface ScheduleSource {
  scheduleFor(student: Pick<Student, 'department' | 'className' | 'idNumber'>): Promise<Schedule>;
}

/** May this student be photographed now (roster, qualification, slot or make-up, already captured)? */
export interface EligibilityPolicy {
  check(student: Student, now: Date): Promise<EligibilityVerdict>;
}

/** One check of a validation report: the domain's PhotoCheck, as the imaging engine returns it. */
export type ReportCheck = PhotoCheck;

/** The imaging engine's report, as far as the kiosk reads it (a test engine fills only these parts). */
export type ValidationReport = Pick<PhotoReport, 'verdict' | 'profile' | 'checks' | 'timings' | 'error' | 'preview' | 'faceCheck' | 'face'> & {
  deliverable?: Pick<Deliverable, 'jpeg'>;
};

/** The imaging engine (controller/src/imaging/index.ts: PhotoValidator) as the kiosk uses it. */
export interface PhotoValidatorPort {
  validate(image: Buffer, options?: { profile?: string }): Promise<ValidationReport>;
  /**
   * The profile `validate` judges by for this id (the validator's default when absent), overrides
   * included; undefined for an unknown id. The kiosk places its live-view guides from its bands.
   */
  profile(id?: string): PhotoProfile | undefined;
  close(): Promise<void>;
}

/**
 * Measures one live-view frame for the presentation cues (imaging/live-view-cues.ts): where the
 * guides put the head and the deliverable's crop, as fractions of the live view's 3:4 window.
 */
export interface LiveViewInspector {
  measure(frame: Pick<PreviewFrame, 'jpeg' | 'width' | 'height'>, places: Pick<LiveViewGuides, 'head' | 'crop'>): Promise<LiveViewSample>;
}
