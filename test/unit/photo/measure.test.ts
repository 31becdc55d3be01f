import { describe, expect, it } from 'vitest';
import { lightness } from '../../../controller/src/domain/photo/colour.ts';
import { backgroundModel, backgroundStats, clothing, faceLight, hairTop, laplacianVariance, type FaceFrame, type Raster } from '../../../controller/src/imaging/measure.ts';

type Rgb = [number, number, number];
function raster(w: number, h: number, paint: (x: number, y: number) => Rgb): Raster {
  const pixels = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixels.set(paint(x, y), (y * w + x) * 3);
  return { pixels, width: w, height: h };
}
const BLUE: Rgb = [100, 197, 255];
// A 200x260 frame; the "head" is a dark brown block from y=60 down, x 70..130; face below y=90.
const frame: FaceFrame = { cx: 100, width: 60, eyeY: 110, chinY: 150, foreheadY: 95, left: 70, right: 130 };
const person = (x: number, y: number): boolean => (x >= 70 && x < 130 && y >= 60) || (y >= 170 && x >= 30 && x < 170);

describe('measurements on synthetic images', () => {
  it('finds the top of the hair where the uniform backdrop begins', () => {
    const img = raster(200, 260, (x, y) => (person(x, y) ? [90, 60, 40] : BLUE));
    const { mask } = backgroundModel(img, frame);
    expect(hairTop(mask, 200, 260, frame)).toBe(60);
  });
  it('reports no hair top when the head reaches the top edge', () => {
    const img = raster(200, 260, (x, y) => (person(x, y) || (x >= 70 && x < 130) ? [90, 60, 40] : BLUE));
    const { mask } = backgroundModel(img, frame);
    expect(hairTop(mask, 200, 260, frame)).toBeNull();
  });
  it('measures an even backdrop as even, its colour, and no left/right difference', () => {
    const img = raster(200, 260, (x, y) => (person(x, y) ? [90, 60, 40] : BLUE));
    const s = backgroundStats(img, frame, 60);
    expect(s.spread).toBeLessThan(0.5);
    expect(Math.abs(s.leftRightL)).toBeLessThan(0.01);
    expect(s.lab.L).toBeCloseTo(lightness(...BLUE), 1);
  });
  it('measures a one-sided shadow as a left/right lightness difference', () => {
    const img = raster(200, 260, (x, y) => (person(x, y) ? [90, 60, 40] : x < 60 ? [70, 140, 180] : BLUE));
    const s = backgroundStats(img, frame, 60);
    expect(s.leftRightL).toBeLessThan(-10);
    expect(s.spread).toBeGreaterThan(8);
  });
  it('counts an object beside the head against the background', () => {
    const img = raster(200, 260, (x, y) => (person(x, y) ? [90, 60, 40] : x > 175 && y < 120 ? [200, 40, 40] : BLUE));
    expect(backgroundStats(img, frame, 60).spread).toBeGreaterThan(8);
  });
  it('measures face lightness, clipping, entropy and the balance of the two halves', () => {
    const grey = raster(200, 260, () => [119, 119, 119]);
    const g = faceLight(grey, frame);
    expect(g.lightness).toBeCloseTo(lightness(119, 119, 119), 6);
    expect(g.entropy).toBe(0);
    expect(g.halvesL).toBeCloseTo(0, 9);
    const split = raster(200, 260, (x) => (x < 100 ? [255, 255, 255] : [0, 0, 0]));
    const s = faceLight(split, frame);
    expect(s.entropy).toBeCloseTo(1, 6); // two equally common levels: one bit
    expect(s.highlightShare).toBeCloseTo(0.5, 6);
    expect(s.shadowShare).toBeCloseTo(0.5, 6);
    expect(s.halvesL).toBeCloseTo(100, 3);
  });
  it('computes the Laplacian variance: zero when flat, 1020 squared on a one-pixel checkerboard', () => {
    const w = 20, h = 20;
    expect(laplacianVariance(Buffer.alloc(w * h, 128), w, h)).toBe(0);
    const checker = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) checker[y * w + x] = (x + y) % 2 ? 255 : 0;
    expect(laplacianVariance(checker, w, h)).toBeCloseTo(1020 * 1020, 3);
  });
  it('measures the share of blue and yellow in the torso', () => {
    const blueShirt = raster(200, 260, (x, y) => (y > 150 ? [30, 60, 200] : BLUE));
    const hues = [{ name: 'blue' as const, from: 220, to: 315 }, { name: 'yellow' as const, from: 75, to: 110 }];
    const c = clothing(blueShirt, frame, hues)!;
    expect(c.hueShare.blue).toBeCloseTo(1, 6);
    expect(c.hueShare.yellow).toBe(0);
    const yellowShirt = raster(200, 260, (x, y) => (y > 150 ? [235, 210, 40] : BLUE));
    expect(clothing(yellowShirt, frame, hues)!.hueShare.yellow).toBeCloseTo(1, 6);
    const greyShirt = raster(200, 260, (x, y) => (y > 150 ? [128, 128, 128] : BLUE));
    expect(clothing(greyShirt, frame, hues)!.hueShare).toEqual({ blue: 0, yellow: 0 });
  });
});

describe('whole-frame exposure', () => {
  it('measures crushed shadows, blown highlights where the student sits, the range and the backdrop corners', async () => {
    const { frameExposure } = await import('../../../controller/src/imaging/exposure.ts');
    const img = raster(200, 260, (x, y) => (person(x, y) ? [90, 60, 40] : BLUE));
    const f = frameExposure(img);
    expect(f.shadowShare).toBe(0);
    expect(f.highlightShare).toBe(0);
    expect(f.corners.L).toBeCloseTo(lightness(...BLUE), 1);
    expect(f.range).toBeGreaterThan(50);
    const black = frameExposure(raster(200, 260, () => [2, 2, 2]));
    expect(black.shadowShare).toBe(1);
    expect(black.meanL).toBeLessThan(2);
    const blown = frameExposure(raster(200, 260, (x, y) => (person(x, y) ? [255, 255, 255] : BLUE)));
    expect(blown.highlightShare).toBeGreaterThan(0.5);
  });
});
