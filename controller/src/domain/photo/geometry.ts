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

export function planCrop(head: HeadGeometry, t: PhotoThresholds): CropPlan {
  const W = DELIVERABLE_WIDTH;
  const H = DELIVERABLE_HEIGHT;
  const gap = Math.max(1, head.eyeY - head.hairTopY);
  const fw = Math.max(1, head.faceWidth);
  // Scales at which face width and the hair-to-eye gap both fit their bands.
  const kLo = Math.max(t.faceWidthMin.value / fw, (t.eyeLineMin.value - t.headTopMax.value) / gap);
  const kHi = Math.min(t.faceWidthMax.value / fw, (t.eyeLineMax.value - t.headTopMin.value) / gap);
  const preferred = (t.faceWidthMin.value + t.faceWidthMax.value) / 2 / fw;
  let k = kLo <= kHi ? clamp(preferred, kLo, kHi) : preferred;
  const kFrame = Math.max(W / head.imageWidth, H / head.imageHeight);
  k = Math.max(k, kFrame);
  k = Math.min(k, t.maxUpscale.value);
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
