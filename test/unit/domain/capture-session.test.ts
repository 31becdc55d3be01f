import { describe, expect, it } from 'vitest';
import {
  initialKioskState,
  kioskStateNames,
  nextWakeAt,
  normaliseScannedCode,
  retakesLeft,
  sessionCodes,
  transition,
  type IdentityCard,
  type KioskEvent,
  type KioskState,
  type ReviewSummary,
  type RigReadiness,
  type SessionSettings,
  type Transition,
} from '../../../controller/src/domain/capture-session.ts';

const timeouts = {
  identify: 5_000, confirm: 60_000, refused: 20_000, dress: 60_000, pose: 90_000, countdown: 10_000, capture: 15_000,
  validate: 15_000, review: 90_000, store: 30_000, receipt: 30_000, 'see-staff': 60_000,
} as const;
const settings: SessionSettings = { retakeLimit: 2, countdownMs: 3_000, timeoutsMs: { ...timeouts } };
const ready: RigReadiness = { ready: true, reasons: [] };
const identity: IdentityCard = {
  studentId: 7, name: '林晓文', gender: 'F', birthDate: '2003-04-05', major: '软件工程', department: '计算机学院',
  className: '软工2101', schoolCode: '10000', schoolName: '演示大学', maskedIdNumber: '110101********123X',
};
const pass = (attemptId: number): ReviewSummary => ({ attemptId, verdict: 'pass', findings: [] });
const fail = (attemptId: number): ReviewSummary => ({
  attemptId, verdict: 'fail',
  findings: [{ id: 'pose.roll', reason: 'photo.pose.roll', severity: 'blocking', message: { zh: '头歪', en: 'Head tilted' }, region: { x: 0.3, y: 0.2, w: 0.4, h: 0.4 } }],
});

/** A kiosk driven by a fake clock: every step asserts nothing by itself; tests look at what comes back. */
class Harness {
  now = 1_000_000;
  state: KioskState;
  last!: Transition;
  constructor(rig = ready) {
    this.state = initialKioskState(this.now, rig);
  }
  send(e: KioskEvent): Transition {
    this.last = transition(this.state, e, this.now, settings);
    this.state = this.last.state;
    return this.last;
  }
  advance(ms: number): Transition {
    this.now += ms;
    return this.send({ type: 'tick' });
  }
  get sid(): number {
    return this.state.session?.id ?? -1;
  }
  toConfirm(allowed = true): void {
    this.send({ type: 'scan', code: ' 110101200304051234 ' });
    this.send({ type: 'identified', session: this.sid, identity, eligibility: allowed ? { allowed: true } : { allowed: false, code: 'eligibility.before_slot', params: { start: '14:00' } } });
  }
  toPose(): void {
    this.toConfirm();
    this.send({ type: 'confirm' });
    this.send({ type: 'confirm' });
  }
  shoot(review: (id: number) => ReviewSummary, attemptId = 1): void {
    this.send({ type: 'capture' });
    this.advance(settings.countdownMs);
    this.send({ type: 'captured', session: this.sid });
    this.send({ type: 'validated', session: this.sid, review: review(attemptId) });
  }
}

describe('capture session: the happy path', () => {
  it('goes idle -> identify -> confirm -> dress -> pose -> countdown -> capture -> validate -> review -> store -> receipt -> idle', () => {
    const h = new Harness();
    const names: string[] = [h.state.name];
    const effects: string[] = [];
    const step = (t: Transition): void => {
      names.push(t.state.name);
      effects.push(...t.effects.map((e) => e.type));
      expect(t.refusal).toBeNull();
    };
    step(h.send({ type: 'scan', code: '１１０１０１２００３０４０５１２３x' }));
    expect(h.last.effects).toContainEqual({ type: 'lookup', session: 1, code: '11010120030405123X' });
    step(h.send({ type: 'identified', session: 1, identity, eligibility: { allowed: true } }));
    expect(h.state.session?.identity?.name).toBe('林晓文');
    step(h.send({ type: 'confirm' }));
    step(h.send({ type: 'confirm' }));
    step(h.send({ type: 'capture' }));
    expect(h.state.countdownEndsAt).toBe(h.now + settings.countdownMs);
    step(h.advance(settings.countdownMs - 1));
    step(h.advance(1));
    expect(h.last.effects).toContainEqual({ type: 'capture', session: 1, attempt: 1 });
    step(h.send({ type: 'captured', session: 1 }));
    expect(h.last.effects).toContainEqual({ type: 'validate', session: 1, attempt: 1 });
    step(h.send({ type: 'validated', session: 1, review: pass(41) }));
    step(h.send({ type: 'accept' }));
    expect(h.last.effects).toContainEqual({ type: 'store', session: 1, attemptId: 41 });
    step(h.send({ type: 'stored', session: 1, receipt: { sequence: 12, day: '2026-11-28', photoId: 3 } }));
    expect(h.state.session?.receipt?.sequence).toBe(12);
    step(h.send({ type: 'confirm' }));
    expect(names).toEqual(['idle', 'identify', 'confirm', 'dress', 'pose', 'countdown', 'countdown', 'capture', 'validate', 'review', 'store', 'receipt', 'idle']);
    expect(effects).toEqual(['lookup', 'start-preview', 'stop-preview', 'capture', 'validate', 'store', 'session-ended']);
    expect(h.state.session).toBeNull();
  });

  it('numbers sessions and normalises scanned codes', () => {
    const h = new Harness();
    h.send({ type: 'scan', code: 'A1' });
    h.send({ type: 'cancel' });
    h.send({ type: 'scan', code: 'a 2' });
    expect(h.state.session).toMatchObject({ id: 2, code: 'A2' });
    expect(normaliseScannedCode('\t１２ｘ\n')).toBe('12X');
  });
});

