/**
 * Types of the capture session (采集流程): the states a kiosk passes through for one student, the
 * events that move it and the effects it asks the controller to perform. Pure data: no I/O here.
 */

import type { DiscrepancyField } from './discrepancy.ts';

/** Every state name; the kiosk UI puts it on its root element as `data-kiosk-state`. */
export const kioskStateNames = [
  'idle',
  'identify',
  'confirm',
  'refused',
  'dress',
  'pose',
  'countdown',
  'capture',
  'validate',
  'review',
  'store',
  'receipt',
  'see-staff',
] as const;
export type KioskStateName = (typeof kioskStateNames)[number];

/** What the student is asked to check on the confirm screen (the fields the notice requires to match). */
export interface IdentityCard {
  studentId: number;
  name: string;
  gender: 'M' | 'F';
  /** YYYY-MM-DD */
  birthDate: string;
  major: string;
  department: string;
  className: string;
  schoolCode: string;
  schoolName: string;
  /** ID number with the middle digits masked: never the full number on screen or in logs. */
  maskedIdNumber: string;
}

/** The answer of the eligibility rules (资格审查, slot, make-up): allowed, or a reason code with its parameters. */
export type EligibilityVerdict =
  | { allowed: true; /** the 补采证明 that let the student in during a make-up window */ makeupCertificateId?: number }
  | { allowed: false; code: string; params?: Record<string, string | number> };

/** The room's readiness as the capture rules need it: ready, or the reason codes why not. */
export interface RigReadiness {
  ready: boolean;
  reasons: readonly string[];
}

/** Whether the camera can shoot now; `code` says why not (a camera reason code, e.g. camera.disconnected). */
export interface CameraReadiness {
  connected: boolean;
  code: string | null;
}

/** One failed or advisory check of a shot, as the review screen shows it. */
export interface ReviewFinding {
  id: string;
  reason: string;
  severity: 'blocking' | 'advisory';
  message: { zh: string; en: string };
  /** Normalised 0..1 in the original frame. */
  region?: { x: number; y: number; w: number; h: number };
}

/** The outcome of validating one shot. */
export interface ReviewSummary {
  attemptId: number;
  verdict: 'pass' | 'fail' | 'error';
  findings: readonly ReviewFinding[];
}

/** What the receipt shows once the photo is stored. */
export interface Receipt {
  sequence: number;
  day: string;
  photoId: number;
}

/** A message shown on the current screen (e.g. why capture was refused), cleared by the next transition. */
export interface Notice {
  code: string;
  params?: Record<string, string | number>;
  /** Further reason codes (e.g. each reason the rig is not ready). */
  reasons?: readonly string[];
}

/** The student currently at the kiosk. */
export interface SessionContext {
  /** Numbers sessions so that late answers from an abandoned session are recognised and ignored. */
  id: number;
  code: string;
  /** Clock time the code was scanned: the whole-session limit counts from here. */
  startedAt: number;
  identity: IdentityCard | null;
  eligibility: EligibilityVerdict | null;
  /** Shots taken in this session. */
  attempts: number;
  review: ReviewSummary | null;
  receipt: Receipt | null;
}

export interface KioskState {
  name: KioskStateName;
  /** Clock time (ms) the state was entered. */
  enteredAt: number;
  /** Clock time the state times out back to idle; null for idle. */
  deadline: number | null;
  /** When the countdown state fires the shutter. */
  countdownEndsAt: number | null;
  session: SessionContext | null;
  notice: Notice | null;
  rig: RigReadiness;
  camera: CameraReadiness;
  lastSessionId: number;
}

/** Limits from configuration. */
export interface SessionSettings {
  /** Retakes allowed after the first shot; past that the student is sent to staff. */
  retakeLimit: number;
  countdownMs: number;
  /** Per state, ms before it falls back to idle; idle itself never times out. */
  timeoutsMs: Record<Exclude<KioskStateName, 'idle'>, number>;
  /** Cap on a whole session, scan to receipt, however the student dawdles from screen to screen. */
  sessionMs?: number;
}

export type KioskEvent =
  | { type: 'scan'; code: string }
  | { type: 'identified'; session: number; identity: IdentityCard; eligibility: EligibilityVerdict }
  | { type: 'unknown-code'; session: number }
  /** The student confirms: their identity, their dress, or that they have read the receipt. */
  | { type: 'confirm' }
  /** At the confirm step: "this is me, but these fields are wrong" (信息不符); goes on like confirm, and is recorded. */
  | { type: 'report-discrepancy'; fields: DiscrepancyField[] }
  | { type: 'capture' }
  | { type: 'captured'; session: number }
  | { type: 'capture-failed'; session: number; code: string }
  | { type: 'validated'; session: number; review: ReviewSummary }
  | { type: 'accept' }
  | { type: 'retake' }
  | { type: 'cancel' }
  | { type: 'stored'; session: number; receipt: Receipt }
  | { type: 'store-failed'; session: number; code: string }
  | { type: 'rig'; readiness: RigReadiness }
  /** The camera was lost (unplugged, asleep, USB reset) or is back. */
  | { type: 'camera'; camera: CameraReadiness }
  /**
   * An effect of this session failed in a way its own answer does not cover (the database refused
   * the session row, the eligibility rules threw): the session ends or resumes with the code as notice.
   */
  | { type: 'fault'; session: number; code: string }
  /** The clock moved: timeouts and the countdown are checked. */
  | { type: 'tick' };

/** How a session ended; `interrupted` is never the machine's: start-up recovery closes a session the process died in. */
export type SessionOutcome = 'stored' | 'cancelled' | 'timeout' | 'refused' | 'see-staff' | 'interrupted';

export type KioskEffect =
  | { type: 'lookup'; session: number; code: string }
  | { type: 'start-preview' }
  | { type: 'stop-preview' }
  | { type: 'capture'; session: number; attempt: number }
  | { type: 'validate'; session: number; attempt: number }
  | { type: 'store'; session: number; attemptId: number }
  | { type: 'session-ended'; session: number; outcome: SessionOutcome; state: KioskStateName }
  | { type: 'record-discrepancy'; session: number; fields: DiscrepancyField[] };

/** An event the current state does not take: the state is unchanged and the code says why. */
export interface Refusal {
  code: string;
  params?: Record<string, string | number>;
  reasons?: readonly string[];
}

export interface Transition {
  state: KioskState;
  effects: KioskEffect[];
  refusal: Refusal | null;
}
