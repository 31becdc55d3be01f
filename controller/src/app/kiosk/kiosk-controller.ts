/**
 * The kiosk controller: owns the one capture session, feeds events into the pure state machine
 * (domain/capture-session.ts) and performs the effects it asks for with the real parts (camera,
 * rig, imaging engine, store). Every change is published to subscribers (the SSE stream); preview
 * frames are fanned out while the machine is in a preview state.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PreviewFrame } from '../ports/camera.ts';
import { isCameraError } from '../ports/camera-error.ts';
import { isDeviceError, type DeviceDrivers, type DeviceStatus } from '../ports/device.ts';
import { liveViewGuides } from '../../domain/photo/live-view-guides.ts';
import { sceneForState, sceneRampMs } from '../../domain/kiosk-scenes.ts';
import type { SceneName } from '../../domain/lighting.ts';
import {
  initialKioskState,
  nextWakeAt,
  retakesLeft,
  transition,
  type KioskEffect,
  type KioskEvent,
  type CameraReadiness,
  type KioskState,
  type SessionSettings,
  type Transition,
} from '../../domain/capture-session.ts';
import { EffectRunner } from './effect-runner.ts';
import { FanOut } from './fan-out.ts';
import { SessionEffects, type SessionParts } from './session-effects.ts';
import { nodeTimers, WakeTimer, type Clock, type TimerSource } from './wake-timer.ts';
import { kioskView, type KioskView, type ViewSettings } from './kiosk-view.ts';
import { RoomHold, type RoomHoldControl, type RoomHoldState } from './room-hold.ts';

export interface KioskSettings {
  session: SessionSettings;
  profile: string;
  timeZone: string;
  schoolName: string;
  demo: boolean;
  /** Share of the live view's width the deliverable crop covers at the room's framing (default: live-view-guides.ts). */
  liveViewFraming?: number;
}

export type { Clock, TimerSource } from './wake-timer.ts';

export interface KioskControllerDeps extends SessionParts {
  logger: Logger;
  settings: KioskSettings;
  /** Which camera and rig drivers the composition root chose, and why. */
  drivers: DeviceDrivers;
  clock?: Clock;
  /** Node's timers unless a test scripts them (early, late, in bursts). */
  timers?: TimerSource;
  /**
   * Told when a photo's room fault holds the room (the staff and technician alert: the audit log);
   * its failure is logged, never thrown.
   */
  onRoomFault?(state: RoomHoldState): Promise<void>;
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
  'record-discrepancy': 'kiosk.discrepancy.record_failed',
};

export class KioskController {
  private state: KioskState;
  private version = 0;
  private readonly instance = randomUUID();
  private readonly views: FanOut<KioskView>;
  private readonly frames: FanOut<PreviewFrame>;
  private stopPreview: (() => void) | null = null;
  private readonly wake: WakeTimer;
  private readonly sessions: SessionEffects;
  private readonly unsubscribeRig: () => void;
  private readonly unsubscribeCamera: () => void;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly effects: EffectRunner;
  private readonly room: RoomHold;
  /** The light scene last asked of the rig (null before the first). */
  private scene: SceneName | null = null;
  private closed = false;
  private readonly viewSettings: ViewSettings;
  /**
   * The live view died (the body froze or went away). The kiosk keeps saying "camera not connected"
   * until a live view started again delivers a frame: a body that reconnects but still cannot stream
   * must not bring back a blank or frozen picture.
   */
  private liveViewDown = false;
  /** A live view started only to see whether frames flow again (nothing is shown from it). */
  private stopProbe: (() => void) | null = null;