describe('capture session: refusals', () => {
  it('refuses a second scan while a student is in session (one session at a time)', () => {
    const h = new Harness();
    h.toConfirm();
    const before = h.state;
    const t = h.send({ type: 'scan', code: '999' });
    expect(t.refusal?.code).toBe(sessionCodes.busy);
    expect(t.state).toBe(before);
    expect(t.effects).toEqual([]);
  });

  it('refuses an empty scan', () => {
    const h = new Harness();
    expect(h.send({ type: 'scan', code: ' \n' }).refusal?.code).toBe(sessionCodes.emptyCode);
    expect(h.state.name).toBe('idle');
  });

  it('shows "not on roster" for an unknown code', () => {
    const h = new Harness();
    h.send({ type: 'scan', code: 'NOPE' });
    h.send({ type: 'unknown-code', session: h.sid });
    expect(h.state.name).toBe('refused');
    expect(h.state.notice?.code).toBe(sessionCodes.unknownCode);
  });

  it('shows the eligibility reason with its parameters after the student confirms', () => {
    const h = new Harness();
    h.toConfirm(false);
    h.send({ type: 'confirm' });
    expect(h.state.name).toBe('refused');
    expect(h.state.notice).toEqual({ code: 'eligibility.before_slot', params: { start: '14:00' } });
    const t = h.send({ type: 'cancel' });
    expect(t.effects).toContainEqual({ type: 'session-ended', session: 1, outcome: 'refused', state: 'refused' });
  });

  it('refuses capture while the rig is not ready, naming the reasons, and stays in pose', () => {
    const h = new Harness({ ready: false, reasons: ['rig.door_open', 'rig.daylight'] });
    h.toPose();
    const t = h.send({ type: 'capture' });
    expect(t.refusal).toEqual({ code: sessionCodes.rigNotReady, reasons: ['rig.door_open', 'rig.daylight'] });
    expect(t.state.name).toBe('pose');
    expect(t.state.notice?.reasons).toEqual(['rig.door_open', 'rig.daylight']);
    h.send({ type: 'rig', readiness: ready });
    expect(h.send({ type: 'capture' }).state.name).toBe('countdown');
  });

  it('aborts the countdown when the room stops being ready', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'capture' });
    const t = h.send({ type: 'rig', readiness: { ready: false, reasons: ['rig.door_open'] } });
    expect(t.state.name).toBe('pose');
    expect(t.state.notice).toEqual({ code: sessionCodes.rigNotReady, reasons: ['rig.door_open'] });
    expect(t.effects).toEqual([]);
    h.advance(settings.countdownMs);
    expect(h.state.name).toBe('pose');
  });

  it('does not fire when the countdown ends in a room that is not ready', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'capture' });
    // A readiness report can only arrive as an event; forge a state where it changed without one.
    h.state = { ...h.state, rig: { ready: false, reasons: ['rig.lights_low'] } };
    const t = h.advance(settings.countdownMs);
    expect(t.state.name).toBe('pose');
    expect(t.effects.some((e) => e.type === 'capture')).toBe(false);
  });

  it('refuses to accept a failing photo', () => {
    const h = new Harness();
    h.toPose();
    h.shoot(fail);
    const t = h.send({ type: 'accept' });
    expect(t.refusal?.code).toBe(sessionCodes.acceptFailed);
    expect(t.state.name).toBe('review');
    expect(t.effects).toEqual([]);
  });

  it('refuses cancel while the photo is being stored, and in idle', () => {
    const h = new Harness();
    expect(h.send({ type: 'cancel' }).refusal?.code).toBe(sessionCodes.notNow);
    h.toPose();
    h.shoot(pass);
    h.send({ type: 'accept' });
    expect(h.send({ type: 'cancel' }).refusal?.code).toBe(sessionCodes.storing);
    expect(h.state.name).toBe('store');
  });

  it('refuses every command in a state that does not take it', () => {
    const commands: KioskEvent[] = [{ type: 'confirm' }, { type: 'capture' }, { type: 'accept' }, { type: 'retake' }];
    const takes: Record<string, string[]> = { confirm: ['confirm', 'dress', 'receipt'], capture: ['pose'], accept: ['review'], retake: ['review'] };
    const reach = reachEveryState();
    for (const [name, state] of Object.entries(reach)) {
      for (const c of commands) {
        const t = transition(state, c, state.enteredAt, settings);
        if (takes[c.type]?.includes(name)) expect(t.refusal?.code, `${c.type} in ${name}`).not.toBe(sessionCodes.notNow);
        else expect(t.refusal?.code, `${c.type} in ${name}`).toBe(sessionCodes.notNow);
      }
    }
  });
});

