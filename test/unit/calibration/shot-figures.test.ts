import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { measureShot } from '../../../controller/src/imaging/calibration-figures.ts';

const W = 600, H = 800;
const guide = { x: 0.35, y: 0.32, w: 0.3, h: 0.26 };

/** A frame of backdrop colour with a face-sized block in the guide, its halves `left` and `right` grey, and an optional grey card. */
async function frame(backdrop: [number, number, number], left: number, right: number, card?: [number, number, number]): Promise<Buffer> {
  const half = (v: number) => ({ create: { width: Math.round(guide.w * W / 2), height: Math.round(guide.h * H), channels: 3 as const, background: { r: v, g: v, b: v } } });
  const layers = [
    { input: await sharp(half(left)).png().toBuffer(), left: Math.round(guide.x * W), top: Math.round(guide.y * H) },
    { input: await sharp(half(right)).png().toBuffer(), left: Math.round((guide.x + guide.w / 2) * W), top: Math.round(guide.y * H) },
  ];
  if (card) layers.push({ input: await sharp({ create: { width: 60, height: 60, channels: 3, background: { r: card[0], g: card[1], b: card[2] } } }).png().toBuffer(), left: 20, top: 700 });
  return sharp({ create: { width: W, height: H, channels: 3, background: { r: backdrop[0], g: backdrop[1], b: backdrop[2] } } })
    .composite(layers).jpeg({ quality: 95 }).toBuffer();
}

const profile: [number, number, number] = [100, 197, 255];

describe('test-shot figures', () => {
  it('finds the backdrop on the profile colour, even, and the face halves apart by their lightness', async () => {
    const f = await measureShot(await frame(profile, 128, 64), { background: profile, face: { region: guide, placedBy: 'guide' } });
    expect(f.background!.deltaE).toBeLessThan(1.5);
    expect(f.background!.spread).toBeLessThan(1.5);
    expect(f.background!.exposure).toBeCloseTo(1, 1);
    expect(f.background!.cells).toHaveLength(8);
    expect(f.background!.cells[7]![3]).toBeNull(); // below the shoulders: not backdrop
    expect(f.face.halvesL).toBeGreaterThan(20);
    expect(f.face.left / f.face.right).toBeGreaterThan(3);
    expect(f.histogram.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(f.grey).toBeNull();
  });

  it('reads a backdrop two stops under as a quarter of the light and far from the profile colour', async () => {
    const f = await measureShot(await frame([50, 102, 136], 100, 100), { background: profile, face: { region: guide, placedBy: 'guide' } });
    expect(f.background!.exposure).toBeGreaterThan(0.2);
    expect(f.background!.exposure).toBeLessThan(0.3);
    expect(f.background!.deltaE).toBeGreaterThan(15);
    expect(Math.abs(f.face.halvesL)).toBeLessThan(1);
  });

  it('measures a grey card\'s cast when one is in view', async () => {
    const neutral = await measureShot(await frame(profile, 100, 100, [128, 128, 128]), { background: profile, face: { region: guide, placedBy: 'guide' }, grey: { x: 40 / W, y: 710 / H, w: 30 / W, h: 30 / H } });
    const bluish = await measureShot(await frame(profile, 100, 100, [110, 125, 160]), { background: profile, face: { region: guide, placedBy: 'guide' }, grey: { x: 40 / W, y: 710 / H, w: 30 / W, h: 30 / H } });
    expect(neutral.grey!.chroma).toBeLessThan(2);
    expect(bluish.grey!.chroma).toBeGreaterThan(10);
  });
});
