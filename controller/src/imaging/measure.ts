/**
 * Pixel measurements on the analysis image (about 512 px): background model and person mask, top of
 * hair, background statistics, face light, clothing. Plain loops over RGB buffers: at this size they
 * cost a few milliseconds, less than handing the buffer to another library.
 */
import { deltaE2000, lightness, rgbToLab, type Lab } from '../domain/photo/colour.ts';
import type { BackgroundMeasure, ClothingMeasure, FaceLight } from '../domain/photo/measurements.ts';
import type { FaceGeometry } from './face-geometry.ts';

export interface Raster {
  pixels: Buffer;
  width: number;
  height: number;
}

/** The face in analysis pixels. */
export interface FaceFrame {
  cx: number;
  width: number;
  eyeY: number;
  chinY: number;
  foreheadY: number;
  left: number;
  right: number;
}

export function faceFrame(g: FaceGeometry, scale: number): FaceFrame {
  return {
    cx: g.faceCentreX / scale,
    width: g.faceWidth / scale,
    eyeY: (g.eyeLeft.y + g.eyeRight.y) / 2 / scale,
    chinY: g.chinY / scale,
    foreheadY: g.foreheadY / scale,
    left: (g.faceCentreX - g.faceWidth / 2) / scale,
    right: (g.faceCentreX + g.faceWidth / 2) / scale,
  };
}

/**
 * Where each measurement looks, as shares of the analysis frame or of the face width (the landmark
 * mesh's cheek-to-cheek distance). Not profile limits: they place the regions, the profile judges
 * what is found there. Each carries the one-line reason for its value.
 */
export const REGION = {
  /** CIEDE2000 from the background estimate above which a pixel belongs to the person: above JPEG and sensor noise on a plain backdrop (about 3), below hair or skin against any allowed backdrop (over 25) */
  maskDeltaE: 12,
  /** width of the side strips the backdrop is estimated from, share of the frame width: the room frames head and shoulders in the middle 60 % */
  backdropStrip: 0.08,
  /** the backdrop estimate keeps this many face widths clear of the cheeks: room for hair and ears */
  backdropClearance: 0.5,
  /** the hair top is searched over the middle of the head, this share of a face width either side of its centre: the crown, not the ears or a fringe swept aside */
  hairSearchHalfWidth: 0.3,
  /** background pixels in a row that end the hair, share of the frame height: 3 px at 512, longer than a stray hair gap */
  hairGapRun: 0.006,
  /** hair reaches about a third of a face width beyond the cheeks; 0.8 leaves room for fuller styles before the background statistics begin */
  hairReach: 0.8,
  /** the background band above the head starts this share of the frame height above the hair top: loose strands are not backdrop */
  aboveHairGap: 0.02,
  /** background patches are 1/32 of the long side: big enough to average out noise, small enough to find a stain or a gradient */
  patchesPerSide: 32,
  /** a patch counts when this share of it is background (the rest is the head) */
  patchFill: 0.8,
  /** skin region: inset from the cheeks (share of face width), so the hairline and ears stay out */
  skinInsetX: 0.1,
  /** skin region starts this share of the eye-to-chin distance below the eye line (eye whites and lashes stay out) */
  skinTop: 0.15,
  /** and ends this share above the chin (the jaw shadow stays out) */
  skinBottom: 0.1,
  /** torso: from this many face heights below the chin (the neck stays out) ... */
  torsoTop: 0.45,
  /** ... to this many (still inside the 480x640 deliverable for a face in band) */
  torsoBottom: 1.3,
  /** and this many face widths either side of the face centre (the shoulders, not the arms) */
  torsoHalfWidth: 0.8,
  /** the seated student's zone when no face is known: the middle of the frame's width ... */
  subjectX: [0.3, 0.7] as const,
  /** ... from a third of its height down (the room frames the head in the upper half) */
  subjectTop: 0.3,
  /** when the face fills the width and no side strip is left, the backdrop is estimated from this top band of the frame */
  fallbackBand: 0.05,
  /** the top corners stand for the backdrop in the room's framing: this share of width and height */
  corner: 0.12,
} as const;

/** 8-bit levels treated as clipped: JPEG ringing keeps a blown highlight between 250 and 255, a crushed shadow between 0 and 5. */
export const CLIP_HIGH = 250;
export const CLIP_LOW = 5;
/** CIELAB chroma under which a pixel has no colour worth naming (greys, whites, blacks; skin is about 15-30, a coloured garment over 30). */
export const MIN_NAMED_CHROMA = 25;