describe('capture session: retakes', () => {
  it('allows retakeLimit retakes and then sends the student to staff', () => {
    const h = new Harness();
    h.toPose();
    for (let i = 1; i <= settings.retakeLimit + 1; i++) {
      h.shoot(fail, i);
      expect(h.state.session?.attempts).toBe(i);
      expect(retakesLeft(h.state, settings)).toBe(settings.retakeLimit + 1 - i);
      h.send({ type: 'retake' });
      if (i <= settings.retakeLimit) expect(h.state.name).toBe('pose');
    }
    expect(h.state.name).toBe('see-staff');
    expect(h.state.notice).toEqual({ code: sessionCodes.retakesUsed, params: { limit: 2 } });
  });

  it('lets a student retake a passing photo too, and accept the later one', () => {
    const h = new Harness();
    h.toPose();
    h.shoot(pass, 1);
    h.send({ type: 'retake' });
    expect(h.state.session?.review).toBeNull();
    h.shoot(pass, 2);
    h.send({ type: 'accept' });
    expect(h.last.effects).toContainEqual({ type: 'store', session: 1, attemptId: 2 });
  });

  it('returns to pose with the camera reason when a capture fails', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'capture' });
    h.advance(settings.countdownMs);
    const t = h.send({ type: 'capture-failed', session: h.sid, code: 'kiosk.camera.failed' });
    expect(t.state.name).toBe('pose');
    expect(t.state.notice?.code).toBe('kiosk.camera.failed');
    expect(t.effects).toContainEqual({ type: 'start-preview' });
  });

  it('sends the student to staff when storing fails', () => {
    const h = new Harness();
    h.toPose();
    h.shoot(pass);
    h.send({ type: 'accept' });
    h.send({ type: 'store-failed', session: h.sid, code: 'kiosk.store.failed' });
    expect(h.state.name).toBe('see-staff');
    expect(h.state.notice?.code).toBe('kiosk.store.failed');
  });
});

/** One state of each name, reached through events only. */
function reachEveryState(): Record<string, KioskState> {
  const out: Record<string, KioskState> = {};
  const h = new Harness();
  const keep = (): void => void (out[h.state.name] ??= h.state);
  keep();
  h.send({ type: 'scan', code: 'X1' }); keep();
  h.send({ type: 'unknown-code', session: h.sid }); keep();
  h.send({ type: 'cancel' });
  h.toConfirm(); keep();
  h.send({ type: 'confirm' }); keep();
  h.send({ type: 'confirm' }); keep();
  h.send({ type: 'capture' }); keep();
  h.advance(settings.countdownMs); keep();
  h.send({ type: 'captured', session: h.sid }); keep();
  h.send({ type: 'validated', session: h.sid, review: pass(1) }); keep();
  h.send({ type: 'accept' }); keep();
  h.send({ type: 'stored', session: h.sid, receipt: { sequence: 1, day: 'd', photoId: 1 } }); keep();
  h.send({ type: 'confirm' });
  h.toPose();
  for (let i = 0; i <= settings.retakeLimit; i++) {
    h.shoot(fail);
    h.send({ type: 'retake' });
  }
  keep();
  return out;
}

