/**
 * Cues of a photo of a photo or of a screen (翻拍), measured on one live-view frame where the guides
 * ask the student to put their head (domain/photo/live-view-guides.ts): the live view is what the
 * student posed in, before any still, so a print held up or a phone shown is seen there first.
 *
 * On a small grey copy of the 3:4 window (WIDTH pixels across, enough for a head and the edges
 * around it, cheap to decode at a few frames a second):
 * - `blocks`: GRID x GRID block means around the head outline, normalised to zero mean and unit
 *   spread; a live student breathes, blinks and sways, a propped-up print does not move at all
 *   (compared between frames in domain/identity/live-view-cues.ts);
 * - `flatLight`: the head's darkest tones against its brightest (2nd and 98th percentile): hair,
 *   pupils and the shadows of a real face under the studio lights are near black, the ink of a print
 *   or the glass of a screen under the same lights is not;
 * - `border`: the longest straight edge beside or above the head inside the deliverable's crop
 *   (widened a little, and higher), as a share of the head's height (or width): the crop is the uniform backdrop
 *   by the standard, so a straight edge there is the side or the top of something held up.
 */
import sharp from 'sharp';
import type { LiveViewSample } from '../domain/identity/live-view-cues.ts';
import { jpegDimensions } from '../domain/photo/jpeg-size.ts';
import { liveViewWindow, type LiveViewGuides } from '../domain/photo/live-view-guides.ts';
import { histogramLevel } from './histogram.ts';
import type { PreviewFrame } from '../app/ports/camera.ts';

/** Width of the analysed copy of the window. */
export const WIDTH = 96;
const GRID = 12;
/** A grey step this large between neighbours (Sobel, per pixel) is an edge. */
const EDGE = 14;
/** The crop is searched for edges this much wider on each side (share of its width): a print's margin. */
const CROP_MARGIN = 0.2;
/** ... and this much higher (share of its height): the top of a card held up sits above the hair. */
const ABOVE_CROP = 0.35;
/** The head outline widened by this much is the head's own edges (cheeks, hair, ears): not searched. */
const HEAD_MARGIN = { x: 1.3, y: 1.12 };
/** Slopes tried for a straight edge, in degrees either side of upright or level: a hand-held card tilts. */
/**
 * The upright search runs from this many head half-heights above the head's centre down to the chin:
 * above the hair a card's side goes on, the hair's side does not.
 */
const BAND_ABOVE = 1.5;
const SLOPES = [-10, -7.5, -5, -2.5, 0, 2.5, 5, 7.5, 10].map((d) => Math.tan((d * Math.PI) / 180));

export type LiveViewPlaces = Pick<LiveViewGuides, 'head' | 'crop'>;

/** A live-view frame as the camera port gives it: the size comes with it, read from the JPEG's header. */
export type LiveViewFrame = Pick<PreviewFrame, 'jpeg' | 'width' | 'height'>;

/**
 * Decodes one live-view JPEG to the grey copy of its 3:4 window and measures it: one decode, four
 * times a second while a student poses. A frame without its size (0) has it read from the JPEG first.
 */
export async function measureLiveViewFrame(frame: LiveViewFrame, places: LiveViewPlaces): Promise<LiveViewSample> {
  const { jpeg } = frame;
  let { width: fw, height: fh } = frame;
  if (!(fw > 0 && fh > 0)) ({ width: fw, height: fh } = jpegDimensions(jpeg) ?? { width: 0, height: 0 });
  if (!(fw > 0 && fh > 0)) throw new Error('live-view frame without a size');
  const win = liveViewWindow(fw, fh);
  const left = Math.round(win.x), top = Math.round(win.y);
  const width = Math.min(fw - left, Math.round(win.w)), height = Math.min(fh - top, Math.round(win.h));
  const h = Math.round((WIDTH * height) / width);
  const { data } = await sharp(jpeg).extract({ left, top, width, height }).resize(WIDTH, h, { fit: 'fill' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  return measureGrey(data, WIDTH, h, places);
}

/** The cues of a grey raster (one byte a pixel) of the window. */
export function measureGrey(grey: Uint8Array, w: number, h: number, places: LiveViewPlaces): LiveViewSample {
  if (grey.length < w * h || w < 8 || h < 8) throw new RangeError('grey raster smaller than its size');
  const head = { cx: places.head.cx * w, cy: places.head.cy * h, rx: places.head.rx * w, ry: places.head.ry * h };
  return { blocks: blockPicture(grey, w, h, head), flatLight: flatness(grey, w, h, head), border: straightEdge(grey, w, h, head, places.crop) };
}

interface Ellipse { cx: number; cy: number; rx: number; ry: number }

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

function inside(e: Ellipse, x: number, y: number, sx = 1, sy = 1): boolean {
  const dx = (x - e.cx) / (e.rx * sx), dy = (y - e.cy) / (e.ry * sy);
  return dx * dx + dy * dy <= 1;
}

/** The head outline and around it (hair, ears, neck, a little backdrop): where the cues look, in raster pixels. */
function headBox(w: number, h: number, head: Ellipse): { x0: number; x1: number; y0: number; y1: number } {
  const x0 = clamp(Math.floor(head.cx - head.rx * 1.6), 0, w - GRID), x1 = clamp(Math.ceil(head.cx + head.rx * 1.6), x0 + GRID, w);
  const y0 = clamp(Math.floor(head.cy - head.ry * 1.5), 0, h - GRID), y1 = clamp(Math.ceil(head.cy + head.ry * 1.3), y0 + GRID, h);
  return { x0, x1, y0, y1 };
}

function blockPicture(g: Uint8Array, w: number, h: number, head: Ellipse): Float32Array {
  const { x0, x1, y0, y1 } = headBox(w, h, head);
  const out = new Float32Array(GRID * GRID);
  for (let by = 0; by < GRID; by++) {
    const ya = y0 + Math.floor(((y1 - y0) * by) / GRID), yb = y0 + Math.floor(((y1 - y0) * (by + 1)) / GRID);
    for (let bx = 0; bx < GRID; bx++) {
      const xa = x0 + Math.floor(((x1 - x0) * bx) / GRID), xb = x0 + Math.floor(((x1 - x0) * (bx + 1)) / GRID);
      let s = 0;
      for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) s += g[y * w + x] ?? 0;
      out[by * GRID + bx] = s / Math.max(1, (yb - ya) * (xb - xa));
    }
  }
  let mean = 0;
  for (const v of out) mean += v;
  mean /= out.length;
  let sd = 0;
  for (const v of out) sd += (v - mean) ** 2;
  // An even field (lens cap, a wall) has no picture to compare: its spread counts as one grey level.
  sd = Math.max(1, Math.sqrt(sd / out.length));
  for (let i = 0; i < out.length; i++) out[i] = ((out[i] ?? 0) - mean) / sd;
  return out;
}

function flatness(g: Uint8Array, w: number, h: number, head: Ellipse): number {
  const hist = new Uint32Array(256);
  let n = 0;
  const box = headBox(w, h, head);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const v = g[y * w + x] ?? 0;
      hist[v] = (hist[v] ?? 0) + 1;
      n++;
    }
  }
  if (n === 0) return 0;
  return histogramLevel(hist, n, 0.02) / Math.max(1, histogramLevel(hist, n, 0.98));
}

