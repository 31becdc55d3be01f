/**
 * Where the kiosk draws its live-view guides: the deliverable's bands, the very limits the validator
 * crops and judges by (geometry.ts planCrop: head top, eye line, face width, centring), mapped into
 * the live view. The student who puts hair, eyes and face inside them gives the validator a head
 * that a crop can land inside every band.
 *
 * The live view is shown as a 3:4 window of the camera frame (cropped, never stretched). At the room's
 * framing (the student at the marked distance) a deliverable crop with the face at mid-band covers
 * `framing` of that window's width; the guides place it centred in the window. All results are
 * fractions of the window (0..1 from its top-left corner), so the UI scales them to any canvas.
 */
import { DELIVERABLE_HEIGHT, DELIVERABLE_WIDTH } from './geometry.ts';
import type { PhotoThresholds } from './profiles.ts';

export interface Band {
  from: number;
  to: number;
}

export interface LiveViewGuides {
  /** Where the deliverable is cut from the window, at the room's framing. */
  crop: { x: number; y: number; w: number; h: number };
  /** The band the top of the hair must fall in (head.top). */
  hairTop: Band;
  /** The band the eyes must fall in (eyes.line). */
  eyeLine: Band;
  /** Face width, cheek to cheek (face.width), as fractions of the window's width. */
  faceWidth: Band;
  /** How far the face centre may sit from the middle (face.centred), as a fraction of the window's width. */
  centreTolerance: number;
  /** The head outline: from mid hair band to the chin, as wide as a mid-band face. */
  head: { cx: number; cy: number; rx: number; ry: number };
}

/**
 * Share of the live view's width a well-placed deliverable crop covers, unless the room says otherwise.
 * Measured on the simulated camera (the demo subject's face about 205 px wide in a 1200 px frame):
 * with the face at mid-band (240 of 480 px) the crop is 410 px, about 0.35 of the frame.
 */
export const DEFAULT_LIVE_VIEW_FRAMING = 0.35;

/**
 * The eye line sits about half-way between the top of the hair and the chin on an adult head (the
 * classic head proportions): the chin is drawn as far below the eyes as the hair top is above them.
 */
const CHIN_BELOW_EYES_PER_HAIR_ABOVE = 1;

const round = (v: number): number => Math.round(v * 10_000) / 10_000;

export function liveViewGuides(t: PhotoThresholds, framing = DEFAULT_LIVE_VIEW_FRAMING): LiveViewGuides {
  if (!(framing > 0 && framing <= 1)) throw new RangeError(`live-view framing ${framing} is not in (0, 1]`);
  const x0 = (1 - framing) / 2;
  const y0 = (1 - framing) / 2;
  const y = (px: number): number => round(y0 + (px / DELIVERABLE_HEIGHT) * framing);
  const w = (px: number): number => round((px / DELIVERABLE_WIDTH) * framing);
  const hairMid = (t.headTopMin.value + t.headTopMax.value) / 2;
  const eyeMid = (t.eyeLineMin.value + t.eyeLineMax.value) / 2;
  const faceMid = (t.faceWidthMin.value + t.faceWidthMax.value) / 2;
  const chin = eyeMid + (eyeMid - hairMid) * CHIN_BELOW_EYES_PER_HAIR_ABOVE;
  return {
    crop: { x: round(x0), y: round(y0), w: round(framing), h: round(framing) },
    hairTop: { from: y(t.headTopMin.value), to: y(t.headTopMax.value) },
    eyeLine: { from: y(t.eyeLineMin.value), to: y(t.eyeLineMax.value) },
    faceWidth: { from: w(t.faceWidthMin.value), to: w(t.faceWidthMax.value) },
    centreTolerance: w(t.centreTolerance.value),
    head: { cx: 0.5, cy: round((y(hairMid) + y(chin)) / 2), rx: round(w(faceMid) / 2), ry: round((y(chin) - y(hairMid)) / 2) },
  };
}

/**
 * The 3:4 window of a live-view frame the kiosk shows (the guides' frame of reference): the largest
 * centred 3:4 region, so a 3:2 frame is cropped at its sides and nothing is ever stretched. In frame
 * pixels.
 */
export function liveViewWindow(frameWidth: number, frameHeight: number): { x: number; y: number; w: number; h: number } {
  const aspect = DELIVERABLE_WIDTH / DELIVERABLE_HEIGHT;
  const w = Math.min(frameWidth, frameHeight * aspect);
  const h = w / aspect;
  return { x: (frameWidth - w) / 2, y: (frameHeight - h) / 2, w, h };
}
