/**
 * Studio lighting: the light channels, the calibration a technician stores (levels of the full
 * scene and the illuminance they give at the subject), and the scene for each kiosk state
 * (standby when idle, modelling light while posing, full for the still). Pure data and arithmetic.
 */

export const lightChannels = ['key', 'fill', 'background', 'hair'] as const;
export type LightChannelName = (typeof lightChannels)[number];
/** Percent (0-100) per channel; a channel that is not wired is left out. */
export type LightPercent = Partial<Record<LightChannelName, number>>;

export type SceneName = 'standby' | 'modelling' | 'full';

/** 灯光校准: the full scene's levels and what the subject sensor read under them. */
export interface LightCalibration {
  levels: LightPercent;
  /** Illuminance at the subject (lux) measured under `levels` with the room dark. */
  subjectLux: number;
}

/**
 * Until a technician calibrates: levels that give an even, bright backdrop on our demo room, and
 * the lux the room model gives for them (800, 450, 40 lux per channel at full, see room-model.ts).
 */
export const defaultCalibration: LightCalibration = {
  levels: { key: 80, fill: 60, background: 70 },
  subjectLux: 938,
};

/** Each scene is a fraction of the calibrated levels: the subject is lit the same way, only dimmer. */
export const sceneFraction: Record<SceneName, number> = {
  // Enough to see by, low enough to stay cool and safe when nobody is there (also the firmware's heartbeat standby).
  standby: 0.1,
  // Modelling light: the student sees how they are lit without being dazzled while posing.
  modelling: 0.5,
  full: 1,
};

export function sceneLevels(calibration: LightCalibration, scene: SceneName): LightPercent {
  const out: LightPercent = {};
  for (const ch of lightChannels) {
    const v = calibration.levels[ch];
    if (v !== undefined) out[ch] = v * sceneFraction[scene];
  }
  return out;
}

/** The illuminance the subject sensor should read under a scene, daylight excluded. */
export function sceneLux(calibration: LightCalibration, scene: SceneName): number {
  return calibration.subjectLux * sceneFraction[scene];
}

export function percentToDuty(percent: number): number {
  return Math.round((Math.min(100, Math.max(0, percent)) / 100) * 255);
}

export function dutyToPercent(duty: number): number {
  return (duty / 255) * 100;
}
