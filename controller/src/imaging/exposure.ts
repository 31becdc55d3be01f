/**
 * Whole-frame exposure, measured on every photo whether or not a face is found: clipped shadows over
 * the frame, clipped highlights where the seated student is, the tonal range, and the backdrop's
 * colour in the top corners (the room's own reference: its colour and light are fixed). A frame the
 * detector cannot read is then reported as what it is (the lights) rather than as "no face".
 */
import { lightness, rgbToLab } from '../domain/photo/colour.ts';
import type { FrameExposure } from '../domain/photo/measurements.ts';
import { CLIP_HIGH, CLIP_LOW, REGION, type Raster } from './measure.ts';
import { histogramLevel } from './histogram.ts';

/** Range percentiles: 1 % at either end ignores specular glints and the darkest folds of clothing. */
const RANGE_TAIL = 0.01;
/** Every second pixel of every second row: 50,000 samples of a 512 px frame are plenty for shares and means, at a quarter of the cost. */
const STEP = 2;

export function frameExposure(img: Raster): FrameExposure {
  const { width: w, height: h, pixels } = img;
  const hist = new Uint32Array(256);
  const sx0 = Math.round(w * REGION.subjectX[0]);
  const sx1 = Math.round(w * REGION.subjectX[1]);
  const sy0 = Math.round(h * REGION.subjectTop);
  const cw = Math.max(1, Math.round(w * REGION.corner));
  const ch = Math.max(1, Math.round(h * REGION.corner));
  let sumL = 0, shadows = 0, highlights = 0, subject = 0;
  let cr = 0, cg = 0, cb = 0, cn = 0;
  let n = 0;
  for (let y = 0; y < h; y += STEP) {
    const inSubjectRows = y >= sy0;
    const inCornerRows = y < ch;
    for (let x = 0; x < w; x += STEP) {
      n++;
      const i = (y * w + x) * 3;
      const r = pixels[i] ?? 0, g = pixels[i + 1] ?? 0, b = pixels[i + 2] ?? 0;
      sumL += lightness(r, g, b);
      const luma = (r * 77 + g * 150 + b * 29) >> 8; // Rec. 601 weights in 8-bit fixed point
      hist[luma] = (hist[luma] ?? 0) + 1;
      if (Math.max(r, g, b) <= CLIP_LOW) shadows++;
      if (inSubjectRows && x >= sx0 && x < sx1) {
        subject++;
        if (Math.min(r, g, b) >= CLIP_HIGH) highlights++;
      }
      if (inCornerRows && (x < cw || x >= w - cw)) {
        cr += r; cg += g; cb += b; cn++;
      }
    }
  }
  const level = (share: number): number => histogramLevel(hist, n, share);
  return {
    meanL: n ? sumL / n : 0,
    shadowShare: n ? shadows / n : 0,
    highlightShare: subject ? highlights / subject : 0,
    range: level(1 - RANGE_TAIL) - level(RANGE_TAIL),
    corners: cn ? rgbToLab(cr / cn, cg / cn, cb / cn) : { L: 0, a: 0, b: 0 },
  };
}
