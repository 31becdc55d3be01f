/**
 * The work behind the capture session's effects: look the code up, shoot, validate, store and close
 * the session row, each answering the machine with an event. Holds what a session needs beyond the
 * machine's state (the student row, the still, the reports), keyed by the machine's session number
 * so that a late answer for an abandoned session finds nothing to touch.
 */
import type { Logger } from 'pino';
import type { Camera, PreviewFrame } from '../ports/camera.ts';
import { kioskReasonForCameraError } from '../ports/camera-error.ts';
import type { ReadinessReport, Rig, SceneLights } from '../ports/rig.ts';
import { settleBeforeShutterMs } from '../../domain/kiosk-scenes.ts';
import type { KioskEvent, ReviewSummary, SessionOutcome } from '../../domain/capture-session-types.ts';
import type { DiscrepancyField } from '../../domain/discrepancy.ts';
import { identityCard } from '../../domain/identity-card.ts';
import { localDate } from '../../domain/local-time.ts';
import { maskIdNumber } from '../../domain/roster/id-number.ts';
import { adviseReview, targetOf } from '../../domain/photo/reasons.ts';
import type { Student } from '../../domain/student.ts';
import type { CaptureLog } from '../ports/capture-log.ts';
import type { FaceRegistry } from '../ports/face-registry.ts';
import { checkReference, checkSameFace, type FaceMatch, type SameFacePolicy } from '../../domain/identity/face-match.ts';
import { judgePresentation, type PresentationCues, type PresentationPolicy } from '../../domain/identity/presentation.ts';
import { LiveViewCueTracker } from '../../domain/identity/live-view-cues.ts';
import type { LiveViewGuides } from '../../domain/photo/live-view-guides.ts';
import type { EligibilityPolicy, LiveViewInspector, PhotoValidatorPort, StudentDirectory, ValidationReport } from '../ports/kiosk.ts';
import type { FaceCheck } from '../../domain/photo/report.ts';
import type { Clock } from './wake-timer.ts';

/** The parts a session works with; the kiosk controller is handed the same ones. */
export interface SessionParts {
  camera: Camera;
  rig: Rig;
  validator: PhotoValidatorPort;
  directory: StudentDirectory;
  eligibility: EligibilityPolicy;
  captures: CaptureLog;
  /** Same face, two identities: absent, no check (the validator then gives no descriptors either). */
  identity?: {
    faces: FaceRegistry; policy: SameFacePolicy; presentation: PresentationPolicy;
    /** Live-view cues of a photo held up (no motion, flat light, a border); absent: the still's moiré only. */
    liveView?: LiveViewInspector;
  };
  /** The studio lights: the controller sets the scene of each state through it (absent: lights are not driven). */
  lights?: SceneLights;
}

export interface SessionEffectsDeps extends SessionParts {
  clock: Clock;
  log: Logger;
  settings: { profile: string; timeZone: string; schoolName: string };
  /** A shot found a fault only the room can fix: hold the next shots (the technician's reasons). */
  holdRoom?(reasons: string[], attemptId: number): void;
}

/** What the current session holds beyond the machine's state: the student row, shots and reports. */
interface SessionWork {
  /** The session's row; null until the insert answered. */
  dbSessionId: number | null;
  student: Student | null;
  code: string;
  still: Buffer | null;
  stills: Map<number, { still: Buffer; report: ValidationReport }>;
  lastReason: string | null;
  /** The certificate of a make-up capture, from the eligibility verdict. */
  makeupCertificateId?: number;
  /** The live view the student posed in, sampled for the presentation cues. */
  liveView?: { tracker: LiveViewCueTracker; busy: boolean; lastAt: number };
}

/** How often a live-view frame is measured for the presentation cues (the stream runs at 10-30 frames a second). */
export const LIVE_VIEW_SAMPLE_MS = 250;

export class SessionEffects {
  private readonly work = new Map<number, SessionWork>();
  private readonly capturing = new Map<number, AbortController>();

  constructor(private readonly deps: SessionEffectsDeps, private readonly dispatch: (event: KioskEvent) => void) {}

  /** The roster row of a session, once looked up. */
  student(session: number): Student | null {
    return this.work.get(session)?.student ?? null;
  }

  /** A validated shot of a session: the original still and the engine's report. */
  shot(session: number, attemptId: number): { still: Buffer; report: ValidationReport } | null {
    return this.work.get(session)?.stills.get(attemptId) ?? null;
  }

