/**
 * A cue for a photo of a photo or of a screen (翻拍): the regular grid of a screen's pixels or a
 * print's halftone dots beats with the camera's sensor into moiré, a periodic pattern on the skin
 * that a live face does not have. Measured on the face at the decoded resolution (a reduced image
 * would filter the pattern away): the strongest spatial frequency of a skin patch against the median
 * of the frequencies of its own scale. Skin, sensor noise and JPEG give a smooth spectrum; moiré a peak.
 */
import type { FaceLandmarks, RgbRaster } from './face-descriptor.ts';

/** Side of the skin patch analysed, in decoded pixels (a power of two: the transform is a plain DFT per axis). */
export const PATCH = 64;
/** Frequencies below this many cycles per patch are shading and the face's shape, not texture. */
const LOW_CUT = 4;

// Mesh points: the nose tip and the cheeks' centres, whose mean is the middle of the face's skin.
const NOSE = 1;
const CHEEKS = [50, 280] as const;

function dft1(re: Float64Array, im: Float64Array, n: number, stride: number, offset: number, cos: Float64Array, sin: Float64Array): void {
  const r = new Float64Array(n), i = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let t = 0; t < n; t++) {
      const idx = (k * t) % n;
      const x = re[offset + t * stride] ?? 0, y = im[offset + t * stride] ?? 0;
      const c = cos[idx] ?? 0, s = sin[idx] ?? 0;
      sr += x * c + y * s;
      si += y * c - x * s;
    }
    r[k] = sr;
    i[k] = si;
  }
  for (let k = 0; k < n; k++) {
    re[offset + k * stride] = r[k] ?? 0;
    im[offset + k * stride] = i[k] ?? 0;
  }
}

/**
 * Peak-to-ring-median ratio of the skin patch's spectrum (above the low cut), or null when the face's
 * skin does not fill a patch at this resolution. `scale` = raster pixels per landmark pixel.
 */
export function moireScore(rgb: RgbRaster, face: FaceLandmarks, scale: number): number | null {
  const pts = [NOSE, ...CHEEKS].map((i) => face.mesh[i]);
  if (pts.some((p) => !p)) return null;
  const cx = Math.round((pts.reduce((s, p) => s + (p?.[0] ?? 0), 0) / pts.length) * scale);
  const cy = Math.round((pts.reduce((s, p) => s + (p?.[1] ?? 0), 0) / pts.length) * scale);
  const x0 = cx - PATCH / 2, y0 = cy - PATCH / 2;
  if (x0 < 0 || y0 < 0 || x0 + PATCH > rgb.width || y0 + PATCH > rgb.height) return null;
  const n = PATCH;
  const lum = new Float64Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const i = ((y0 + y) * rgb.width + x0 + x) * 3;
      lum[y * n + x] = 0.299 * (rgb.pixels[i] ?? 0) + 0.587 * (rgb.pixels[i + 1] ?? 0) + 0.114 * (rgb.pixels[i + 2] ?? 0);
    }
  }
  // Remove the patch's mean and a window so the patch edges add no false frequencies.
  let mean = 0;
  for (const v of lum) mean += v;
  mean /= lum.length;
  const re = new Float64Array(n * n), im = new Float64Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const w = (0.5 - 0.5 * Math.cos((2 * Math.PI * (x + 0.5)) / n)) * (0.5 - 0.5 * Math.cos((2 * Math.PI * (y + 0.5)) / n));
      re[y * n + x] = ((lum[y * n + x] ?? 0) - mean) * w;
    }
  }
  const cos = new Float64Array(n), sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  for (let y = 0; y < n; y++) dft1(re, im, n, 1, y * n, cos, sin);
  for (let x = 0; x < n; x++) dft1(re, im, n, n, x, cos, sin);
  // Each frequency against the median of its ring (same radius): skin's spectrum falls with
  // frequency, so a peak is judged against its neighbours in scale, not against the whole spectrum.
  const rings = new Map<number, number[]>();
  const cells: Array<{ ring: number; m: number }> = [];
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n / 2; u++) {
      // one half-plane (the other mirrors it); frequencies as signed cycles per patch
      const fu = u, fv = v <= n / 2 ? v : v - n;
      const radius = Math.hypot(fu, fv);
      if (radius < LOW_CUT || radius > n / 2) continue;
      // JPEG's 8-pixel blocks put energy on multiples of n/8 along an axis: not the scene's
      if ((fu % (n / 8) === 0 && fv === 0) || (fv % (n / 8) === 0 && fu === 0)) continue;
      const ring = Math.round(radius);
      const m = Math.hypot(re[v * n + u] ?? 0, im[v * n + u] ?? 0);
      cells.push({ ring, m });
      const list = rings.get(ring) ?? [];
      list.push(m);
      rings.set(ring, list);
    }
  }
  const medians = new Map<number, number>();
  for (const [ring, list] of rings) {
    list.sort((a, b) => a - b);
    medians.set(ring, list[Math.floor(list.length / 2)] ?? 0);
  }
  let score = 0;
  for (const c of cells) {
    const med = medians.get(c.ring) ?? 0;
    if (med > 0) score = Math.max(score, c.m / med);
  }
  return score > 0 ? score : null;
}
