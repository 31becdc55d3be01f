import { describe, expect, it } from 'vitest';
import { deltaE2000, labHue, lightness, rgbToLab } from '../../../controller/src/domain/photo/colour.ts';

describe('CIELAB and CIEDE2000', () => {
  // Reference pairs from Sharma, Wu & Dalal (2005), table 1.
  const pairs: Array<[[number, number, number], [number, number, number], number]> = [
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[50, 2.5, 0], [50, 3.1736, 0.5854], 1.0],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
    [[2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082],
  ];
  it.each(pairs)('matches the published difference for %j vs %j', (a, b, expected) => {
    const d = deltaE2000({ L: a[0], a: a[1], b: a[2] }, { L: b[0], a: b[1], b: b[2] });
    expect(d).toBeCloseTo(expected, 3);
  });
  it('is symmetric and zero for equal colours', () => {
    const x = rgbToLab(100, 197, 255);
    const y = rgbToLab(240, 240, 240);
    expect(deltaE2000(x, y)).toBeCloseTo(deltaE2000(y, x), 9);
    expect(deltaE2000(x, x)).toBe(0);
  });
  it('puts sRGB white at L* 100 with no colour, black at 0', () => {
    const w = rgbToLab(255, 255, 255);
    expect(w.L).toBeCloseTo(100, 2);
    expect(Math.abs(w.a) + Math.abs(w.b)).toBeLessThan(0.05);
    expect(rgbToLab(0, 0, 0).L).toBeCloseTo(0, 5);
    expect(lightness(119, 119, 119)).toBeCloseTo(rgbToLab(119, 119, 119).L, 6);
    expect(lightness(119, 119, 119)).toBeCloseTo(50, 0); // sRGB 119 is mid-grey in L*
  });
  it('gives the standard light blue a blue hue and an orange suit a warm one', () => {
    expect(labHue(rgbToLab(100, 197, 255)).hue).toBeGreaterThan(220);
    expect(labHue(rgbToLab(100, 197, 255)).hue).toBeLessThan(300);
    const orange = labHue(rgbToLab(230, 100, 40));
    expect(orange.hue).toBeLessThan(75);
    expect(orange.chroma).toBeGreaterThan(50);
  });
});
