/**
 * The simulated rig: a room with a door, a window sensor and two studio lights, all settable from
 * the staff side (SimulatedRigControls). Starts ready: door closed, dark, lights as calibrated.
 */
import type { DriverChoice } from '../../controller/src/app/ports/device.ts';
import type { LightLevels, ReadinessReport, ReadinessTolerance, Rig, SimulatedRigControls } from './rig.ts';

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

export class SimulatedRig implements Rig, SimulatedRigControls {
  readonly choice: DriverChoice = { driver: 'simulated', simulated: true, reason: 'configured' };
  private door: 'open' | 'closed' = 'closed';
  private daylight = false;
  private lights: LightLevels = { left: 1, right: 1 };
  private online = true;
  private readonly listeners = new Set<(r: ReadinessReport) => void>();

  constructor(private readonly tolerance: ReadinessTolerance = defaultTolerance, private readonly now: () => Date = () => new Date()) {}

  readiness(): ReadinessReport {
    const reasons = assessReadiness({ door: this.door, daylight: this.daylight, lights: this.lights, online: this.online }, this.tolerance);
    return {
      ready: reasons.length === 0, reasons, door: this.door, daylight: this.daylight, lights: { ...this.lights },
      at: this.now().toISOString(), simulated: true,
    };
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
