/**
 * The capture session state machine (one student at the kiosk): events and the clock in, the next
 * state and the effects out. The controller performs the effects (lookups, camera, validation,
 * storage) and feeds their answers back as events tagged with the session number, so an answer that
 * arrives after the session timed out or was cancelled is ignored rather than applied to the next
 * student.
 */
import type {
  KioskEffect,
  KioskEvent,
  KioskState,
  KioskStateName,
  Notice,
  Refusal,
  RigReadiness,
  CameraReadiness,
  SessionContext,
  SessionOutcome,
  SessionSettings,
  Transition,
} from './capture-session-types.ts';
import type { DiscrepancyField } from './discrepancy.ts';

export * from './capture-session-types.ts';

/** Reason codes the machine itself produces (texts in messages/kiosk.ts). */
export const sessionCodes = {
  busy: 'kiosk.session.busy',
  notNow: 'kiosk.event.not_now',
  emptyCode: 'kiosk.scan.empty',
  unknownCode: 'kiosk.identify.unknown_code',
  rigNotReady: 'kiosk.rig.not_ready',
  acceptFailed: 'kiosk.accept.failed_photo',
  retakesUsed: 'kiosk.retake.limit',
  storing: 'kiosk.store.in_progress',
  discrepancyEmpty: 'kiosk.discrepancy.none_picked',
  cameraBack: 'kiosk.camera.back',
} as const;

/** States in which the live preview runs. */
const previewStates: ReadonlySet<KioskStateName> = new Set(['pose', 'countdown']);

export function initialKioskState(now: number, rig: RigReadiness = { ready: false, reasons: ['rig.unknown'] }, camera: CameraReadiness = { connected: true, code: null }): KioskState {
  return { name: 'idle', enteredAt: now, deadline: null, countdownEndsAt: null, session: null, notice: null, rig, camera, lastSessionId: 0 };
}

