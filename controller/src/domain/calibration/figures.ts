/**
 * What a calibration test shot measured (the imaging side fills it in) and the targets a calibrated
 * room meets. Pure data and the target rule; numbers are linear light unless named L* or ΔE.
 */
import type { Lab } from '../photo/colour.ts';
import type { Rect } from '../photo/geometry.ts';

/** Bins of the luminance histogram (64: enough to see clipping and the backdrop's peak). */
export const HISTOGRAM_BINS = 64;

export interface BackgroundFigures {
  /** Mean colour of the backdrop outside the person. */
  lab: Lab;
  /** CIEDE2000 between that mean and the profile's background colour. */
  deltaE: number;
  /** The backdrop's linear red over the profile colour's (1 = exposed as the profile colour; red never clips on light blue). */
  exposure: number;
  /** Heat map: CIEDE2000 of each cell to the profile colour, rows top to bottom; null where the person covers the cell. */
  cells: Array<Array<number | null>>;
  /** Largest CIEDE2000 between a cell and the backdrop mean (the validator's uniformity measure). */
  spread: number;
  /** L* of the left backdrop strip minus the right. */
  leftRightL: number;
}

export interface FaceFigures {
  /** L* of the face's mean luminance. */
  lightness: number;
  /** Mean linear luminance of the camera-left and camera-right half of the face. */
  left: number;
  right: number;
  /** L* of the left half minus the right. */
  halvesL: number;
  /** Where it was measured, normalised (the validator's face box, else the kiosk's head guide). */
  region: Rect;
  /** `validator` when the face detector placed it, `guide` when the kiosk's head guide stood in. */
  placedBy: 'validator' | 'guide';
}

/** A grey card in view: its colour and how far from neutral it is (the white balance error). */
export interface GreyFigures {
  lab: Lab;
  /** Chroma of the card (0 = neutral); a white balance error shows as chroma. */
  chroma: number;
  /** Hue angle of the cast, degrees. */
  hue: number;
}

export interface ShotFigures {
  /** Shares (sum 1) of the frame's pixels per luma bin, dark to light. */
  histogram: number[];
  /** Shares of the frame's pixels at 250+ and at 5 or below. */
  clipped: { high: number; low: number };
  background: BackgroundFigures | null;
  face: FaceFigures;
  grey: GreyFigures | null;
}

/** What a calibrated room gives on the test shot (configuration `calibration.targets`). */
export interface CalibrationTargets {
  /** Largest CIEDE2000 between the backdrop and the profile colour. */
  backgroundDeltaE: number;
  /** Largest backdrop spread (CIEDE2000). */
  backgroundSpread: number;
  /** L* the face should have, and by how much it may miss. */
  faceLightness: number;
  faceTolerance: number;
  /** Largest |L*| between the face's halves. */
  balance: number;
}

export const defaultTargets: CalibrationTargets = {
  // Half the validator's colour tolerance: a calibrated room leaves the kiosk room to spare.
  backgroundDeltaE: 5,
  // The validator refuses at 8; a room set up at 4 stays under it as the lamps age.
  backgroundSpread: 4,
  // The demo subject's face measures L* 73 in the reference room, lit one-sided by the portrait's own key light; evened out, 70.
  faceLightness: 70,
  // 4 L* is about a fifth of a stop: below what a technician can set by eye.
  faceTolerance: 4,
  // The validator refuses at 15; studio portraits with a key light measure about 11.
  balance: 6,
};

export type TargetId = 'background.colour' | 'background.uniformity' | 'face.exposure' | 'face.balance';

export interface TargetResult {
  id: TargetId;
  passed: boolean;
  value: number | null;
  limit: string;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

export function assessTargets(f: ShotFigures, t: CalibrationTargets): TargetResult[] {
  const bg = f.background;
  return [
    { id: 'background.colour', passed: !!bg && bg.deltaE <= t.backgroundDeltaE, value: bg ? r1(bg.deltaE) : null, limit: `ΔE00 <= ${t.backgroundDeltaE}` },
    { id: 'background.uniformity', passed: !!bg && bg.spread <= t.backgroundSpread, value: bg ? r1(bg.spread) : null, limit: `ΔE00 <= ${t.backgroundSpread}` },
    { id: 'face.exposure', passed: Math.abs(f.face.lightness - t.faceLightness) <= t.faceTolerance, value: r1(f.face.lightness), limit: `L* ${t.faceLightness} ± ${t.faceTolerance}` },
    { id: 'face.balance', passed: Math.abs(f.face.halvesL) <= t.balance, value: r1(f.face.halvesL), limit: `|ΔL*| <= ${t.balance}` },
  ];
}

/** Linear luminance Y (0..1) of an L* value. */
export function lightnessToY(L: number): number {
  const f = (L + 16) / 116;
  return f ** 3 > 216 / 24389 ? f ** 3 : (L * 27) / 24389;
}
