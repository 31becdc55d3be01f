/**
 * What the imaging side measured on one photo, in plain numbers. The checks turn these into
 * verdicts against a profile; nothing here knows about pixels or files.
 * Coordinates are pixels of the oriented original unless a name says otherwise; regions are
 * normalised 0..1 in that frame.
 */
import type { Lab } from './colour.ts';
import type { Rect } from './geometry.ts';

export interface FaceFound {
  score: number;
  /** face box, normalised */
  box: Rect;
  eyeLeft: { x: number; y: number };
  eyeRight: { x: number; y: number };
  /** cheek to cheek, original pixels */
  faceWidth: number;
  faceCentreX: number;
  chinY: number;
  /** top of hair, original pixels; from the background scan, or the mesh forehead when the scan failed */
  hairTopY: number;
  yaw: number;
  pitch: number;
  roll: number;
  /** smaller eye opening / eye-midpoint-to-chin distance (OFIQ's eyes-open measure) */
  eyeOpening: number;
  /** inner-lip gap / eye-midpoint-to-chin distance */
  mouthOpening: number;
}

export interface BackgroundMeasure {
  /** mean colour outside the person */
  lab: Lab;
  /** largest CIEDE2000 between a background patch and the background mean */
  spread: number;
  /** L* of the left minus the right background strip */
  leftRightL: number;
  /** background pixels measured (none when the head fills the frame's top and sides) */
  pixels?: number;
  region: Rect;
}

export interface FaceLight {
  /** mean L* over the face: kept for the record, never judged (how light a face is says the skin tone, not the exposure) */
  lightness: number;
  highlightShare: number;
  shadowShare: number;
  /** luminance entropy in bits */
  entropy: number;
  /** L* of the face's left half minus its right half */
  halvesL: number;
  /** Laplacian variance of the face scaled to a fixed width */
  sharpness: number;
  region: Rect;
}

export interface ClothingMeasure {
  lab: Lab;
  /** share of torso pixels per named hue (only strongly coloured pixels count) */
  hueShare: Record<'blue' | 'yellow', number>;
  region: Rect;
}

/** Exposure of the whole frame, measured on every photo (with or without a face). */
export interface FrameExposure {
  /** mean L* of the frame */
  meanL: number;
  /** share of the frame with every channel at 5 or less (crushed shadows) */
  shadowShare: number;
  /** share of the seated student's zone (middle of the frame, below its top third) with every channel at 250 or more (blown highlights) */
  highlightShare: number;
  /** 99th minus 1st percentile of the luma histogram, in 8-bit levels */
  range: number;
  /** mean colour of the two top corners: the backdrop in the room's framing */
  corners: Lab;
}

export interface PhotoMeasurements {
  imageWidth: number;
  imageHeight: number;
  faces: FaceFound[];
  /** width of the image the landmarks and pixel measurements ran on (the face's size there bounds what can be judged) */
  analysisWidth?: number;
  /** whole-frame exposure; absent only for measurement sets made by hand in tests */
  frame?: FrameExposure;
  /** true when the face was found only on a tone-normalised copy of the frame (the original was too dark or too bright to read) */
  foundOnNormalised?: boolean;
  /** present when exactly one face was found */
  background?: BackgroundMeasure;
  face?: FaceLight;
  clothing?: ClothingMeasure;
}
