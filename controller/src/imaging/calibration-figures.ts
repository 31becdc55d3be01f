/**
 * The calibration test shot measured: luminance histogram, the backdrop against the profile colour
 * (CIEDE2000, with a heat map of cells), the light on the face and its two halves, and a grey card
 * when one is in view. One reduced decode; everything else is arithmetic on it.
 */
import sharp from 'sharp';
import { deltaE2000, labHue, rgbToLab, type Lab, type Rgb } from '../domain/photo/colour.ts';
import type { Rect } from '../domain/photo/geometry.ts';
import { HISTOGRAM_BINS, type BackgroundFigures, type FaceFigures, type GreyFigures, type ShotFigures } from '../domain/calibration/figures.ts';

export interface ShotMeasureOptions {
  /** The profile's background colour (light blue: 100, 197, 255). */
  background: Rgb;
  /** Where the face is, normalised, and who said so. */
  face: { region: Rect; placedBy: FaceFigures['placedBy'] };
  /** Where a grey card sits in the frame, normalised; absent: no card in view. */
  grey?: Rect | null;
}

/** Width the shot is measured at: the heat map's cells still hold hundreds of pixels each. */
const MEASURE_WIDTH = 300;
/** Heat-map grid over the frame. */
export const CELL_COLS = 6;
export const CELL_ROWS = 8;
/** Where the backdrop shows on a framed portrait: above the head, and the sides down to the shoulders. */
const BACKDROP = { top: 0.22, side: 0.2, sideBottom: 0.6 };
/** Lab distance from the local backdrop estimate beyond which a pixel is the person (hair, skin, clothes). */
const PERSON_DISTANCE = 25;
/** A cell joins the heat map when at least this share of it is backdrop. */
const CELL_COVER = 0.6;

const LINEAR = (() => {
  const t = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    t[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return t;
})();

const lin = (v: number): number => LINEAR[v] ?? 0;
const luminance = (r: number, g: number, b: number): number => 0.2126729 * lin(r) + 0.7151522 * lin(g) + 0.072175 * lin(b);
const lstar = (y: number): number => (y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y);

function labDistance(a: Lab, b: Lab): number {
  return Math.hypot(a.L - b.L, a.a - b.a, a.b - b.b);
}

interface Sum { r: number; g: number; b: number; n: number }
const sum = (): Sum => ({ r: 0, g: 0, b: 0, n: 0 });
const labOf = (s: Sum): Lab => rgbToLab(s.r / s.n, s.g / s.n, s.b / s.n);

export async function measureShot(jpeg: Buffer, o: ShotMeasureOptions): Promise<ShotFigures> {
  const { data, info } = await sharp(jpeg).rotate().resize(MEASURE_WIDTH, undefined, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const w = info.width, h = info.height;
  const px = (x: number, y: number): [number, number, number] => {
    const i = (y * w + x) * 3;
    return [data[i] as number, data[i + 1] as number, data[i + 2] as number];
  };

  const histogram = new Array<number>(HISTOGRAM_BINS).fill(0);
  let high = 0, low = 0;
  for (let i = 0; i < w * h; i++) {
    const r = data[i * 3] as number, g = data[i * 3 + 1] as number, b = data[i * 3 + 2] as number;
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor((y * HISTOGRAM_BINS) / 256))]! += 1;
    if (r >= 250 || g >= 250 || b >= 250) high++;
    if (y <= 5) low++;
  }
  const total = w * h;

  return {
    histogram: histogram.map((n) => n / total),
    clipped: { high: high / total, low: low / total },
    background: backdrop(w, h, px, o.background),
    face: face(w, h, px, o.face),
    grey: o.grey ? grey(w, h, px, o.grey) : null,
  };
}

