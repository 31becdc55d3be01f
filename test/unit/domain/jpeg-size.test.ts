import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegDimensions } from '../../../controller/src/domain/photo/jpeg-size.ts';

describe('JPEG size from the frame header', () => {
  it('reads a hand-made baseline header and refuses what is not a JPEG or is cut short', () => {
    const sof = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x02, 0x80, 0x01, 0xe0, 0x03, 0x01, 0x11, 0x00, 0xff, 0xd9]);
    expect(jpegDimensions(sof)).toEqual({ width: 480, height: 640 });
    expect(jpegDimensions(Buffer.from('II*\0raw'))).toBeNull();
    expect(jpegDimensions(sof.subarray(0, 12))).toBeNull();
    expect(jpegDimensions(new Uint8Array(0))).toBeNull();
  });

  it('agrees with the decoder on real files: baseline, progressive, and with EXIF before the frame', async () => {
    const raw = sharp({ create: { width: 301, height: 417, channels: 3, background: { r: 40, g: 90, b: 200 } } });
    const files = [
      await raw.clone().jpeg().toBuffer(),
      await raw.clone().jpeg({ progressive: true }).toBuffer(),
      await raw.clone().withMetadata({ exif: { IFD0: { Copyright: 'test' } } }).jpeg().toBuffer(),
    ];
    for (const f of files) {
      const m = await sharp(f).metadata();
      expect(jpegDimensions(f)).toEqual({ width: m.width, height: m.height });
    }
  });
});