  constructor(private readonly deps: KioskControllerDeps) {
    // The guides come from the profile the validator judges by: a school's overrides move them too.
    const profile = deps.validator.profile(deps.settings.profile);
    if (!profile) throw new Error(`unknown photo profile ${deps.settings.profile}`);
    const { demo, schoolName } = deps.settings;
    this.viewSettings = { demo, schoolName, drivers: deps.drivers, guides: liveViewGuides(profile.thresholds, deps.settings.liveViewFraming) };
    this.clock = deps.clock ?? { now: () => Date.now() };
    this.log = deps.logger.child({ component: 'kiosk' });
    this.effects = new EffectRunner(this.log);
    this.views = new FanOut(this.log, 'state');
    this.frames = new FanOut(this.log, 'preview');
    // The rig as the session sees it: the sensors' readiness plus a room fault found in a photo.
    this.room = new RoomHold(deps.rig, (err) => this.log.error({ err }, 'readiness listener failed'));
    const holdRoom = (reasons: string[], attemptId: number) => this.holdRoom(reasons, attemptId);
    this.sessions = new SessionEffects({ ...deps, rig: this.room, clock: this.clock, log: this.log, holdRoom }, (event) => this.dispatch(event));
    this.wake = new WakeTimer(this.clock, deps.timers ?? nodeTimers, () => this.dispatch({ type: 'tick' }));
    const r = this.room.readiness();
    this.state = initialKioskState(this.clock.now(), { ready: r.ready, reasons: r.reasons }, cameraReadiness(deps.camera.status));
    this.unsubscribeRig = this.room.onChange((report) => {
      // A report can change in what the machine does not hold (the scene, settling): no event then.
      const held = this.state.rig;
      if (report.ready === held.ready && report.reasons.length === held.reasons.length && report.reasons.every((r, i) => r === held.reasons[i])) return;
      this.dispatch({ type: 'rig', readiness: { ready: report.ready, reasons: report.reasons } });
    });
    this.unsubscribeCamera = deps.camera.onStatus((e) => {
      const camera = cameraReadiness(e.status, e.code);
      if (camera.connected && this.liveViewDown && !this.state.camera.connected && previewing(this.state.name)) {
        this.probeLiveView();
        return;
      }
      if (camera.connected) this.liveViewDown = false;
      if (camera.connected !== this.state.camera.connected) this.dispatch({ type: 'camera', camera });
    });
    this.light(sceneForState(this.state.name));
  }

  get settings(): KioskSettings {
    return this.deps.settings;
  }

  /** The hold a photo's room fault puts on capture, for the staff side (see, release). */
  get roomHold(): RoomHoldControl {
    return this.room;
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
    const student = this.state.session ? this.sessions.student(this.state.session.id) : null;
    return kioskView(this.state, this.clock.now(), this.version, this.instance, this.viewSettings, retakesLeft(this.state, this.deps.settings.session), student);
  }

  subscribe(listener: (view: KioskView) => void): () => void {
    return this.views.subscribe(listener);
  }

  /** Live view frames while the student poses; nothing flows in other states. */
  subscribePreview(listener: (frame: PreviewFrame) => void): () => void {
    return this.frames.subscribe(listener);
  }

  /** The photo under review: the deliverable when it passed, else the engine's preview of the original (regions refer to it). */
  reviewImage(kind: 'deliverable' | 'original'): Buffer | null {
    const s = this.state.session;
    if (this.state.name !== 'review' || !s?.review) return null;
    const shot = this.sessions.shot(s.id, s.review.attemptId);
    if (!shot) return null;
    return kind === 'deliverable' ? shot.report.deliverable?.jpeg ?? null : shot.report.preview ?? null;
  }

