/**
 * The deliverable: 480x640 baseline sRGB JPEG cut from the already-decoded pixels, no metadata but a
 * JFIF header saying 300 dpi, at the highest quality whose file size stays inside the profile's band.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DELIVERABLE_HEIGHT, DELIVERABLE_WIDTH, type Rect } from '../domain/photo/geometry.ts';
import type { DecodedPhoto } from './decode.ts';
import type { Deliverable } from '../domain/photo/report.ts';

export type { Deliverable };

/** The APP0 segment setJfifDensity adds, counted against the size band. */
const JFIF_BYTES = 18;

export interface SizeBand {
  minBytes: number;
  maxBytes: number;
  minQuality: number;
}

/** The crop in decoded pixels, whole and inside the buffer. */
export function decodedCrop(photo: DecodedPhoto, crop: Rect): { left: number; top: number; width: number; height: number } {
  const sx = photo.decodedWidth / photo.width;
  const sy = photo.decodedHeight / photo.height;
  const left = Math.max(0, Math.round(crop.x * sx));
  const top = Math.max(0, Math.round(crop.y * sy));
  const width = Math.max(1, Math.min(photo.decodedWidth - left, Math.round(crop.w * sx)));
  const height = Math.max(1, Math.min(photo.decodedHeight - top, Math.round(crop.h * sy)));
  return { left, top, width, height };
}

/**
 * `hint`: the quality the previous photo ended at. Photos from one room compress alike, so trying it
 * and its neighbour first usually settles the search in two encodes instead of six.
 */
export async function renderDeliverable(photo: DecodedPhoto, crop: Rect, band: SizeBand, hint?: number): Promise<Deliverable> {
  const region = decodedCrop(photo, crop);
  // Resample once to 480x640; each quality trial only re-encodes these pixels.
  const pixels = await sharp(photo.pixels, { raw: { width: photo.decodedWidth, height: photo.decodedHeight, channels: 3 } })
    .extract(region)
    .resize(DELIVERABLE_WIDTH, DELIVERABLE_HEIGHT, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  const encode = (quality: number): Promise<Buffer> =>
    sharp(pixels, { raw: { width: DELIVERABLE_WIDTH, height: DELIVERABLE_HEIGHT, channels: 3 } })
      .jpeg({ quality, progressive: false, mozjpeg: false, chromaSubsampling: '4:2:0', optimiseCoding: true })
      .toBuffer();
  const fits = (jpeg: Buffer): boolean => jpeg.length + JFIF_BYTES <= band.maxBytes;
  // Search for the highest quality not above the band's ceiling (size grows with quality).
  let lo = band.minQuality;
  let hi = 100;
  let best: { q: number; jpeg: Buffer } | undefined;
  if (hint !== undefined && hint >= lo && hint <= hi) {
    const jpeg = await encode(hint);
    if (fits(jpeg)) {
      best = { q: hint, jpeg };
      lo = hint + 1;
    } else hi = hint - 1;
    const next = best ? hint + 1 : hint - 1; // the neighbour that decides whether the hint is the answer
    if (next >= lo && next <= hi) {
      const other = await encode(next);
      if (fits(other)) {
        best = { q: next, jpeg: other };
        lo = next + 1;
      } else hi = next - 1;
    }
  }
  while (lo <= hi) {
    const q = Math.floor((lo + hi) / 2);
    const jpeg = await encode(q);
    if (fits(jpeg)) {
      best = { q, jpeg };
      lo = q + 1;
    } else hi = q - 1;
  }
  // Even the lowest allowed quality is too big: keep it (the file-size check reports it).
  best ??= { q: band.minQuality, jpeg: await encode(band.minQuality) };
  const jpeg = setJfifDensity(best.jpeg, 300);
  return {
    jpeg,
    width: DELIVERABLE_WIDTH,
    height: DELIVERABLE_HEIGHT,
    bytes: jpeg.length,
    quality: best.q,
    sha256: createHash('sha256').update(jpeg).digest('hex'),
  };
}

/**
 * Put a JFIF APP0 segment saying `dpi` dots per inch right after SOI. The encoder writes no header
 * of its own when metadata is stripped, and asking it for a density brings EXIF along, which the
 * deliverable must not carry.
 */
export function setJfifDensity(jpeg: Buffer, dpi: number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG stream');
  const app0 = Buffer.alloc(18);
  app0.writeUInt16BE(0xffe0, 0);
  app0.writeUInt16BE(16, 2); // segment length, excluding the marker
  app0.write('JFIF\0', 4, 'latin1');
  app0[9] = 1; // version 1.01
  app0[10] = 1;
  app0[11] = 1; // units: dots per inch
  app0.writeUInt16BE(dpi, 12);
  app0.writeUInt16BE(dpi, 14);
  // bytes 16-17: no thumbnail
  const rest = jpeg[2] === 0xff && jpeg[3] === 0xe0 ? jpeg.subarray(4 + jpeg.readUInt16BE(4)) : jpeg.subarray(2);
  return Buffer.concat([jpeg.subarray(0, 2), app0, rest]);
}

/**
 * A small JPEG of the oriented original for the review screen: the analysis raster (long side 512)
 * encoded as it is. Resizing the decoded frame again cost about as much as the decode itself.
 */
export async function renderPreview(img: { pixels: Buffer; width: number; height: number }): Promise<Buffer> {
  return sharp(img.pixels, { raw: { width: img.width, height: img.height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}
