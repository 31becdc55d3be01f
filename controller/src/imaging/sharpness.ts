/**
 * Sharpness of the face: variance of the Laplacian over the face, after resampling the face to a fixed
 * width and scaling its brightness to a mean of 128. Fixing the width normalises for face size (how
 * close the student sat, the decode scale); fixing the mean normalises for exposure (the Laplacian
 * grows with the light), so a dark photo is reported as dark, not as blurred.
 */
import sharp from 'sharp';
import type { DecodedPhoto } from './decode.ts';
import { laplacianVariance } from './measure.ts';

export const SHARPNESS_WIDTH = 160;
const MEAN = 128;

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
  let sum = 0;
  for (const v of data) sum += v;
  const mean = Math.max(8, sum / data.length); // an almost black face has no measurable detail anyway
  return laplacianVariance(data, info.width, info.height) * (MEAN / mean) ** 2;
}
