/**
 * The kiosk controller: owns the one capture session, feeds events into the pure state machine
 * (domain/capture-session.ts) and performs the effects it asks for with the real parts (camera,
 * rig, imaging engine, store). Every change is published to subscribers (the SSE stream); preview
 * frames are fanned out while the machine is in a preview state.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Camera, PreviewFrame } from '../camera/camera.ts';
import type { Rig } from '../../../firmware-bridge/src/rig.ts';
import {
  initialKioskState,
  nextWakeAt,
  retakesLeft,
  transition,
  type KioskEffect,
  type KioskEvent,
  type KioskState,
  type ReviewSummary,
  type SessionSettings,
  type Transition,
} from '../domain/capture-session.ts';
import type { SessionOutcome } from '../domain/capture-session-types.ts';
import { localDate } from '../domain/local-time.ts';
import { EffectRunner } from '../app/kiosk/effect-runner.ts';
import { nodeTimers, WakeTimer, type Clock, type TimerSource } from '../app/kiosk/wake-timer.ts';
import { identityCard } from '../domain/identity-card.ts';
import { maskIdNumber } from '../domain/roster/id-number.ts';
import type { Student } from '../domain/student.ts';
import type { CaptureRepository } from '../store/capture-repository.ts';
import type { EligibilityPolicy, PhotoValidatorPort, StudentDirectory, ValidationReport } from './kiosk-ports.ts';
import { kioskView, type KioskView } from './kiosk-view.ts';

export interface KioskSettings {
  session: SessionSettings;
  profile: string;
  timeZone: string;
  schoolName: string;
  demo: boolean;
}

export type { Clock, TimerSource } from '../app/kiosk/wake-timer.ts';

export interface KioskControllerDeps {
  camera: Camera;
  rig: Rig;
  validator: PhotoValidatorPort;
  directory: StudentDirectory;
  eligibility: EligibilityPolicy;
  captures: CaptureRepository;
  logger: Logger;
  settings: KioskSettings;
  clock?: Clock;
  /** Node's timers unless a test scripts them (early, late, in bursts). */
  timers?: TimerSource;
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
}

/** Which kiosk reason a failed effect shows the student. */
const faultCodes: Record<KioskEffect['type'], string> = {
  lookup: 'kiosk.identify.failed',
  'start-preview': 'kiosk.internal',
  'stop-preview': 'kiosk.internal',
  capture: 'kiosk.camera.failed',
  validate: 'kiosk.validate.failed',
  store: 'kiosk.store.failed',
  'session-ended': 'kiosk.internal',
};

export class KioskController {
  private state: KioskState;
  private version = 0;
  private readonly instance = randomUUID();
  private readonly listeners = new Set<(view: KioskView) => void>();
  private readonly previewListeners = new Set<(frame: PreviewFrame) => void>();
  private stopPreview: (() => void) | null = null;
  private readonly wake: WakeTimer;
  private readonly work = new Map<number, SessionWork>();
  private readonly unsubscribeRig: () => void;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly effects: EffectRunner;
  private closed = false;

  constructor(private readonly deps: KioskControllerDeps) {
    this.clock = deps.clock ?? { now: () => Date.now() };
    this.log = deps.logger.child({ component: 'kiosk' });
    this.effects = new EffectRunner(this.log);
    this.wake = new WakeTimer(this.clock, deps.timers ?? nodeTimers, () => this.dispatch({ type: 'tick' }));
    const r = deps.rig.readiness();
    this.state = initialKioskState(this.clock.now(), { ready: r.ready, reasons: r.reasons });
    this.unsubscribeRig = deps.rig.onChange((report) => this.dispatch({ type: 'rig', readiness: { ready: report.ready, reasons: report.reasons } }));
  }

  get settings(): KioskSettings {
    return this.deps.settings;
  }

  /** The machine's state as it is now (tests and the fault suites read deadlines from it). */
  get current(): KioskState {
    return this.state;
  }

  /** The clock time the next wake is armed for; null when no timed state is pending. */
  get wakeAt(): number | null {
    return this.wake.armedFor;
  }

  view(): KioskView {
    const work = this.state.session ? this.work.get(this.state.session.id) : undefined;
    return kioskView(this.state, this.clock.now(), this.version, this.instance, this.deps.settings, retakesLeft(this.state, this.deps.settings.session), work?.student ?? null);
  }

