/**
 * Width and height from a JPEG's first frame header, without decoding: the camera adapter sizes its
 * live-view frames with it, and the live-view cues read the size of a frame that came without one.
 */
export function jpegDimensions(jpeg: Uint8Array): { width: number; height: number } | null {
  const u16 = (at: number): number => ((jpeg[at] as number) << 8) | (jpeg[at + 1] as number);
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) return null;
    const marker = jpeg[i + 1] as number;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16(i + 5), width: u16(i + 7) };
    }
    i += 2 + u16(i + 2);
  }
  return null;
}
