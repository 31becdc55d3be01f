/**
 * The light falling on the subject and the backdrop, as a camera would see it, relative to the
 * reference room (1 = as the demo subject's portrait was lit under the default calibration). The
 * virtual room computes it from its light channels and daylight; the simulated camera renders with
 * it. Linear light, not pixel values.
 */
export interface SceneLighting {
  /** Camera-left and camera-right half of the face (the key light stands at camera left). */
  subject: { left: number; right: number };
  /** Backdrop at its left edge, centre and right edge. */
  backdrop: { left: number; centre: number; right: number };
}

/** Sides of the frame each studio channel mainly lights: how a morning check names what drifted. */
export const channelSide = { key: 'left', fill: 'right', background: 'backdrop' } as const;