/** Colour distances to one reference, cached on a 5-bit-per-channel grid: backgrounds repeat colours. */
function distanceTo(ref: Lab): (r: number, g: number, b: number) => number {
  const cache = new Float32Array(32768).fill(-1);
  return (r, g, b) => {
    const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    let d = cache[key] ?? -1;
    if (d < 0) {
      d = deltaE2000(ref, rgbToLab((r & 0xf8) + 4, (g & 0xf8) + 4, (b & 0xf8) + 4));
      cache[key] = d;
    }
    return d;
  };
}

function meanLab(img: Raster, accept: (x: number, y: number) => boolean, x0: number, y0: number, x1: number, y1: number): { lab: Lab; n: number } {
  let r = 0, g = 0, b = 0, n = 0;
  const { pixels, width } = img;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(img.height, Math.ceil(y1)); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(width, Math.ceil(x1)); x++) {
      if (!accept(x, y)) continue;
      const i = (y * width + x) * 3;
      r += pixels[i] ?? 0;
      g += pixels[i + 1] ?? 0;
      b += pixels[i + 2] ?? 0;
      n++;
    }
  }
  return n === 0 ? { lab: { L: 0, a: 0, b: 0 }, n } : { lab: rgbToLab(r / n, g / n, b / n), n };
}

/** A pixel rectangle, end-exclusive. */
export interface Span {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Background estimate from the top corners and the side strips above the chin (the standard's
 * uniform backdrop is there, the person is not), then a person mask (1 = person) over the columns
 * above the forehead, where the top of the hair is searched; the rest of the mask stays 0 because
 * nothing else reads it. Cleaned by a 3x3 open and close so noise and thin hair gaps do not break
 * the silhouette.
 */
export function backgroundModel(img: Raster, f: FaceFrame): { lab: Lab; mask: Uint8Array; span: Span } {
  const { width: w, height: h, pixels } = img;
  const side = Math.max(2, Math.round(w * REGION.backdropStrip));
  const limitY = Math.min(h, f.chinY);
  const inStrip = (x: number, y: number): boolean => (x < side || x >= w - side) && y < limitY && (x < f.left - f.width * REGION.backdropClearance || x > f.right + f.width * REGION.backdropClearance);
  let est = meanLab(img, inStrip, 0, 0, w, limitY);
  if (est.n === 0) est = meanLab(img, () => true, 0, 0, w, Math.max(1, h * REGION.fallbackBand));
  const d = distanceTo(est.lab);
  const margin = 3; // the morphology reads one pixel around each pixel, twice
  const span: Span = {
    x0: Math.max(0, Math.floor(f.cx - f.width * REGION.hairSearchHalfWidth) - margin),
    x1: Math.min(w, Math.ceil(f.cx + f.width * REGION.hairSearchHalfWidth) + margin + 1),
    y0: 0,
    y1: Math.min(h, Math.max(1, Math.ceil(f.foreheadY) + margin + 1)),
  };
  let mask: Uint8Array = new Uint8Array(w * h);
  for (let y = span.y0; y < span.y1; y++) {
    for (let x = span.x0; x < span.x1; x++) {
      const i = y * w + x;
      const p = i * 3;
      mask[i] = d(pixels[p] ?? 0, pixels[p + 1] ?? 0, pixels[p + 2] ?? 0) > REGION.maskDeltaE ? 1 : 0;
    }
  }
  mask = morph(morph(mask, w, h, false, span), w, h, true, span); // open: drop specks
  mask = morph(morph(mask, w, h, true, span), w, h, false, span); // close: fill pin holes
  return { lab: est.lab, mask, span };
}

/**
 * 3x3 dilation (grow = true) or erosion within `span` (whole image by default), as a row pass then
 * a column pass (a square is separable). Pixels outside the span are copied unchanged.
 */
export function morph(src: Uint8Array, w: number, h: number, grow: boolean, span: Span = { x0: 0, x1: w, y0: 0, y1: h }): Uint8Array {
  const rows = Uint8Array.from(src);
  const out = Uint8Array.from(src);
  const pick = grow ? (a: number, b: number, c: number) => a | b | c : (a: number, b: number, c: number) => a & b & c;
  for (let y = span.y0; y < span.y1; y++) {
    const o = y * w;
    for (let x = span.x0; x < span.x1; x++) {
      const c = src[o + x] ?? 0;
      rows[o + x] = pick(x > span.x0 ? (src[o + x - 1] ?? 0) : c, c, x < span.x1 - 1 ? (src[o + x + 1] ?? 0) : c);
    }
  }
  for (let y = span.y0; y < span.y1; y++) {
    const o = y * w;
    const up = y > span.y0 ? o - w : o;
    const down = y < span.y1 - 1 ? o + w : o;
    for (let x = span.x0; x < span.x1; x++) out[o + x] = pick(rows[up + x] ?? 0, rows[o + x] ?? 0, rows[down + x] ?? 0);
  }
  return out;
}

/**
 * Top of hair: for columns across the middle of the head, walk up from the forehead to the first run
 * of background pixels; the highest such point wins. Returns analysis-pixel y, or null when the
 * person reaches the top edge (then no background was found above the head).
 */
export function hairTop(mask: Uint8Array, w: number, h: number, f: FaceFrame): number | null {
  const run = Math.max(2, Math.round(h * REGION.hairGapRun));
  let top = Infinity;
  const x0 = Math.max(0, Math.round(f.cx - f.width * REGION.hairSearchHalfWidth));
  const x1 = Math.min(w - 1, Math.round(f.cx + f.width * REGION.hairSearchHalfWidth));
  for (let x = x0; x <= x1; x++) {
    let y = Math.min(h - 1, Math.round(f.foreheadY));
    let bgRun = 0;
    let found = -1;
    for (; y >= 0; y--) {
      if (mask[y * w + x] === 0) {
        bgRun++;
        if (bgRun >= run) {
          found = y + run;
          break;
        }
      } else bgRun = 0;
    }
    if (found < 0) return null;
    top = Math.min(top, found);
  }
  return Number.isFinite(top) ? top : null;
}

/**
 * Background statistics outside the person: the band above the hair and the strips beside the head
 * down to the chin. The person mask is deliberately not applied there: nobody belongs in those
 * regions, so anything found in them (a poster, a second backdrop, a shadow) must count against the
 * background. Spread is measured between patches so camera noise averages out and only gradients,
 * stains, objects and shadows remain.
 */
export function backgroundStats(img: Raster, f: FaceFrame, hairTopY: number): BackgroundMeasure {
  const { width: w, height: h } = img;
  const limitY = Math.min(h, f.chinY);
  const headL = f.left - f.width * REGION.hairReach;
  const headR = f.right + f.width * REGION.hairReach;
  const aboveHead = Math.max(0, hairTopY - h * REGION.aboveHairGap);
  const isBg = (x: number, y: number): boolean => (y < aboveHead || x < headL || x > headR) && y < limitY;
  const cell = Math.max(8, Math.round(Math.max(w, h) / REGION.patchesPerSide));
  const patches: Lab[] = [];
  for (let cy = 0; cy < limitY; cy += cell) {
    for (let cx = 0; cx < w; cx += cell) {
      const { lab, n } = meanLab(img, isBg, cx, cy, cx + cell, cy + cell);
      if (n >= cell * cell * REGION.patchFill) patches.push(lab);
    }
  }
  const all = meanLab(img, isBg, 0, 0, w, limitY);
  const spread = patches.reduce((m, p) => Math.max(m, deltaE2000(p, all.lab)), 0);
  const left = meanLab(img, isBg, 0, 0, Math.min(headL, w / 2), limitY);
  const right = meanLab(img, isBg, Math.max(headR, w / 2), 0, w, limitY);
  const leftRightL = left.n > 0 && right.n > 0 ? left.lab.L - right.lab.L : 0;
  return { lab: all.lab, spread, leftRightL, pixels: all.n, region: { x: 0, y: 0, w: 1, h: limitY / h } };
}

/** The face's light as measured here; sharpness is added from sharpness.ts. */
export type FaceLightStats = Omit<FaceLight, 'sharpness'>;

/** Light on the skin between the eye line and the chin, cheek to cheek (eyes' whites and hair excluded). */
export function faceLight(img: Raster, f: FaceFrame): FaceLightStats {
  const { width: w, height: h, pixels } = img;
  const x0 = Math.max(0, Math.round(f.left + f.width * REGION.skinInsetX));
  const x1 = Math.min(w, Math.round(f.right - f.width * REGION.skinInsetX));
  const y0 = Math.max(0, Math.round(f.eyeY + (f.chinY - f.eyeY) * REGION.skinTop));
  const y1 = Math.min(h, Math.round(f.chinY - (f.chinY - f.eyeY) * REGION.skinBottom));
  const hist = new Uint32Array(256);
  let sumL = 0, n = 0, hi = 0, lo = 0, leftL = 0, leftN = 0, rightL = 0, rightN = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * w + x) * 3;
      const r = pixels[i] ?? 0, g = pixels[i + 1] ?? 0, b = pixels[i + 2] ?? 0;
      const Ls = lightness(r, g, b);
      const luma = Math.round(0.299 * r + 0.587 * g + 0.114 * b); // Rec. 601 luma: the 8-bit histogram the entropy is taken over
      hist[luma] = (hist[luma] ?? 0) + 1;
      sumL += Ls;
      n++;
      if (Math.max(r, g, b) >= CLIP_HIGH) hi++;
      if (Math.max(r, g, b) <= CLIP_LOW) lo++;
      if (x < f.cx) { leftL += Ls; leftN++; } else { rightL += Ls; rightN++; }
    }
  }
  let entropy = 0;
  for (const c of hist) if (c > 0) entropy -= (c / n) * Math.log2(c / n);
  return {
    lightness: n ? sumL / n : 0,
    highlightShare: n ? hi / n : 0,
    shadowShare: n ? lo / n : 0,
    entropy,
    halvesL: leftN && rightN ? leftL / leftN - rightL / rightN : 0,
    region: { x: x0 / w, y: y0 / h, w: (x1 - x0) / w, h: (y1 - y0) / h },
  };
}