  /** Remembers why the session went wrong, for its row when it ends. */
  remember(session: number, reason: string): void {
    const work = this.work.get(session);
    if (work) work.lastReason = reason;
  }

  async lookup(session: number, code: string): Promise<void> {
    const work: SessionWork = { dbSessionId: null, student: null, code, still: null, stills: new Map(), lastReason: null };
    this.work.set(session, work);
    const student = await this.deps.directory.findByCode(code);
    work.student = student;
    const now = new Date(this.deps.clock.now());
    work.dbSessionId = await this.deps.captures.startSession(student?.id ?? null, code, now);
    if (!student) {
      work.lastReason = 'kiosk.identify.unknown_code';
      this.deps.log.info({ session, code: maskIdNumber(code) }, 'code not on roster');
      this.dispatch({ type: 'unknown-code', session });
      return;
    }
    const verdict = await this.deps.eligibility.check(student, now);
    if (!verdict.allowed) work.lastReason = verdict.code;
    else if (verdict.makeupCertificateId !== undefined) work.makeupCertificateId = verdict.makeupCertificateId;
    this.dispatch({ type: 'identified', session, identity: identityCard(student, this.deps.settings.schoolName), eligibility: verdict });
  }

  async capture(session: number): Promise<void> {
    const work = this.work.get(session);
    const abort = new AbortController();
    this.capturing.set(session, abort);
    // The room is read again at the shutter: the countdown's copy may be a few seconds old, and the
    // lights must have settled on the still's scene first.
    const room = await this.settledRoom(abort.signal);
    if (abort.signal.aborted) {
      this.capturing.delete(session);
      return void this.deps.log.info({ session }, 'capture abandoned: the session moved on');
    }
    if (!room.ready || room.settling === true) {
      this.capturing.delete(session);
      this.deps.log.info({ session, reasons: room.reasons, settling: room.settling ?? false }, 'capture refused at the shutter: the room is not ready');
      this.dispatch({ type: 'rig', readiness: { ready: false, reasons: room.ready ? ['rig.lights_settling'] : room.reasons } });
      this.dispatch({ type: 'capture-failed', session, code: 'kiosk.rig.not_ready' });
      return;
    }
    try {
      const still = await this.deps.camera.capture({ signal: abort.signal });
      if (work) work.still = still.jpeg;
      this.dispatch({ type: 'captured', session });
    } catch (err) {
      if (abort.signal.aborted) return void this.deps.log.info({ session }, 'capture abandoned: the session moved on');
      this.deps.log.warn({ err, session }, 'capture failed');
      this.dispatch({ type: 'capture-failed', session, code: kioskReasonForCameraError(err) });
    } finally {
      this.capturing.delete(session);
    }
  }

