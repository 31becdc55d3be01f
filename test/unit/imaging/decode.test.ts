import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { decodePhoto, inspect, pickShrink } from '../../../controller/src/imaging/decode.ts';
import { setJfifDensity } from '../../../controller/src/imaging/render.ts';

const jpeg = (w: number, h: number, orientation?: number) => {
  const img = sharp({ create: { width: w, height: h, channels: 3, background: { r: 100, g: 197, b: 255 } } });
  return (orientation ? img.withMetadata({ orientation }) : img).jpeg().toBuffer();
};

describe('decode', () => {
  it('picks the coarsest DCT scale that keeps the short side at the minimum', () => {
    expect(pickShrink(4000, 6000, 960)).toBe(4);
    expect(pickShrink(4000, 6000, 1440)).toBe(2);
    expect(pickShrink(1200, 1600, 960)).toBe(1);
    expect(pickShrink(8000, 12000, 960)).toBe(8);
  });
  it('decodes once at the reduced size, oriented, and remembers the original size', async () => {
    const r = await decodePhoto(await jpeg(4000, 3000, 6), { maxPixels: 64e6, minDecodedShortSide: 960, timeoutSeconds: 10 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.photo.width, r.photo.height]).toEqual([3000, 4000]); // orientation 6: a quarter turn
    expect(r.photo.shrink).toBe(2);
    expect([r.photo.decodedWidth, r.photo.decodedHeight]).toEqual([1500, 2000]);
    expect(r.photo.pixels.length).toBe(1500 * 2000 * 3);
  });
  it('decodes a greyscale JPEG to three channels', async () => {
    const grey = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 90, g: 90, b: 90 } } }).toColourspace('b-w').jpeg().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const r = await decodePhoto(grey);
    expect(r.ok && r.photo.pixels.length).toBe(600 * 800 * 3);
  });
  it('refuses a frame header claiming more pixels than the limit, before decoding', async () => {
    const r = await inspect(await jpeg(1200, 1600), { maxPixels: 1e6, minDecodedShortSide: 960, timeoutSeconds: 10 });
    expect(r.ok ? null : r.error.code).toBe('photo.input.too_large');
  });
  it('writes a JFIF header with 300 dpi and nothing else', async () => {
    const out = setJfifDensity(await jpeg(48, 64), 300);
    const meta = await sharp(out).metadata();
    expect(meta.density).toBe(300);
    expect(meta.exif).toBeUndefined();
    expect(out.toString('latin1', 6, 10)).toBe('JFIF');
  });
});
