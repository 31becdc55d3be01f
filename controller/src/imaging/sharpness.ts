/**
 * Sharpness of the face: variance of the Laplacian over the face, after resampling the face to a fixed
 * width. Fixing the width normalises for face size, so the figure does not depend on how close the
 * student sat or on the decode scale, only on how much detail the face carries.
 */
import sharp from 'sharp';
import type { DecodedPhoto } from './decode.ts';
import { laplacianVariance } from './measure.ts';

export const SHARPNESS_WIDTH = 160;

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
  return laplacianVariance(data, info.width, info.height);
}