/** The earliest clock time at which a `tick` can change the state; null when only events can. */
export function nextWakeAt(state: KioskState): number | null {
  const times = [state.deadline, state.countdownEndsAt].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

/** Scanned or typed text as the lookup wants it: NFKC (full-width digits), no spaces, upper-case check letter. */
export function normaliseScannedCode(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

export function transition(state: KioskState, event: KioskEvent, now: number, settings: SessionSettings): Transition {
  const t = new Step(state, now, settings);
  t.apply(event);
  return t.result();
}

/** Builds one transition; keeps the per-event handlers short. */
class Step {
  private next: KioskState;
  private readonly effects: KioskEffect[] = [];
  private refusal: Refusal | null = null;

  constructor(private readonly prev: KioskState, private readonly now: number, private readonly settings: SessionSettings) {
    this.next = prev;
  }

  result(): Transition {
    const wasPreview = previewStates.has(this.prev.name);
    const isPreview = previewStates.has(this.next.name);
    if (!wasPreview && isPreview) this.effects.unshift({ type: 'start-preview' });
    if (wasPreview && !isPreview) this.effects.unshift({ type: 'stop-preview' });
    return { state: this.next, effects: this.effects, refusal: this.refusal };
  }

  private enter(name: KioskStateName, patch: Partial<KioskState> = {}): void {
    let deadline = name === 'idle' ? null : this.now + this.settings.timeoutsMs[name];
    const started = (patch.session ?? this.next.session)?.startedAt;
    // Saving and the receipt are exempt from the session cap: cutting them off would hide a stored photo.
    if (deadline !== null && this.settings.sessionMs !== undefined && started !== undefined && name !== 'store' && name !== 'receipt') {
      deadline = Math.min(deadline, started + this.settings.sessionMs);
    }
    this.next = { ...this.next, name, enteredAt: this.now, deadline, countdownEndsAt: null, notice: null, ...patch };
  }

  private refuse(refusal: Refusal, notice = false): void {
    this.refusal = refusal;
    if (notice) this.next = { ...this.next, notice: refusal as Notice };
  }

  private end(outcome: SessionOutcome): void {
    const s = this.prev.session;
    if (s) this.effects.push({ type: 'session-ended', session: s.id, outcome, state: this.prev.name });
    this.enter('idle', { session: null });
  }

  private patchSession(patch: Partial<SessionContext>): SessionContext {
    const s = this.next.session;
    if (!s) throw new Error('no session');
    return { ...s, ...patch };
  }

  /** Answers from effects carry the session number; stale ones (or ones for another state) are dropped. */
  private current(session: number, ...states: KioskStateName[]): boolean {
    return this.prev.session?.id === session && states.includes(this.prev.name);
  }

  apply(e: KioskEvent): void {
    const s = this.prev.session;
    switch (e.type) {
      case 'tick':
        return this.tick();
      case 'rig':
        this.next = { ...this.next, rig: e.readiness };
        if (this.prev.name === 'countdown' && !e.readiness.ready) {
          // The room changed under the countdown (door opened, daylight): never fire into a bad room.
          this.enter('pose', { rig: e.readiness, notice: { code: sessionCodes.rigNotReady, reasons: e.readiness.reasons } });
        }
        return;
      case 'camera': {
        this.next = { ...this.next, camera: e.camera };
        if (!e.camera.connected && (this.prev.name === 'countdown' || this.prev.name === 'pose')) {
          // Never a frozen live view or a shutter into nothing: back to pose with the reason shown.
          this.enter('pose', { camera: e.camera, notice: { code: cameraCode(e.camera) } });
        } else if (e.camera.connected && !this.prev.camera.connected && this.prev.name === 'pose') {
          // Back again: the live view ended with the loss, so it starts anew. The loss notice gives way to one
          // that says to press again, so a student whose press took no photo is not left at a silent pose.
          this.enter('pose', { camera: e.camera, notice: { code: sessionCodes.cameraBack } });
          this.effects.push({ type: 'start-preview' });
        }
        return;
      }
      case 'scan': {
        if (this.prev.name !== 'idle') return this.refuse({ code: sessionCodes.busy });
        const code = normaliseScannedCode(e.code);
        if (!code) return this.refuse({ code: sessionCodes.emptyCode });
        const id = this.prev.lastSessionId + 1;
        const session: SessionContext = { id, code, startedAt: this.now, identity: null, eligibility: null, attempts: 0, review: null, receipt: null };
        this.enter('identify', { session, lastSessionId: id });
        this.effects.push({ type: 'lookup', session: id, code });
        return;
      }
      case 'identified':
        if (!this.current(e.session, 'identify')) return;
        this.enter('confirm', { session: this.patchSession({ identity: e.identity, eligibility: e.eligibility }) });
        return;
      case 'unknown-code':
        if (!this.current(e.session, 'identify')) return;
        this.enter('refused', { notice: { code: sessionCodes.unknownCode } });
        return;
      case 'confirm':
        return this.confirm();
      case 'report-discrepancy':
        return this.reportDiscrepancy(e.fields);
      case 'capture':
        return this.capture();
      case 'captured':
        if (!this.current(e.session, 'capture')) return;
        this.enter('validate');
        this.effects.push({ type: 'validate', session: e.session, attempt: s?.attempts ?? 0 });
        return;
      case 'capture-failed':
        if (!this.current(e.session, 'capture', 'validate')) return;
        this.enter('pose', { notice: { code: e.code } });
        return;
      case 'validated':
        if (!this.current(e.session, 'validate')) return;
        this.enter('review', { session: this.patchSession({ review: e.review }) });
        return;
      case 'accept':
        return this.accept();
      case 'retake':
        return this.retake();
      case 'stored':
        if (!this.current(e.session, 'store')) return;
        this.enter('receipt', { session: this.patchSession({ receipt: e.receipt }) });
        return;
      case 'store-failed':
        if (!this.current(e.session, 'store')) return;
        this.enter('see-staff', { notice: { code: e.code } });
        return;
      case 'fault':
        return this.fault(e.session, e.code);
      case 'cancel':
        if (this.prev.name === 'idle') return this.refuse({ code: sessionCodes.notNow });
        if (this.prev.name === 'store') return this.refuse({ code: sessionCodes.storing });
        return this.end(this.prev.name === 'receipt' ? 'stored' : this.prev.name === 'refused' ? 'refused' : this.prev.name === 'see-staff' ? 'see-staff' : 'cancelled');
    }
  }

  private tick(): void {
    const p = this.prev;
    if (p.deadline !== null && this.now >= p.deadline) {
      const outcome: SessionOutcome = p.name === 'receipt' ? 'stored' : p.name === 'refused' ? 'refused' : p.name === 'see-staff' ? 'see-staff' : 'timeout';
      return this.end(outcome);
    }
    if (p.name === 'countdown' && p.countdownEndsAt !== null && this.now >= p.countdownEndsAt) {
      if (!p.rig.ready) {
        this.enter('pose', { notice: { code: sessionCodes.rigNotReady, reasons: p.rig.reasons } });
        return;
      }
      const attempt = (p.session?.attempts ?? 0) + 1;
      this.enter('capture', { session: this.patchSession({ attempts: attempt, review: null }) });
      this.effects.push({ type: 'capture', session: p.session?.id ?? 0, attempt });
    }
  }

  /** Where a failed effect leaves the student: told why, and never stuck on a waiting screen. */
  private fault(session: number, code: string): void {
    if (this.prev.session?.id !== session) return;
    switch (this.prev.name) {
      case 'identify':
        return this.enter('refused', { notice: { code } });
      case 'countdown':
      case 'capture':
      case 'validate':
        return this.enter('pose', { notice: { code } });
      case 'store':
        return this.enter('see-staff', { notice: { code } });
      case 'idle':
        return;
      default:
        // The screen stays; the student sees the notice and the state's own timeout still runs.
        this.next = { ...this.next, notice: { code } };
    }
  }

  private confirm(): void {
    const p = this.prev;
    if (p.name === 'confirm') {
      const verdict = p.session?.eligibility;
      if (verdict && verdict.allowed) return this.enter('dress');
      const notice: Notice = verdict && !verdict.allowed ? { code: verdict.code, ...(verdict.params ? { params: verdict.params } : {}) } : { code: sessionCodes.unknownCode };
      return this.enter('refused', { notice });
    }
    if (p.name === 'dress') return this.enter('pose');
    if (p.name === 'receipt') return this.end('stored');
    this.refuse({ code: sessionCodes.notNow });
  }

  /** Only on the confirm screen, with at least one field: recorded for staff, then on as "these are my details". */
  private reportDiscrepancy(fields: DiscrepancyField[]): void {
    const p = this.prev;
    if (p.name !== 'confirm' || !p.session) return this.refuse({ code: sessionCodes.notNow });
    if (fields.length === 0) return this.refuse({ code: sessionCodes.discrepancyEmpty });
    this.effects.push({ type: 'record-discrepancy', session: p.session.id, fields });
    this.confirm();
  }

  private capture(): void {
    const p = this.prev;
    if (p.name !== 'pose') return this.refuse({ code: sessionCodes.notNow });
    if (!p.rig.ready) return this.refuse({ code: sessionCodes.rigNotReady, reasons: p.rig.reasons }, true);
    if (!p.camera.connected) return this.refuse({ code: cameraCode(p.camera) }, true);
    this.enter('countdown', { countdownEndsAt: this.now + this.settings.countdownMs });
  }

  private accept(): void {
    const p = this.prev;
    if (p.name !== 'review' || !p.session?.review) return this.refuse({ code: sessionCodes.notNow });
    if (p.session.review.verdict !== 'pass') return this.refuse({ code: sessionCodes.acceptFailed }, true);
    this.enter('store');
    this.effects.push({ type: 'store', session: p.session.id, attemptId: p.session.review.attemptId });
  }

  private retake(): void {
    const p = this.prev;
    if (p.name !== 'review' || !p.session) return this.refuse({ code: sessionCodes.notNow });
    if (p.session.attempts > this.settings.retakeLimit) {
      return this.enter('see-staff', { notice: { code: sessionCodes.retakesUsed, params: { limit: this.settings.retakeLimit } } });
    }
    this.enter('pose', { session: this.patchSession({ review: null }) });
  }
}

/** The kiosk reason for a camera that cannot shoot. */
function cameraCode(camera: CameraReadiness): string {
  return camera.code ? `kiosk.${camera.code}` : 'kiosk.camera.disconnected';
}

/** Retakes still allowed in this session. */
export function retakesLeft(state: KioskState, settings: SessionSettings): number {
  const attempts = state.session?.attempts ?? 0;
  return Math.max(0, settings.retakeLimit + 1 - attempts);
}
