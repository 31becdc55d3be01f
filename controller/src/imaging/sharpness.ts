/**
 * Sharpness of the face: variance of the Laplacian over the face, after resampling the face to a fixed
 * width, divided by the variance of the face's own grey levels. Fixing the width normalises for face
 * size (how close the student sat, the decode scale); dividing by the face's own contrast normalises
 * for exposure and for skin tone alike: both scale every grey level, and so both variances, by the
 * same factor. (Scaling by the mean level instead, as before, multiplied a darker face's detail by up
 * to 20 and let a blurred photo of a dark-skinned student pass.)
 */
import sharp from 'sharp';
import type { DecodedPhoto } from './decode.ts';
import { laplacianVariance } from './measure.ts';

export const SHARPNESS_WIDTH = 160;
/** Below this grey-level variance (a standard deviation of 2 levels) the face is flat: no detail to measure. */
const MIN_VARIANCE = 4;
/** Figures are shown as percentages of the face's contrast (edge energy per unit of grey-level variance). */
const SCALE = 100;

/** x, y, w, h in oriented-original pixels. */
export async function faceSharpness(photo: DecodedPhoto, x: number, y: number, w: number, h: number): Promise<number> {
  const s = photo.decodedWidth / photo.width;
  const left = Math.max(0, Math.round(x * s));
  const top = Math.max(0, Math.round(y * s));
  const width = Math.min(photo.decodedWidth - left, Math.round(w * s));
  const height = Math.min(photo.decodedHeight - top, Math.round(h * s));
  if (width < 8 || height < 8) return 0;
  const { data, info } = await sharp(photo.pixels, { raw: { width: photo.decodedWidth, height: photo.decodedHeight, channels: 3 } })
    .extract({ left, top, width, height })
    .resize({ width: SHARPNESS_WIDTH })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let sum = 0, sum2 = 0;
  for (const v of data) {
    sum += v;
    sum2 += v * v;
  }
  const mean = sum / data.length;
  const variance = Math.max(MIN_VARIANCE, sum2 / data.length - mean * mean);
  return (laplacianVariance(data, info.width, info.height) / variance) * SCALE;
}
