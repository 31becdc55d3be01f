import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DecodedPhoto } from '../../../controller/src/imaging/decode.ts';
import { renderDeliverable } from '../../../controller/src/imaging/render.ts';

/** A detailed, noisy 960x1280 frame: enough entropy that quality changes the file size. */
async function frame(): Promise<DecodedPhoto> {
  const w = 960, h = 1280;
  const pixels = Buffer.alloc(w * h * 3);
  let x = 12345;
  for (let i = 0; i < pixels.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const p = Math.floor(i / 3);
    pixels[i] = (((p % w) >> 3) * 9 + ((Math.floor(p / w) >> 4) * 5) + (x >>> 27)) & 255;
  }
  return { width: w, height: h, pixels, decodedWidth: w, decodedHeight: h, shrink: 1 };
}

const band = { minBytes: 20 * 1024, maxBytes: 40 * 1024, minQuality: 60 };
const crop = { x: 0, y: 0, w: 960, h: 1280 };

describe('deliverable renderer', () => {
  it('finds the highest quality whose file stays under the ceiling', async () => {
    const photo = await frame();
    const d = await renderDeliverable(photo, crop, band);
    expect(d.bytes).toBeLessThanOrEqual(band.maxBytes);
    expect(d.quality).toBeGreaterThanOrEqual(60);
    expect(d.quality).toBeLessThan(100);
    // one step up would not fit: re-encode the same pixels at quality + 1 and compare
    const pixels = await sharp(photo.pixels, { raw: { width: 960, height: 1280, channels: 3 } }).resize(480, 640, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
    const up = await sharp(pixels, { raw: { width: 480, height: 640, channels: 3 } }).jpeg({ quality: d.quality + 1, optimiseCoding: true }).toBuffer();
    expect(up.length + 18).toBeGreaterThan(band.maxBytes);
  });
  it('reaches the same answer from any starting hint', async () => {
    const photo = await frame();
    const plain = await renderDeliverable(photo, crop, band);
    for (const hint of [60, plain.quality - 1, plain.quality, plain.quality + 1, 100]) {
      const hinted = await renderDeliverable(photo, crop, band, hint);
      expect(hinted.quality, `hint ${hint}`).toBe(plain.quality);
      expect(hinted.sha256).toBe(plain.sha256);
    }
  });
});