/** Variance of the 4-neighbour Laplacian of a greyscale raster (1 byte per pixel). */
export function laplacianVariance(grey: Buffer | Uint8Array, w: number, h: number): number {
  let sum = 0, sum2 = 0, n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v = 4 * (grey[i] ?? 0) - (grey[i - 1] ?? 0) - (grey[i + 1] ?? 0) - (grey[i - w] ?? 0) - (grey[i + w] ?? 0);
      sum += v;
      sum2 += v * v;
      n++;
    }
  }
  return n ? sum2 / n - (sum / n) ** 2 : 0;
}

/**
 * Clothing: the torso below the chin, one face wide either side of the face centre. Every pixel
 * counts (not only masked ones): clothing the colour of the backdrop must lower the contrast.
 */
export function clothing(img: Raster, f: FaceFrame, hues: ReadonlyArray<{ name: 'blue' | 'yellow'; from: number; to: number }>): ClothingMeasure | undefined {
  const { width: w, height: h, pixels } = img;
  const faceH = Math.max(1, f.chinY - f.foreheadY);
  const y0 = Math.round(f.chinY + faceH * REGION.torsoTop);
  const y1 = Math.min(h, Math.round(f.chinY + faceH * REGION.torsoBottom));
  const x0 = Math.max(0, Math.round(f.cx - f.width * REGION.torsoHalfWidth));
  const x1 = Math.min(w, Math.round(f.cx + f.width * REGION.torsoHalfWidth));
  if (y1 - y0 < 2 || x1 - x0 < 2) return undefined; // the torso is out of the frame: nothing to judge
  const share = { blue: 0, yellow: 0 };
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      n++;
      if (hues.length === 0) continue;
      const i = (y * w + x) * 3;
      const lab = rgbToLab(pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0);
      const chroma = Math.hypot(lab.a, lab.b);
      if (chroma < MIN_NAMED_CHROMA) continue;
      let hue = (Math.atan2(lab.b, lab.a) * 180) / Math.PI;
      if (hue < 0) hue += 360;
      for (const range of hues) if (hue >= range.from && hue <= range.to) share[range.name]++;
    }
  }
  const mean = meanLab(img, () => true, x0, y0, x1, y1);
  return {
    lab: mean.lab,
    hueShare: { blue: n ? share.blue / n : 0, yellow: n ? share.yellow / n : 0 },
    region: { x: x0 / w, y: y0 / h, w: (x1 - x0) / w, h: (y1 - y0) / h },
  };
}