function straightEdge(g: Uint8Array, w: number, h: number, head: Ellipse, crop: LiveViewPlaces['crop']): number {
  // Sobel per pixel (divided by 4: a step of s grey levels between neighbours reads about s).
  const gx = new Float32Array(w * h), gy = new Float32Array(w * h);
  const px = (x: number, y: number): number => g[y * w + x] ?? 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      gx[y * w + x] = (px(x + 1, y - 1) + 2 * px(x + 1, y) + px(x + 1, y + 1) - px(x - 1, y - 1) - 2 * px(x - 1, y) - px(x - 1, y + 1)) / 4;
      gy[y * w + x] = (px(x - 1, y + 1) + 2 * px(x, y + 1) + px(x + 1, y + 1) - px(x - 1, y - 1) - 2 * px(x, y - 1) - px(x + 1, y - 1)) / 4;
    }
  }
  const margin = crop.w * CROP_MARGIN;
  const sx0 = clamp(Math.floor((crop.x - margin) * w), 1, w - 2), sx1 = clamp(Math.ceil((crop.x + crop.w + margin) * w), 1, w - 2);
  const sy0 = clamp(Math.floor((crop.y - crop.h * ABOVE_CROP) * h), 1, h - 2);
  const own = (x: number, y: number): boolean => inside(head, x + 0.5, y + 0.5, HEAD_MARGIN.x, HEAD_MARGIN.y);
  // On the line itself, no slack: a curved edge (hair, an ear) leaves a straight line within a pixel.
  const edgeX = (x: number, y: number): boolean => {
    const a = Math.abs(gx[y * w + x] ?? 0);
    return a >= EDGE && a >= Math.abs(gy[y * w + x] ?? 0);
  };
  const edgeY = (x: number, y: number): boolean => {
    const a = Math.abs(gy[y * w + x] ?? 0);
    return a >= EDGE && a >= Math.abs(gx[y * w + x] ?? 0);
  };
  // Upright edges on both sides of the head, from above the hair to the chin: a card has two
  // sides; hair, ears and a collar are rarely straight on both, and end at the hair's top.
  const ya = clamp(Math.round(head.cy - head.ry * BAND_ABOVE), 1, h - 2), yb = clamp(Math.round(head.cy + head.ry), 1, h - 2);
  const rows = Math.max(1, yb - ya);
  const side = { left: 0, right: 0 };
  for (const slope of SLOPES) {
    for (let x0 = sx0; x0 <= sx1; x0++) {
      const which = x0 < head.cx ? 'left' : 'right';
      let run = 0;
      for (let y = ya; y < yb; y++) {
        const x = Math.round(x0 + (y - head.cy) * slope);
        if (x < 2 || x > w - 3 || own(x, y)) continue;
        if (edgeX(x, y)) run++;
      }
      side[which] = Math.max(side[which], run / rows);
    }
  }
  let best = Math.min(side.left, side.right);
  // A level edge above the head, over twice the head's width: the hair's crown is shorter than that.
  const xa = clamp(Math.round(head.cx - 2 * head.rx), 1, w - 2), xb = clamp(Math.round(head.cx + 2 * head.rx), 1, w - 2);
  const cols = Math.max(1, xb - xa);
  for (const slope of SLOPES) {
    for (let y0 = sy0; y0 <= Math.round(head.cy - head.ry * HEAD_MARGIN.y); y0++) {
      let run = 0;
      for (let x = xa; x < xb; x++) {
        const y = Math.round(y0 + (x - head.cx) * slope);
        if (y < 2 || y > h - 3 || own(x, y)) continue;
        if (edgeY(x, y)) run++;
      }
      best = Math.max(best, run / cols);
    }
  }
  return Math.min(1, best);
}