  subscribe(listener: (view: KioskView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Live view frames while the student poses; nothing flows in other states. */
  subscribePreview(listener: (frame: PreviewFrame) => void): () => void {
    this.previewListeners.add(listener);
    return () => this.previewListeners.delete(listener);
  }

  /** The photo under review: the deliverable when it passed, else the engine's preview of the original (regions refer to it). */
  reviewImage(kind: 'deliverable' | 'original'): Buffer | null {
    const s = this.state.session;
    if (this.state.name !== 'review' || !s?.review) return null;
    const shot = this.work.get(s.id)?.stills.get(s.review.attemptId);
    if (!shot) return null;
    return kind === 'deliverable' ? shot.report.deliverable?.jpeg ?? null : shot.report.preview ?? null;
  }

  /** Applies one event; the transition tells the caller (the API) whether it was refused and why. */
  dispatch(event: KioskEvent): Transition {
    const now = this.clock.now();
    const t = transition(this.state, event, now, this.deps.settings.session);
    const changed = t.state !== this.state;
    if (changed) {
      const from = this.state.name;
      this.state = t.state;
      this.version++;
      if (from !== t.state.name) this.log.info({ from, to: t.state.name, event: event.type, session: t.state.session?.id ?? null }, 'kiosk state');
    }
    // After a tick the wake is armed again whatever it changed: an early tick changes nothing and
    // must not leave a timed state without a wake.
    if (changed || event.type === 'tick') this.wake.arm(this.closed ? null : nextWakeAt(this.state));
    if (changed) this.publish();
    for (const effect of t.effects) this.perform(effect);
    return t;
  }

  /** How many effects are still running (the fault suites wait for the machine to be quiet). */
  get pendingEffects(): number {
    return this.effects.running;
  }

  /** Resolves once every effect has finished (tests, close). */
  settled(): Promise<void> {
    return this.effects.drain();
  }

  private publish(): void {
    const view = this.view();
    for (const l of [...this.listeners]) {
      try {
        l(view);
      } catch (err) {
        this.log.error({ err }, 'state listener failed');
      }
    }
  }

  private perform(effect: KioskEffect): void {
    const session = 'session' in effect ? effect.session : undefined;
    this.effects.run({ effect: effect.type, ...(session === undefined ? {} : { session }) }, () => this.run(effect), () => {
      if (session !== undefined) {
        this.remember(session, faultCodes[effect.type]);
        this.dispatch({ type: 'fault', session, code: faultCodes[effect.type] });
      }
    });
  }

  private remember(session: number, reason: string): void {
    const work = this.work.get(session);
    if (work) work.lastReason = reason;
  }

  private async run(effect: KioskEffect): Promise<void> {
    switch (effect.type) {
      case 'lookup':
        return this.lookup(effect.session, effect.code);
      case 'start-preview':
        this.stopPreview?.();
        this.stopPreview = null;
        this.stopPreview = this.deps.camera.preview(
          (frame) => { for (const l of [...this.previewListeners]) l(frame); },
          (err) => this.log.warn({ err }, 'preview stopped'),
        );
        return;
      case 'stop-preview':
        this.stopPreview?.();
        this.stopPreview = null;
        return;
      case 'capture':
        return this.capture(effect.session);
      case 'validate':
        return this.validate(effect.session, effect.attempt);
      case 'store':
        return this.store(effect.session, effect.attemptId);
      case 'session-ended':
        return this.ended(effect.session, effect.outcome);
    }
  }

  private async lookup(session: number, code: string): Promise<void> {
    const work: SessionWork = { dbSessionId: null, student: null, code, still: null, stills: new Map(), lastReason: null };
    this.work.set(session, work);
    const student = await this.deps.directory.findByCode(code);
    work.student = student;
    const now = new Date(this.clock.now());
    work.dbSessionId = await this.deps.captures.startSession(student?.id ?? null, code, now);
    if (!student) {
      work.lastReason = 'kiosk.identify.unknown-code';
      this.log.info({ session, code: maskIdNumber(code) }, 'code not on roster');
      this.dispatch({ type: 'unknown-code', session });
      return;
    }
    const verdict = await this.deps.eligibility.check(student, now);
    if (!verdict.allowed) work.lastReason = verdict.code;
    this.dispatch({ type: 'identified', session, identity: identityCard(student, this.deps.settings.schoolName), eligibility: verdict });
  }

  private async capture(session: number): Promise<void> {
    const work = this.work.get(session);
    try {
      const still = await this.deps.camera.capture();
      if (work) work.still = still.jpeg;
      this.dispatch({ type: 'captured', session });
    } catch (err) {
      this.log.warn({ err, session }, 'capture failed');
      this.dispatch({ type: 'capture-failed', session, code: 'kiosk.camera.failed' });
    }
  }

  private async validate(session: number, attempt: number): Promise<void> {
    const work = this.work.get(session);
    const still = work?.still;
    if (!work || !still || !work.student || work.dbSessionId === null) return void this.dispatch({ type: 'capture-failed', session, code: 'kiosk.validate.failed' });
    try {
      const report = await this.deps.validator.validate(still, { profile: this.deps.settings.profile });
      const reasons = report.checks.filter((c) => !c.passed && c.severity === 'blocking').map((c) => c.reason);
      if (report.error) reasons.push(report.error.code);
      const attemptId = await this.deps.captures.recordAttempt({
        sessionId: work.dbSessionId, studentId: work.student.id, attemptNo: attempt, takenAt: new Date(this.clock.now()),
        profile: report.profile, verdict: report.verdict, reasons, checks: report.checks, timings: report.timings, original: still,
      });
      work.stills.set(attemptId, { still, report });
      work.still = null;
      if (report.verdict !== 'pass') work.lastReason = reasons[0] ?? null;
      this.log.info({ session, attempt, verdict: report.verdict, reasons, ms: report.timings.total ?? null }, 'shot validated');
      this.dispatch({ type: 'validated', session, review: reviewSummary(attemptId, report) });
    } catch (err) {
      this.log.error({ err, session }, 'validation failed');
      this.dispatch({ type: 'capture-failed', session, code: 'kiosk.validate.failed' });
    }
  }

  private async store(session: number, attemptId: number): Promise<void> {
    const work = this.work.get(session);
    const shot = work?.stills.get(attemptId);
    const student = work?.student;
    const deliverable = shot?.report.deliverable?.jpeg;
    if (!work || !shot || !student || !deliverable) return void this.dispatch({ type: 'store-failed', session, code: 'kiosk.store.failed' });
    try {
      const at = new Date(this.clock.now());
      const photo = await this.deps.captures.accept({
        attemptId, studentId: student.id, day: localDate(at, this.deps.settings.timeZone), schoolCode: student.schoolCode,
        department: student.department, studentNumber: student.studentNumber, codeText: work.code,
        original: shot.still, deliverable, acceptedAt: at,
      });
      this.log.info({ session, sequence: photo.sequence, day: photo.day }, 'photo stored');
      this.dispatch({ type: 'stored', session, receipt: { sequence: photo.sequence, day: photo.day, photoId: photo.id } });
    } catch (err) {
      work.lastReason = 'kiosk.store.failed';
      this.log.error({ err, session }, 'storing the photo failed');
      this.dispatch({ type: 'store-failed', session, code: 'kiosk.store.failed' });
    }
  }

  private async ended(session: number, outcome: SessionOutcome): Promise<void> {
    const work = this.work.get(session);
    this.work.delete(session);
    // A session whose row never got written (its lookup failed or is still running) has nothing to close.
    if (!work || work.dbSessionId === null) return;
    await this.deps.captures.endSession(work.dbSessionId, outcome, new Date(this.clock.now()), outcome === 'stored' ? null : work.lastReason);
  }

  /** Stops the wake and the preview, then waits for every effect, including any started meanwhile. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake.stop();
    this.unsubscribeRig();
    this.stopPreview?.();
    this.stopPreview = null;
    this.listeners.clear();
    this.previewListeners.clear();
    await this.effects.drain();
  }
}

function reviewSummary(attemptId: number, report: ValidationReport): ReviewSummary {
  const findings = report.checks
    .filter((c) => !c.passed)
    .map((c) => ({ id: c.id, reason: c.reason, severity: c.severity, message: c.message, ...(c.region ? { region: c.region } : {}) }));
  if (report.error) findings.unshift({ id: 'error', reason: report.error.code, severity: 'blocking', message: report.error.message });
  return { attemptId, verdict: report.verdict, findings };
}