  /**
   * The room as it is once the lights have settled on the scene in force (the board confirmed the
   * levels, then a subject measurement after that), waiting at most `settleBeforeShutterMs`; then
   * as it is, settled or not.
   */
  private settledRoom(signal: AbortSignal): Promise<ReadinessReport> {
    const rig = this.deps.rig;
    const now = rig.readiness();
    if (now.settling !== true) return Promise.resolve(now);
    return new Promise<ReadinessReport>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        off();
        signal.removeEventListener('abort', done);
        resolve(rig.readiness());
      };
      const timer = setTimeout(done, settleBeforeShutterMs);
      const off = rig.onChange((r) => {
        if (r.settling !== true) done();
      });
      signal.addEventListener('abort', done);
    });
  }

  /** Cancels a capture still in flight for a session that left the capture screen (timeout, walk-away). */
  abandonCapture(session: number): void {
    this.capturing.get(session)?.abort(new Error('the session left the capture step'));
  }

  async validate(session: number, attempt: number): Promise<void> {
    const work = this.work.get(session);
    const still = work?.still;
    if (!work || !still || !work.student || work.dbSessionId === null) return void this.dispatch({ type: 'capture-failed', session, code: 'kiosk.validate.failed' });
    try {
      const report = await this.deps.validator.validate(still, { profile: this.deps.settings.profile });
      const reasons = report.checks.filter((c) => !c.passed && c.severity === 'blocking').map((c) => c.reason);
      if (report.error) reasons.push(report.error.code);
      const attemptId = await this.deps.captures.recordAttempt({
        sessionId: work.dbSessionId, studentId: work.student.id, attemptNo: attempt, takenAt: new Date(this.deps.clock.now()),
        profile: report.profile, verdict: report.verdict, reasons, checks: report.checks, timings: report.timings, original: still,
      });
      work.stills.set(attemptId, { still, report });
      work.still = null;
      if (report.verdict !== 'pass') work.lastReason = reasons[0] ?? null;
      this.deps.log.info({ session, attempt, verdict: report.verdict, reasons, ms: report.timings.total ?? null }, 'shot validated');
      const review = reviewSummary(attemptId, report);
      // Held before the review shows: the retake the student may press next is already refused.
      // Lights, backdrop and camera are the room's; a software hiccup (a timeout) is not held for.
      const advice = adviseReview(review.findings);
      const room = advice.technician.filter((code) => targetOf(code).cause !== 'software');
      if (advice.roomFault && room.length > 0) this.deps.holdRoom?.(room, attemptId);
      this.dispatch({ type: 'validated', session, review });
    } catch (err) {
      this.deps.log.error({ err, session }, 'validation failed');
      this.dispatch({ type: 'capture-failed', session, code: 'kiosk.validate.failed' });
    }
  }

  async store(session: number, attemptId: number): Promise<void> {
    const work = this.work.get(session);
    const shot = work?.stills.get(attemptId);
    const student = work?.student;
    const deliverable = shot?.report.deliverable?.jpeg;
    if (!work || !shot || !student || !deliverable) return void this.dispatch({ type: 'store-failed', session, code: 'kiosk.store.failed' });
    try {
      const at = new Date(this.deps.clock.now());
      const day = localDate(at, this.deps.settings.timeZone);
      const identity = this.deps.identity;
      const checked = identity ? await this.faceCheck(session, shot.report) : null;
      const face = checked?.descriptor;
      let warned: FaceMatch[] | null = null;
      if (face && identity) {
        const hold = { attemptId, sessionId: work.dbSessionId, studentId: student.id, schoolCode: student.schoolCode, day, codeText: work.code, action: 'hold' as const, descriptor: face, original: shot.still, deliverable, makeupCertificateId: work.makeupCertificateId ?? null, at };
        const presented = judgePresentation({ moire: checked?.presentation.moire ?? null, ...this.liveViewCues(work, identity.presentation) }, identity.presentation);
        if (presented.kind === 'suspect') {
          await identity.faces.recordHold({ ...hold, reason: 'presentation', matches: [], evidence: presented.cues });
          work.lastReason = 'kiosk.identity.presentation';
          this.deps.log.warn({ session, cues: presented.cues }, 'capture held for staff: it looks like a photo of a photo or of a screen');
          this.dispatch({ type: 'store-failed', session, code: 'kiosk.identity.presentation' });
          return;
        }
        const reference = await identity.faces.referenceFace(student.id, face.model);
        const likeReference = reference ? checkReference(face.values, reference, identity.policy) : null;
        if (likeReference?.kind === 'unlike') {
          const evidence = [{ cue: 'reference', value: Math.round(likeReference.distance * 1000) / 1000, limit: identity.policy.referenceThreshold }];
          await identity.faces.recordHold({ ...hold, reason: 'reference', matches: [], evidence });
          work.lastReason = 'kiosk.identity.held';
          this.deps.log.warn({ session, distance: likeReference.distance }, 'capture held for staff: unlike the student\'s reference photo');
          this.dispatch({ type: 'store-failed', session, code: 'kiosk.identity.held' });
          return;
        }
        const accepted = await identity.faces.acceptedFaces(student.schoolCode, face.model);
        const verdict = checkSameFace({ studentId: student.id, descriptor: face.values }, accepted, identity.policy);
        if (verdict.kind === 'match' && verdict.action === 'hold') {
          await identity.faces.recordHold({ ...hold, reason: 'same_face', matches: verdict.matches });
          work.lastReason = 'kiosk.identity.held';
          this.deps.log.warn({ session, matches: verdict.matches.length, distance: verdict.matches[0]?.distance ?? null }, 'capture held for staff: the face matches another student');
          this.dispatch({ type: 'store-failed', session, code: 'kiosk.identity.held' });
          return;
        }
        if (verdict.kind === 'match') warned = verdict.matches;
      }
      const photo = await this.deps.captures.accept({
        attemptId, studentId: student.id, day, schoolCode: student.schoolCode,
        department: student.department, studentNumber: student.studentNumber, codeText: work.code,
        original: shot.still, deliverable, acceptedAt: at, makeupCertificateId: work.makeupCertificateId ?? null,
        faceDescriptor: face ?? null,
      });
      // Demo mode: the photo is in; the match is only a note on the staff page.
      if (face && identity && warned) {
        await identity.faces.recordHold({ attemptId, sessionId: work.dbSessionId, studentId: student.id, schoolCode: student.schoolCode, day, codeText: work.code, action: 'warn', reason: 'same_face', matches: warned, descriptor: face, photoId: photo.id, at });
      }
      this.deps.log.info({ session, sequence: photo.sequence, day: photo.day }, 'photo stored');
      this.dispatch({ type: 'stored', session, receipt: { sequence: photo.sequence, day: photo.day, photoId: photo.id } });
    } catch (err) {
      work.lastReason = 'kiosk.store.failed';
      this.deps.log.error({ err, session }, 'storing the photo failed');
      this.dispatch({ type: 'store-failed', session, code: 'kiosk.store.failed' });
    }
  }

  /**
   * A live-view frame of the session's pose: measured for the presentation cues at most every
   * LIVE_VIEW_SAMPLE_MS and one at a time (a busy machine skips frames, it never queues them).
   * Returns the measuring work for the caller's effect runner, or null when this frame is skipped.
   */
  sampleLiveView(session: number, frame: PreviewFrame, places: Pick<LiveViewGuides, 'head' | 'crop'>): (() => Promise<void>) | null {
    const inspector = this.deps.identity?.liveView;
    const work = this.work.get(session);
    if (!inspector || !work?.student) return null;
    const lv = (work.liveView ??= { tracker: new LiveViewCueTracker(), busy: false, lastAt: Number.NEGATIVE_INFINITY });
    const now = this.deps.clock.now();
    if (lv.busy || now - lv.lastAt < LIVE_VIEW_SAMPLE_MS) return null;
    lv.busy = true;
    lv.lastAt = now;
    return async () => {
      try {
        lv.tracker.add(await inspector.measure(frame, places));
      } catch (err) {
        // One frame fewer in the cues; the next sample may measure.
        this.deps.log.warn({ err, session }, 'live-view frame not measured');
      } finally {
        lv.busy = false;
      }
    };
  }

  /** The session's live-view cues so far (none without an inspector). */
  private liveViewCues(work: SessionWork, policy: PresentationPolicy): Omit<PresentationCues, 'moire'> {
    const tracker = work.liveView?.tracker;
    if (!tracker) return {};
    const cues = tracker.cues(policy.motionMinSamples);
    this.deps.log.info({ samples: tracker.samples, ...cues }, 'live-view cues');
    return cues;
  }

  /** The shot's face check; a defect in it is logged and the photo is stored unchecked, not lost. */
  private async faceCheck(session: number, report: ValidationReport): Promise<FaceCheck | null> {
    if (!report.faceCheck) return null;
    try {
      const checked = await report.faceCheck();
      this.deps.log.info({ session, ms: checked.ms, moire: checked.presentation.moire }, 'face checked');
      return checked;
    } catch (err) {
      this.deps.log.error({ err, session }, 'face check failed: the photo is stored without identity checks');
      return null;
    }
  }

  /** 信息不符 from the confirm step, for staff; a failure reaches the student as the effect's fault notice. */
  async recordDiscrepancy(session: number, fields: DiscrepancyField[]): Promise<void> {
    const work = this.work.get(session);
    if (!work?.student) throw new Error('discrepancy reported for a session without a student');
    await this.deps.captures.recordDiscrepancy({ studentId: work.student.id, sessionId: work.dbSessionId, fields, at: new Date(this.deps.clock.now()) });
    this.deps.log.info({ session, fields }, 'discrepancy reported');
  }

  async ended(session: number, outcome: SessionOutcome): Promise<void> {
    const work = this.work.get(session);
    this.work.delete(session);
    // A session whose row never got written (its lookup failed or is still running) has nothing to close.
    if (!work || work.dbSessionId === null) return;
    await this.deps.captures.endSession(work.dbSessionId, outcome, new Date(this.deps.clock.now()), outcome === 'stored' ? null : work.lastReason);
  }
}

function reviewSummary(attemptId: number, report: ValidationReport): ReviewSummary {
  const findings = report.checks
    .filter((c) => !c.passed)
    .map((c) => ({ id: c.id, reason: c.reason, severity: c.severity, message: c.message, ...(c.region ? { region: c.region } : {}) }));
  if (report.error) findings.unshift({ id: 'error', reason: report.error.code, severity: 'blocking', message: report.error.message });
  return { attemptId, verdict: report.verdict, findings };
}