function backdrop(w: number, h: number, px: (x: number, y: number) => [number, number, number], profile: Rgb): BackgroundFigures | null {
  // The local estimate: the top corners, where a framed portrait never reaches.
  const corner = (x0: number, x1: number): Lab => {
    const s = sum();
    for (let y = 0; y < Math.round(h * 0.08); y++) for (let x = x0; x < x1; x++) { const [r, g, b] = px(x, y); s.r += r; s.g += g; s.b += b; s.n++; }
    return labOf(s);
  };
  const leftRef = corner(0, Math.round(w * 0.1)), rightRef = corner(Math.round(w * 0.9), w);
  const all = sum(), left = sum(), right = sum();
  let linearRed = 0;
  const cells = Array.from({ length: CELL_ROWS }, () => Array.from({ length: CELL_COLS }, () => ({ ...sum(), seen: 0 })));
  for (let y = 0; y < h; y++) {
    const v = y / h;
    for (let x = 0; x < w; x++) {
      const u = x / w;
      const cell = cells[Math.min(CELL_ROWS - 1, Math.floor(v * CELL_ROWS))]![Math.min(CELL_COLS - 1, Math.floor(u * CELL_COLS))]!;
      cell.seen++;
      const inZone = v < BACKDROP.top || (v < BACKDROP.sideBottom && (u < BACKDROP.side || u > 1 - BACKDROP.side));
      if (!inZone) continue;
      const [r, g, b] = px(x, y);
      if (labDistance(rgbToLab(r, g, b), u < 0.5 ? leftRef : rightRef) > PERSON_DISTANCE) continue;
      all.r += r; all.g += g; all.b += b; all.n++;
      linearRed += lin(r);
      const side = u < 0.5 ? left : right;
      side.r += r; side.g += g; side.b += b; side.n++;
      cell.r += r; cell.g += g; cell.b += b; cell.n++;
    }
  }
  if (all.n < 50) return null;
  const target = rgbToLab(profile[0], profile[1], profile[2]);
  const mean = labOf(all);
  let spread = 0;
  const heat = cells.map((row) => row.map((c) => {
    if (c.n < CELL_COVER * c.seen) return null;
    const lab = labOf(c);
    spread = Math.max(spread, deltaE2000(lab, mean));
    return Math.round(deltaE2000(lab, target) * 10) / 10;
  }));
  return {
    lab: mean,
    deltaE: deltaE2000(mean, target),
    exposure: linearRed / all.n / Math.max(1e-6, lin(profile[0])),
    cells: heat,
    spread,
    leftRightL: left.n && right.n ? labOf(left).L - labOf(right).L : 0,
  };
}

function face(w: number, h: number, px: (x: number, y: number) => [number, number, number], f: ShotMeasureOptions['face']): FaceFigures {
  // The skin inside the box: away from the hair at its top and sides and the neck and collar below
  // (a detector's face box reaches from the brow to below the chin).
  const r = f.region;
  const x0 = Math.max(0, Math.round((r.x + 0.28 * r.w) * w)), x1 = Math.min(w, Math.round((r.x + 0.72 * r.w) * w));
  const y0 = Math.max(0, Math.round((r.y + 0.3 * r.h) * h)), y1 = Math.min(h, Math.round((r.y + 0.68 * r.h) * h));
  const mid = (x0 + x1) / 2;
  let left = 0, right = 0, nl = 0, nr = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [R, G, B] = px(x, y);
      const Y = luminance(R, G, B);
      if (x < mid) { left += Y; nl++; } else { right += Y; nr++; }
    }
  }
  const l = nl ? left / nl : 0, rt = nr ? right / nr : 0;
  return { lightness: lstar((left + right) / Math.max(1, nl + nr)), left: l, right: rt, halvesL: lstar(l) - lstar(rt), region: f.region, placedBy: f.placedBy };
}

function grey(w: number, h: number, px: (x: number, y: number) => [number, number, number], r: Rect): GreyFigures | null {
  const s = sum();
  for (let y = Math.max(0, Math.round(r.y * h)); y < Math.min(h, Math.round((r.y + r.h) * h)); y++) {
    for (let x = Math.max(0, Math.round(r.x * w)); x < Math.min(w, Math.round((r.x + r.w) * w)); x++) {
      const [R, G, B] = px(x, y);
      s.r += R; s.g += G; s.b += B; s.n++;
    }
  }
  if (!s.n) return null;
  const lab = labOf(s);
  const { hue, chroma } = labHue(lab);
  return { lab, chroma, hue };
}