describe('capture session: timeouts', () => {
  const reach = reachEveryState();
  it('reaches every state in the list', () => {
    expect(Object.keys(reach).sort()).toEqual([...kioskStateNames].sort());
  });

  for (const name of kioskStateNames.filter((n) => n !== 'idle')) {
    it(`${name} falls back to idle after its timeout, not before`, () => {
      const state = reach[name];
      if (!state) throw new Error(`state ${name} not reached`);
      const limit = settings.timeoutsMs[name];
      expect(state.deadline).toBe(state.enteredAt + limit);
      const early = transition(state, { type: 'tick' }, state.enteredAt + limit - 1, settings);
      // The countdown legitimately moves on before its own timeout; everything else stays put.
      if (name !== 'countdown') expect(early.state).toBe(state);
      const late = transition(state, { type: 'tick' }, state.enteredAt + limit, settings);
      expect(late.state.name).toBe('idle');
      expect(late.state.session).toBeNull();
      const ended = late.effects.find((e) => e.type === 'session-ended');
      const expected = name === 'receipt' ? 'stored' : name === 'refused' ? 'refused' : name === 'see-staff' ? 'see-staff' : 'timeout';
      expect(ended).toMatchObject({ type: 'session-ended', outcome: expected, state: name });
      if (name === 'pose' || name === 'countdown') expect(late.effects).toContainEqual({ type: 'stop-preview' });
    });
  }

  it('idle never times out', () => {
    const s = initialKioskState(0, ready);
    expect(nextWakeAt(s)).toBeNull();
    expect(transition(s, { type: 'tick' }, 10 ** 12, settings).state).toBe(s);
  });

  it('wakes at the countdown end before the countdown timeout', () => {
    const s = reach.countdown;
    if (!s) throw new Error('no countdown');
    expect(nextWakeAt(s)).toBe(s.enteredAt + settings.countdownMs);
  });

  it('ignores answers that arrive after their session timed out', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'capture' });
    h.advance(settings.countdownMs);
    const old = h.sid;
    h.advance(settings.timeoutsMs.capture);
    expect(h.state.name).toBe('idle');
    h.send({ type: 'scan', code: 'NEXT' });
    const before = h.state;
    for (const e of [
      { type: 'captured', session: old },
      { type: 'validated', session: old, review: pass(1) },
      { type: 'identified', session: old, identity, eligibility: { allowed: true } },
      { type: 'unknown-code', session: old },
      { type: 'stored', session: old, receipt: { sequence: 1, day: 'd', photoId: 1 } },
      { type: 'store-failed', session: old, code: 'x' },
      { type: 'capture-failed', session: old, code: 'x' },
    ] as KioskEvent[]) {
      const t = h.send(e);
      expect(t.state, e.type).toBe(before);
      expect(t.effects).toEqual([]);
    }
  });
});

describe('capture session: whole-session limit', () => {
  const capped: SessionSettings = { ...settings, sessionMs: 100_000 };
  it('cuts a session that moves from screen to screen past the cap, but not while saving or on the receipt', () => {
    let now = 0;
    let s = initialKioskState(now, ready);
    const send = (e: KioskEvent): void => void (s = transition(s, e, now, capped).state);
    send({ type: 'scan', code: 'A1' });
    send({ type: 'identified', session: 1, identity, eligibility: { allowed: true } });
    now = 50_000;
    send({ type: 'confirm' });
    expect(s.name).toBe('dress');
    expect(s.deadline).toBe(100_000);
    now = 90_000;
    send({ type: 'confirm' });
    expect(s.deadline).toBe(100_000);
    send({ type: 'capture' });
    now = 90_000 + settings.countdownMs;
    send({ type: 'tick' });
    send({ type: 'captured', session: 1 });
    send({ type: 'validated', session: 1, review: pass(1) });
    send({ type: 'accept' });
    expect(s.name).toBe('store');
    expect(s.deadline).toBe(now + settings.timeoutsMs.store);
    send({ type: 'stored', session: 1, receipt: { sequence: 1, day: 'd', photoId: 1 } });
    expect(s.deadline).toBe(now + settings.timeoutsMs.receipt);
  });

  it('falls back to idle at the cap', () => {
    let s = initialKioskState(0, ready);
    s = transition(s, { type: 'scan', code: 'A1' }, 0, { ...capped, sessionMs: 1_000 }).state;
    expect(s.deadline).toBe(1_000);
    expect(transition(s, { type: 'tick' }, 1_000, capped).state.name).toBe('idle');
  });
});

