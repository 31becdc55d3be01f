/**
 * Which light scene each kiosk state wants (灯光场景): standby while nobody is being served,
 * modelling light from the moment a student starts until they leave, full light for the still.
 * Pure: a state name in, a scene and its ramp out.
 */
import type { KioskStateName } from './capture-session-types.ts';
import type { SceneName } from './lighting.ts';

const sceneByState: Record<KioskStateName, SceneName> = {
  idle: 'standby',
  // From the scan on the student sits in front of the camera: modelling light lets them (and the
  // live view) see how they are lit without being dazzled.
  identify: 'modelling',
  confirm: 'modelling',
  refused: 'modelling',
  dress: 'modelling',
  pose: 'modelling',
  // The lights rise during the countdown so that they have settled when the shutter fires.
  countdown: 'full',
  capture: 'full',
  validate: 'modelling',
  review: 'modelling',
  store: 'modelling',
  receipt: 'modelling',
  'see-staff': 'modelling',
};

export function sceneForState(state: KioskStateName): SceneName {
  return sceneByState[state];
}

/**
 * Ramp (ms) into each scene: soft start and stop for the lamps and for the student's eyes. The rise
 * to full is shorter than the shortest countdown a school would set (1 s), so it is over by the shutter.
 */
export const sceneRampMs: Record<SceneName, number> = {
  standby: 1500,
  modelling: 600,
  full: 400,
};

/**
 * How long the shutter waits for the lights to settle on the still's scene (the ramp, the board's
 * confirmation of the levels, then one subject measurement begun after it: about 1 s) before it
 * judges the room as it is.
 */
export const settleBeforeShutterMs = 3000;
