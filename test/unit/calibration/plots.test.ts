import { describe, expect, it } from 'vitest';
import { faceSvg, heatmapSvg, histogramSvg, stepsSvg } from '../../../controller/src/server/staff/calibration-plots.ts';
import { defaultTargets, type ShotFigures } from '../../../controller/src/domain/calibration/figures.ts';

const figures: ShotFigures = {
  histogram: [0.5, ...new Array(62).fill(0), 0.5], clipped: { high: 0.5, low: 0.5 },
  background: { lab: { L: 76, a: -12, b: -37 }, deltaE: 2, exposure: 1, cells: [[1.5, null], [7, 0.2]], spread: 1, leftRightL: 0 },
  face: { lightness: 70, left: 0.4, right: 0.38, halvesL: 1.2, region: { x: 0, y: 0, w: 1, h: 1 }, placedBy: 'guide' },
  grey: null,
};

describe('calibration plots', () => {
  it('draw one cell per heat-map entry, the person\'s cells without a number', () => {
    const svg = heatmapSvg(figures, 'map');
    expect(svg.match(/<rect x=/g)).toHaveLength(4);
    expect(svg).toContain('>1.5<');
    expect(svg).toContain('>7<');
    expect(svg).toContain('fill="#ddd"');
  });

  it('mark clipped ends of the histogram red, and escape labels', () => {
    const svg = histogramSvg(figures, '<script>"x"</script>');
    expect(svg.match(/#c0392b/g)).toHaveLength(2);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('show both face halves against the target band, and one line per figure over the steps', () => {
    expect(faceSvg(figures, defaultTargets, 'face')).toMatch(/L \d+\.?\d*<\/text>.*R \d+/);
    const steps = stepsSvg([{ figures }, { figures }, { figures }], defaultTargets, 'steps', ['a', 'b', 'c']);
    expect(steps.match(/<polyline/g)).toHaveLength(3);
    expect(steps.match(/points="([^"]+)"/)?.[1]?.split(' ')).toHaveLength(3);
  });
});