  /** Applies one event; the transition tells the caller (the API) whether it was refused and why. */
  dispatch(event: KioskEvent): Transition {
    const now = this.clock.now();
    const t = transition(this.state, event, now, this.deps.settings.session);
    const changed = t.state !== this.state;
    const left = this.state;
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
    if (changed && left.name !== t.state.name) this.light(sceneForState(t.state.name));
    if (left.name === 'capture' && t.state.name !== 'capture' && left.session) this.sessions.abandonCapture(left.session.id);
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

  private holdRoom(reasons: string[], attemptId: number): void {
    if (!this.room.hold(reasons, new Date(this.clock.now()), attemptId)) return;
    const state = this.room.state();
    this.log.warn({ reasons, attemptId }, 'a photo found a room fault: capture held until staff release it');
    const alert = this.deps.onRoomFault;
    if (alert && state) alert(state).catch((err: unknown) => this.log.error({ err }, 'could not raise the room-fault alert'));
  }

  private publish(): void {
    this.views.publish(this.view());
  }

  /**
   * Asks the rig for the scene of the state just entered, as an effect: the machine never waits for
   * the lights. A board that is away is not the session's failure: the rig lights the scene in
   * force when it is back, and readiness already says `rig.offline`.
   */
  private light(name: SceneName): void {
    const lights = this.deps.lights;
    if (!lights || this.closed || name === this.scene) return;
    this.scene = name;
    this.effects.run({ effect: 'scene', scene: name }, async () => {
      try {
        await lights.scene(name, sceneRampMs[name]);
      } catch (err) {
        if (!isDeviceError(err) || !err.transient) throw err;
        this.log.warn({ scene: name, code: err.code }, 'light scene not applied: the rig is away');
      }
    }, () => undefined);
  }

  private perform(effect: KioskEffect): void {
    const session = 'session' in effect ? effect.session : undefined;
    this.effects.run({ effect: effect.type, ...(session === undefined ? {} : { session }) }, () => this.run(effect), () => {
      if (session !== undefined) {
        this.sessions.remember(session, faultCodes[effect.type]);
        this.dispatch({ type: 'fault', session, code: faultCodes[effect.type] });
      }
    });
  }

  private async run(effect: KioskEffect): Promise<void> {
    switch (effect.type) {
      case 'lookup':
        return this.sessions.lookup(effect.session, effect.code);
      case 'start-preview':
        this.stopPreview?.();
        this.stopPreview = null;
        this.stopPreview = this.deps.camera.preview(
          (frame) => {
            this.frames.publish(frame);
            this.sampleLiveView(frame);
          },
          (err) => {
            this.log.warn({ err }, 'preview stopped');
            // A live view that died shows "camera not connected", never its last frame frozen.
            if (isCameraError(err) && err.code === 'camera.disconnected') {
              this.liveViewDown = true;
              this.dispatch({ type: 'camera', camera: { connected: false, code: err.code } });
            }
          },
        );
        return;
      case 'stop-preview':
        this.stopPreview?.();
        this.stopPreview = null;
        return;
      case 'capture':
        return this.sessions.capture(effect.session);
      case 'validate':
        return this.sessions.validate(effect.session, effect.attempt);
      case 'store':
        return this.sessions.store(effect.session, effect.attemptId);
      case 'session-ended':
        return this.sessions.ended(effect.session, effect.outcome);
      case 'record-discrepancy':
        return this.sessions.recordDiscrepancy(effect.session, effect.fields);
    }
  }

  /** Hands a live-view frame of the student's pose to the presentation cues (sampled, never queued). */
  private sampleLiveView(frame: PreviewFrame): void {
    const session = this.state.session?.id;
    if (session === undefined || this.closed || !previewing(this.state.name)) return;
    const measure = this.sessions.sampleLiveView(session, frame, this.viewSettings.guides);
    // A frame that cannot be measured only leaves the cues with one sample fewer.
    if (measure) this.effects.run({ effect: 'live-view-cues', session }, measure, () => undefined);
  }

  /** After a dead live view, the camera is back: connected for the kiosk once a frame comes through. */
  private probeLiveView(): void {
    if (this.stopProbe || this.closed) return;
    const end = (): void => {
      const stop = this.stopProbe;
      this.stopProbe = null;
      stop?.();
    };
    try {
      this.stopProbe = this.deps.camera.preview(
        () => {
          end();
          this.liveViewDown = false;
          if (!this.closed && !this.state.camera.connected) this.dispatch({ type: 'camera', camera: { connected: true, code: null } });
        },
        (err) => {
          // Still no live view: stay "not connected"; the next reconnect tries again.
          end();
          this.log.warn({ err }, 'live view did not come back');
        },
      );
    } catch (err) {
      this.stopProbe = null;
      this.log.warn({ err }, 'live view did not come back');
    }
  }

  /** Stops the wake and the preview, then waits for every effect, including any started meanwhile. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopProbe?.();
    this.stopProbe = null;
    this.wake.stop();
    this.unsubscribeRig();
    await this.room.close();
    this.unsubscribeCamera();
    this.stopPreview?.();
    this.stopPreview = null;
    this.views.clear();
    this.frames.clear();
    await this.effects.drain();
  }
}

/** States whose screen shows the live view. */
function previewing(name: KioskState['name']): boolean {
  return name === 'pose' || name === 'countdown';
}

/** The camera's connection status as the session machine needs it. */
function cameraReadiness(status: DeviceStatus, code?: string): CameraReadiness {
  const connected = status === 'connected' || status === 'busy';
  return { connected, code: connected ? null : code ?? 'camera.disconnected' };
}
