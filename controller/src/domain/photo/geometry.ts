/**
 * Where the deliverable is cut from the camera frame. The standard fixes pixel bands in the 480x640
 * deliverable (hair top, eye line, face width, centring); this finds the crop of the oriented original
 * that lands the head inside them, or says which way the student must move when no crop can.
 */
import type { PhotoThresholds } from './profiles.ts';

export const DELIVERABLE_WIDTH = 480;
export const DELIVERABLE_HEIGHT = 640;

/** The head as measured in the oriented original, in its pixels. */
export interface HeadGeometry {
  imageWidth: number;
  imageHeight: number;
  hairTopY: number;
  eyeY: number;
  faceWidth: number;
  faceCentreX: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Why a band is missed, in the student's terms. Left and right are the student's own. */
export type GeometryAdvice =
  | 'move_closer'
  | 'move_back'
  | 'move_left'
  | 'move_right'
  | 'too_high'
  | 'too_low'
  | 'head_proportion';

export interface CropPlan {
  /** crop in original pixels (may be fractional) */
  crop: Rect;
  /** deliverable pixels per original pixel */
  scale: number;
  /** where the head lands in the deliverable */
  hairTop: number;
  eyeLine: number;
  faceWidth: number;
  centreOffset: number;
  advice: {
    hairTop: GeometryAdvice | null;
    eyeLine: GeometryAdvice | null;
    faceWidth: GeometryAdvice | null;
    centre: GeometryAdvice | null;
  };
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** Scale samples per search pass: the margin is piecewise linear in the scale, two passes of 48 find its peak within a hundredth of a pixel. */
const SCALE_SAMPLES = 48;

/**
 * The crop that keeps every measured position as far as possible from the edges of its band (hair
 * top, eye line, face width, centring), so that a few pixels of measurement noise on a compliant
 * portrait cannot flip the verdict. When no crop meets every band, the plan the advice is read from:
 * face width at the middle of its band where the head allows, the rest as close as it gets.
 */
export function planCrop(head: HeadGeometry, t: PhotoThresholds): CropPlan {
  const fw = Math.max(1, head.faceWidth);
  const kFrame = Math.max(DELIVERABLE_WIDTH / head.imageWidth, DELIVERABLE_HEIGHT / head.imageHeight);
  let lo = Math.max(kFrame, t.faceWidthMin.value / fw);
  let hi = Math.min(t.maxUpscale.value, t.faceWidthMax.value / fw);
  if (lo <= hi) {
    let best = placeAt(head, t, lo);
    let bestMargin = scaleMargin(best, t);
    for (let pass = 0; pass < 2; pass++) {
      const step = (hi - lo) / SCALE_SAMPLES;
      let bestK = best.scale;
      for (let i = 0; i <= SCALE_SAMPLES; i++) {
        const plan = placeAt(head, t, lo + step * i);
        const margin = scaleMargin(plan, t);
        if (margin > bestMargin) {
          best = plan;
          bestMargin = margin;
          bestK = plan.scale;
        }
      }
      lo = Math.max(lo, bestK - step);
      hi = Math.min(hi, bestK + step);
    }
    if (planMargin(best, t) >= 0) return best;
  }
  return placeAt(head, t, adviceScale(head, t, kFrame));
}

/** The smallest distance, in deliverable pixels, from a measured position to the edge of its band; negative when one is outside. */
export function planMargin(plan: CropPlan, t: PhotoThresholds): number {
  return Math.min(
    plan.hairTop - t.headTopMin.value, t.headTopMax.value - plan.hairTop,
    plan.eyeLine - t.eyeLineMin.value, t.eyeLineMax.value - plan.eyeLine,
    plan.faceWidth - t.faceWidthMin.value, t.faceWidthMax.value - plan.faceWidth,
    t.centreTolerance.value - Math.abs(plan.centreOffset),
  );
}

/** The margins the scale decides (centring is the horizontal position's, the same at every scale). */
function scaleMargin(plan: CropPlan, t: PhotoThresholds): number {
  return Math.min(
    plan.hairTop - t.headTopMin.value, t.headTopMax.value - plan.hairTop,
    plan.eyeLine - t.eyeLineMin.value, t.eyeLineMax.value - plan.eyeLine,
    plan.faceWidth - t.faceWidthMin.value, t.faceWidthMax.value - plan.faceWidth,
  );
}

/** For a head no crop fits: the scale that says which way to move (face width mid-band where the hair-to-eye gap allows). */
function adviceScale(head: HeadGeometry, t: PhotoThresholds, kFrame: number): number {
  const gap = Math.max(1, head.eyeY - head.hairTopY);
  const fw = Math.max(1, head.faceWidth);
  // Scales at which face width and the hair-to-eye gap both fit their bands.
  const kLo = Math.max(t.faceWidthMin.value / fw, (t.eyeLineMin.value - t.headTopMax.value) / gap);
  const kHi = Math.min(t.faceWidthMax.value / fw, (t.eyeLineMax.value - t.headTopMin.value) / gap);
  const preferred = (t.faceWidthMin.value + t.faceWidthMax.value) / 2 / fw;
  const k = kLo <= kHi ? clamp(preferred, kLo, kHi) : preferred;
  return Math.min(Math.max(k, kFrame), t.maxUpscale.value);
}

/** The crop at scale `k`: vertically in the middle of the positions that keep hair top and eye line in band, face centred. */
function placeAt(head: HeadGeometry, t: PhotoThresholds, k: number): CropPlan {
  const W = DELIVERABLE_WIDTH;
  const H = DELIVERABLE_HEIGHT;
  const fw = Math.max(1, head.faceWidth);
  const cw = W / k;
  const ch = H / k;

  const yLo = Math.max(head.eyeY - t.eyeLineMax.value / k, head.hairTopY - t.headTopMax.value / k);
  const yHi = Math.min(head.eyeY - t.eyeLineMin.value / k, head.hairTopY - t.headTopMin.value / k);
  const eyeMid = (t.eyeLineMin.value + t.eyeLineMax.value) / 2;
  const hairMid = (t.headTopMin.value + t.headTopMax.value) / 2;
  const yIdeal = yLo <= yHi ? (yLo + yHi) / 2 : (head.eyeY - eyeMid / k + head.hairTopY - hairMid / k) / 2;
  const yMax = Math.max(0, head.imageHeight - ch);
  const y0 = clamp(yIdeal, 0, yMax);
  const xIdeal = head.faceCentreX - cw / 2;
  const xMax = Math.max(0, head.imageWidth - cw);
  const x0 = clamp(xIdeal, 0, xMax);

  const hairTop = (head.hairTopY - y0) * k;
  const eyeLine = (head.eyeY - y0) * k;
  const faceWidth = fw * k;
  const centreOffset = (head.faceCentreX - x0) * k - W / 2;

  const vertical = (inBand: boolean): GeometryAdvice | null => {
    if (inBand) return null;
    if (yIdeal < 0) return 'too_high';
    if (yIdeal > yMax) return 'too_low';
    return 'head_proportion';
  };
  const faceAdvice: GeometryAdvice | null =
    faceWidth < t.faceWidthMin.value ? 'move_closer' : faceWidth > t.faceWidthMax.value ? 'move_back' : null;
  // Face left of centre in the image means the student sits to their own right: they move left.
  const centreAdvice: GeometryAdvice | null =
    Math.abs(centreOffset) <= t.centreTolerance.value ? null : centreOffset < 0 ? 'move_left' : 'move_right';
  return {
    crop: { x: x0, y: y0, w: cw, h: ch },
    scale: k,
    hairTop,
    eyeLine,
    faceWidth,
    centreOffset,
    advice: {
      hairTop: vertical(hairTop >= t.headTopMin.value && hairTop <= t.headTopMax.value),
      eyeLine: vertical(eyeLine >= t.eyeLineMin.value && eyeLine <= t.eyeLineMax.value),
      faceWidth: faceAdvice,
      centre: centreAdvice,
    },
  };
}

/** True when the crop puts every band in range, i.e. a deliverable can be rendered from it. */
export function cropIsValid(plan: CropPlan): boolean {
  const a = plan.advice;
  return a.hairTop === null && a.eyeLine === null && a.faceWidth === null && a.centre === null;
}
