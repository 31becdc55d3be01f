/** Calibration settings when the configuration says nothing (config/default.yaml `calibration` repeats them). */
import { defaultTargets } from '../../domain/calibration/figures.ts';
import { defaultDriftTolerance } from '../../domain/calibration/profile.ts';
import type { CalibrationSettings } from './calibration.ts';

export const defaultCalibrationSettings: CalibrationSettings = {
  targets: defaultTargets,
  limits: {
    // Below 5 % a lamp flickers; 100 % is the dimmer's top.
    light: { min: 5, max: 100 },
    // ISO 400 is still clean on a studio body; f/5.6-f/11 keeps the face sharp from ear to nose.
    iso: ['100', '200', '400'],
    aperture: ['f/5.6', 'f/8', 'f/11'],
    shutter: ['1/125'],
    // The studio lamps are flash-coloured.
    whiteBalance: 'Flash',
    // The figure: a room within reach converges in 8 shots.
    maxShots: 8,
  },
  drift: defaultDriftTolerance,
  // The kiosk's head guide (kiosk-ui/src/screens/pose.tsx): ellipse centre 0.5/0.45, radii 0.15/0.13.
  guide: { x: 0.35, y: 0.32, w: 0.3, h: 0.26 },
  settleMs: 2000,
  validateEachStep: true,
  greyCard: null,
};