describe('capture session: a failed effect', () => {
  it('refuses the scan with the fault code when the lookup failed', () => {
    const h = new Harness();
    h.send({ type: 'scan', code: 'A1' });
    h.send({ type: 'fault', session: h.sid, code: 'kiosk.identify.failed' });
    expect(h.state.name).toBe('refused');
    expect(h.state.notice?.code).toBe('kiosk.identify.failed');
    expect(h.state.deadline).not.toBeNull();
  });

  it('sends the student back to pose when shooting failed, and to staff when storing failed', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'capture' });
    h.advance(settings.countdownMs);
    expect(h.state.name).toBe('capture');
    h.send({ type: 'fault', session: h.sid, code: 'kiosk.camera.failed' });
    expect(h.state.name).toBe('pose');
    expect(h.state.notice?.code).toBe('kiosk.camera.failed');
    h.send({ type: 'capture' });
    h.advance(settings.countdownMs);
    h.send({ type: 'captured', session: h.sid });
    h.send({ type: 'validated', session: h.sid, review: pass(1) });
    h.send({ type: 'accept' });
    h.send({ type: 'fault', session: h.sid, code: 'kiosk.store.failed' });
    expect(h.state.name).toBe('see-staff');
  });

  it('ignores a fault of an earlier session and keeps a waiting screen with the notice', () => {
    const h = new Harness();
    h.toConfirm();
    const before = h.state;
    h.send({ type: 'fault', session: h.sid + 1, code: 'kiosk.internal' });
    expect(h.state).toBe(before);
    h.send({ type: 'fault', session: h.sid, code: 'kiosk.internal' });
    expect(h.state.name).toBe('confirm');
    expect(h.state.notice?.code).toBe('kiosk.internal');
    expect(h.state.deadline).toBe(before.deadline);
  });
});

describe('capture session: the camera comes and goes', () => {
  const lost = { connected: false, code: 'camera.disconnected' };
  const back = { connected: true, code: null };

  it('a camera lost while posing keeps the student at pose with the reason and refuses the shutter', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'camera', camera: lost });
    expect(h.state.name).toBe('pose');
    expect(h.state.notice?.code).toBe('kiosk.camera.disconnected');
    const t = h.send({ type: 'capture' });
    expect(t.refusal?.code).toBe('kiosk.camera.disconnected');
    expect(h.state.name).toBe('pose');
  });

  it('a camera lost during the countdown stops it before the shutter', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'capture' });
    expect(h.state.name).toBe('countdown');
    h.send({ type: 'camera', camera: { connected: false, code: 'camera.timeout' } });
    expect(h.state.name).toBe('pose');
    expect(h.state.notice?.code).toBe('kiosk.camera.timeout');
    expect(h.advance(settings.countdownMs).effects.some((e) => e.type === 'capture')).toBe(false);
  });

  it('the camera back at pose restarts the live view and the shutter works again', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'camera', camera: lost });
    const t = h.send({ type: 'camera', camera: back });
    expect(t.effects).toContainEqual({ type: 'start-preview' });
    expect(h.state.name).toBe('pose');
    // The loss notice gives way to "press again", which stays until the press.
    expect(h.state.notice?.code).toBe('kiosk.camera.back');
    h.advance(1000);
    expect(h.state.notice?.code).toBe('kiosk.camera.back');
    expect(h.send({ type: 'capture' }).refusal).toBeNull();
    expect(h.state.name).toBe('countdown');
    expect(h.state.notice).toBeNull();
  });

  it('a camera lost in the countdown and back at pose tells the student to press again', () => {
    const h = new Harness();
    h.toPose();
    h.send({ type: 'capture' });
    h.send({ type: 'camera', camera: lost });
    expect(h.state.notice?.code).toBe('kiosk.camera.disconnected');
    h.send({ type: 'camera', camera: back });
    expect(h.state.name).toBe('pose');
    expect(h.state.notice?.code).toBe('kiosk.camera.back');
  });

  it('a camera lost while idle only changes what the next student will see', () => {
    const h = new Harness();
    const t = h.send({ type: 'camera', camera: lost });
    expect(h.state.name).toBe('idle');
    expect(t.effects).toEqual([]);
    expect(h.state.camera.connected).toBe(false);
  });
});
