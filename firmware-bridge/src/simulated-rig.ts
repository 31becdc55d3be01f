/**
 * The simulated rig: a room with a door, a window sensor, a seat and two studio lights, all
 * settable from the staff side (SimulatedRigControls). Starts ready: door closed, dark, lights as
 * calibrated. Scenes switch at once (no ramp to wait for); the channel levels follow the scene.
 */
import { DeviceError, type DriverChoice } from '../../controller/src/app/ports/device.ts';
import { defaultCalibration, sceneLevels, sceneLux, type LightCalibration, type LightChannelName, type SceneName } from '../../controller/src/domain/lighting.ts';
import type { LightLevels, ReadinessReport, ReadinessTolerance, Reading, Rig, RigReadings, SceneLights, SimulatedRigControls } from './rig.ts';

export const defaultTolerance: ReadinessTolerance = { level: 0.1, balance: 0.1 };

/** The readiness rules, shared by every adapter: one place decides what "ready" means. */
export function assessReadiness(
  room: { door: 'open' | 'closed'; daylight: boolean; lights: LightLevels; online: boolean },
  tolerance: ReadinessTolerance = defaultTolerance,
): string[] {
  if (!room.online) return ['rig.offline'];
  const reasons: string[] = [];
  if (room.door === 'open') reasons.push('rig.door_open');
  if (room.daylight) reasons.push('rig.daylight');
  const { left, right } = room.lights;
  if (left < 1 - tolerance.level || right < 1 - tolerance.level) reasons.push('rig.lights_low');
  if (left > 1 + tolerance.level || right > 1 + tolerance.level) reasons.push('rig.lights_high');
  if (Math.abs(left - right) > tolerance.balance) reasons.push('rig.lights_unbalanced');
  return reasons;
}

export class SimulatedRig implements Rig, SimulatedRigControls, SceneLights {
  readonly choice: DriverChoice = { driver: 'simulated', simulated: true, reason: 'configured' };
  private door: 'open' | 'closed' = 'closed';
  private daylight = false;
  private lights: LightLevels = { left: 1, right: 1 };
  private online = true;
  private activeScene: SceneName = 'standby';
  private sceneAt: number;
  private seat: Reading<'occupied' | 'empty'>;
  private boardC: Reading<number>;
  private readonly listeners = new Set<(r: ReadinessReport) => void>();

  constructor(
    private readonly tolerance: ReadinessTolerance = defaultTolerance,
    private readonly now: () => Date = () => new Date(),
    private readonly calibration: LightCalibration = defaultCalibration,
  ) {
    const t = this.now().getTime();
    this.sceneAt = t;
    this.seat = { value: 'empty', at: t };
    this.boardC = { value: 30, at: t };
  }

  readiness(): ReadinessReport {
    const reasons = assessReadiness({ door: this.door, daylight: this.daylight, lights: this.lights, online: this.online }, this.tolerance);
    return {
      ready: reasons.length === 0, reasons, door: this.door, daylight: this.daylight, lights: { ...this.lights },
      at: this.now().toISOString(), simulated: true, scene: this.activeScene, settling: false,
    };
  }

  /** Switches the scene at once (the simulated lamps need no ramp); refused while the board is "away". */
  async scene(name: SceneName): Promise<void> {
    const changed = name !== this.activeScene;
    this.activeScene = name; // kept while offline, as a board is lit for it once back
    if (changed) this.sceneAt = this.now().getTime();
    if (!this.online) throw new DeviceError('rig.offline', true, 'the simulated board is offline');
    if (changed) this.emit();
  }

  /** The readings a board would give: channel levels of the scene in force, the subject lit as calibrated times the lamps' output. */
  readings(): RigReadings {
    const at = this.now().getTime();
    const lights: RigReadings['lights'] = {};
    if (this.online) {
      for (const [ch, v] of Object.entries(sceneLevels(this.calibration, this.activeScene)) as Array<[LightChannelName, number]>) lights[ch] = { value: v, at: this.sceneAt };
    }
    const lux = sceneLux(this.calibration, this.activeScene) * (this.lights.left + this.lights.right) / 2;
    return {
      subjectLux: this.online ? { value: Math.round(lux), at } : null,
      door: this.online ? { value: this.door, at } : null,
      daylightRaw: this.online ? { value: this.daylight ? 520 : 20, at } : null,
      lights,
      seat: this.online ? { ...this.seat } : null,
      boardTemperatureC: this.online ? { ...this.boardC } : null,
    };
  }

  /** No firmware runs behind the simulated rig. */
  health(): null {
    return null;
  }

  /** Test handle: someone sits down or gets up. */
  setSeat(seat: 'occupied' | 'empty'): void {
    this.seat = { value: seat, at: this.now().getTime() };
  }

  /** Test handle: the board warms up or cools down. */
  setBoardTemperature(c: number): void {
    this.boardC = { value: c, at: this.now().getTime() };
  }

  /** Mean light on the subject: what the simulated camera exposes with. Daylight adds a little. */
  lightLevel(): number {
    return (this.lights.left + this.lights.right) / 2 + (this.daylight ? 0.15 : 0);
  }

  onChange(listener: (report: ReadinessReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setDoor(door: 'open' | 'closed'): void {
    this.door = door;
    this.emit();
  }

  setDaylight(daylight: boolean): void {
    this.daylight = daylight;
    this.emit();
  }

  setLights(levels: Partial<LightLevels>): void {
    for (const k of ['left', 'right'] as const) {
      const v = levels[k];
      if (v !== undefined) {
        if (!Number.isFinite(v) || v < 0 || v > 2) throw new RangeError(`light level ${k} must be within 0..2, got ${v}`);
        this.lights[k] = v;
      }
    }
    this.emit();
  }

  /** Test handle: the board dropped off (or came back). */
  setOnline(online: boolean): void {
    this.online = online;
    this.emit();
  }

  private emit(): void {
    const report = this.readiness();
    for (const l of [...this.listeners]) {
      try {
        l(report);
      } catch {
        // One listener's failure must not hide the change from the others.
      }
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
