/**
 * Decode the camera file once. The header is read first (cheap) so that bad input is refused before
 * any pixel work; the pixels are then decoded a single time, oriented, in sRGB, with libjpeg's DCT
 * scaling (shrink-on-load) picking the smallest size that still leaves the deliverable crop enough
 * resolution. Everything else (analysis image, face crops, the deliverable) is cut from this buffer.
 */
import sharp, { type Metadata } from 'sharp';
import type { PhotoCode } from '../domain/messages/photo.ts';

export interface DecodeOptions {
  /** refuse files with more pixels than this before decoding (decompression bombs) */
  maxPixels: number;
  /** the decoded short side must stay at or above this, so the deliverable crop need not be enlarged */
  minDecodedShortSide: number;
  timeoutSeconds: number;
}

export const DEFAULT_DECODE: DecodeOptions = {
  // 64 MP: above the largest DSLR sensors in use (61 MP); a 24 MP camera file is far below.
  maxPixels: 64_000_000,
  // 960 = two deliverable widths: a head-and-shoulders frame crops at most half its width for the 480 px output.
  minDecodedShortSide: 960,
  timeoutSeconds: 20,
};

export interface DecodedPhoto {
  /** oriented original size */
  width: number;
  height: number;
  /** decoded pixels, RGB, oriented */
  pixels: Buffer;
  decodedWidth: number;
  decodedHeight: number;
  /** libjpeg shrink factor used (1, 2, 4 or 8) */
  shrink: number;
}

export type DecodeFailure = { code: PhotoCode; params?: Record<string, string | number> };
export type DecodeResult = { ok: true; photo: DecodedPhoto } | { ok: false; error: DecodeFailure };

/** Header facts, oriented; or the reason the file cannot be used. */
export async function inspect(
  image: Buffer,
  options: DecodeOptions = DEFAULT_DECODE,
): Promise<{ ok: true; width: number; height: number } | { ok: false; error: DecodeFailure }> {
  if (image.length === 0) return { ok: false, error: { code: 'photo.input.empty' } };
  let meta: Metadata;
  try {
    meta = await sharp(image, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, error: { code: 'photo.input.unreadable' } };
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  // Size and depth first: they are the more specific reasons, whatever the format.
  if (w * h > options.maxPixels) {
    return { ok: false, error: { code: 'photo.input.too_large', params: { pixels: Math.round((w * h) / 1e4), limit: Math.round(options.maxPixels / 1e4), mp: Math.round((w * h) / 1e6), limitMp: Math.round(options.maxPixels / 1e6) } } };
  }
  if (meta.depth && meta.depth !== 'uchar') return { ok: false, error: { code: 'photo.input.depth' } };
  if (meta.format !== 'jpeg') return { ok: false, error: { code: 'photo.input.not_jpeg', params: { format: meta.format ?? 'unknown' } } };
  if (meta.space === 'cmyk') return { ok: false, error: { code: 'photo.input.cmyk' } };
  // EXIF orientations 5-8 turn the frame a quarter: width and height swap.
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? h : w;
  const height = swap ? w : h;
  // Fewer pixels than the deliverable is not an unreadable file: the validator reports it as a failed check (image.size).
  return { ok: true, width, height };
}

/** The largest libjpeg scale (1/8, 1/4, 1/2, 1) that keeps the short side at `minShortSide` or more. */
export function pickShrink(width: number, height: number, minShortSide: number): number {
  let shrink = 8;
  while (shrink > 1 && Math.min(width, height) / shrink < minShortSide) shrink /= 2;
  return shrink;
}

/** `shrink` overrides the automatic choice (the renderer asks for 1 when a small face needs every pixel). */
export async function decodePhoto(image: Buffer, options: DecodeOptions = DEFAULT_DECODE, shrinkOverride?: number): Promise<DecodeResult> {
  const head = await inspect(image, options);
  if (!head.ok) return head;
  const { width, height } = head;
  const shrink = shrinkOverride ?? pickShrink(width, height, options.minDecodedShortSide);
  try {
    let pipeline = sharp(image, { limitInputPixels: options.maxPixels, failOn: 'truncated', sequentialRead: true })
      .timeout({ seconds: options.timeoutSeconds })
      .autoOrient();
    if (shrink > 1) {
      pipeline = pipeline.resize(Math.ceil(width / shrink), Math.ceil(height / shrink), { fit: 'fill', fastShrinkOnLoad: true });
    }
    const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) return { ok: false, error: { code: 'photo.input.unreadable' } };
    return { ok: true, photo: { width, height, pixels: data, decodedWidth: info.width, decodedHeight: info.height, shrink } };
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (/timeout/i.test(text)) return { ok: false, error: { code: 'photo.input.timeout' } };
    return { ok: false, error: { code: 'photo.input.corrupt' } };
  }
}
