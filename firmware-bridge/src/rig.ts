/**
 * The Rig port: the capture room's lights and readiness sensors as the controller sees them (the
 * board running our firmware in the room; the simulated rig on a laptop and in tests). Types only.
 *
 * Failure behaviour, common to every adapter: `readiness()` never throws; a rig that lost its board
 * reports `ready: false` with reason `rig.offline` (a stale report must never let a capture through).
 * Listeners are called after every change, synchronously after the change is applied, and a
 * throwing listener does not stop the others.
 */

/** Light output measured at the subject, relative to the calibrated level (1 = as calibrated). */
export interface LightLevels {
  left: number;
  right: number;
}

/** 就绪报告: whether a photo may be taken now, and if not, the reason codes (texts in the catalogue). */
export interface ReadinessReport {
  ready: boolean;
  reasons: string[];
  door: 'open' | 'closed';
  /** Natural light detected at the window sensor (the room must be dark apart from the studio lights). */
  daylight: boolean;
  lights: LightLevels;
  /** ISO instant of the report. */
  at: string;
  simulated: boolean;
}

/** How far the lights may drift from calibration before capture is refused. */
export interface ReadinessTolerance {
  /** Each light within 1 +- level. */
  level: number;
  /** |left - right| at most this. */
  balance: number;
}

export interface Rig {
  readiness(): ReadinessReport;
  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (report: ReadinessReport) => void): () => void;
  close(): Promise<void>;
}

/** What the staff side can change on a simulated rig (the technician's test panel). */
export interface SimulatedRigControls {
  setDoor(door: 'open' | 'closed'): void;
  setDaylight(daylight: boolean): void;
  setLights(levels: Partial<LightLevels>): void;
}
