/**
 * The readiness rule (就绪判定): whether the room allows a photo now. Pure: a snapshot of the
 * board's latest readings and a clock in, a verdict with coded reasons out (texts in the message
 * catalogue). Every rig adapter (board, virtual board) is judged by this one rule.
 */

export type ReadinessReason =
  | 'rig.offline'
  | 'rig.stale'
  | 'rig.unknown'
  | 'rig.standby'
  | 'rig.door_open'
  | 'rig.daylight'
  | 'rig.lights_low'
  | 'rig.lights_high';

/** Raw window-sensor counts each percent of studio light adds (spill through the room); the room model uses the same figure. */
export const windowSpillPerPercent = 0.1;

export interface ReadinessLimits {
  /** A report older than this counts as no report: a lost port must show within 1 s. */
  staleAfterMs: number;
  /** Highest acceptable window-sensor reading once the studio lights' spill is taken off. */
  daylightMax: number;
  /** How far (fraction) the subject illuminance may sit from the scene's calibrated value. */
  lightTolerance: number;
}

export const defaultReadinessLimits: ReadinessLimits = {
  // The board reports every sampling interval (19 ms) and answers a status poll every 250 ms: 1 s is four missed polls.
  staleAfterMs: 1000,
  daylightMax: 120,
  // The standard asks for even light; 10 % is what a technician can see on the histogram.
  lightTolerance: 0.1,
};

export interface RoomSnapshot {
  /** Epoch ms now. */
  now: number;
  connected: boolean;
  /** Epoch ms of the board's last message; null before the first. */
  lastReportAt: number | null;
  /** The firmware dropped the lights to standby because the host went silent. */
  standby: boolean;
  door: 'open' | 'closed' | null;
  /** Window-sensor counts, with the lights as they are now. */
  daylightRaw: number | null;
  /** Sum of the studio channels' percent as the board drives them (for the spill compensation). */
  studioPercent: number;
  /** Illuminance at the subject, and what the active scene's calibration expects. */
  subjectLux: number | null;
  targetLux: number;
  /**
   * While the lights ramp from one scene to another (and until a reading taken after the ramp):
   * the lowest and highest target they are coming from. Any level between those and the new
   * target is then not a reason.
   */
  settlingFrom?: { low: number; high: number } | null;
}

export interface ReadinessVerdict {
  ready: boolean;
  reasons: ReadinessReason[];
}

/** Daylight at the window with the studio lights' spill taken off (so it need not be measured with the lights off). */
export function compensatedDaylight(raw: number, studioPercent: number): number {
  return raw - studioPercent * windowSpillPerPercent;
}

export function assessRoom(s: RoomSnapshot, limits: ReadinessLimits = defaultReadinessLimits): ReadinessVerdict {
  if (!s.connected) return { ready: false, reasons: ['rig.offline'] };
  if (s.lastReportAt === null) return { ready: false, reasons: ['rig.unknown'] };
  if (s.now - s.lastReportAt > limits.staleAfterMs) return { ready: false, reasons: ['rig.stale'] };
  const reasons: ReadinessReason[] = [];
  const unknown = (): void => {
    if (!reasons.includes('rig.unknown')) reasons.push('rig.unknown');
  };
  if (s.standby) reasons.push('rig.standby');
  if (s.door === null) unknown();
  else if (s.door === 'open') reasons.push('rig.door_open');
  if (s.daylightRaw === null) unknown();
  else if (compensatedDaylight(s.daylightRaw, s.studioPercent) > limits.daylightMax) reasons.push('rig.daylight');
  const low = Math.min(s.settlingFrom?.low ?? s.targetLux, s.targetLux);
  const high = Math.max(s.settlingFrom?.high ?? s.targetLux, s.targetLux);
  if (s.subjectLux === null) unknown();
  else if (s.subjectLux < low * (1 - limits.lightTolerance)) reasons.push('rig.lights_low');
  else if (s.subjectLux > high * (1 + limits.lightTolerance)) reasons.push('rig.lights_high');
  return { ready: reasons.length === 0, reasons };
}
