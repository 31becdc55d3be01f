/**
 * The calibration page's plots as small SVG documents, drawn here so that the page only shows
 * images (no drawing code in the browser, nothing parsed as HTML). Numbers in, SVG text out.
 */
import type { ShotFigures, CalibrationTargets } from '../../domain/calibration/figures.ts';

const esc = (s: string): string => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
const svg = (w: number, h: number, body: string, label: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(label)}"><rect width="${w}" height="${h}" fill="#fff"/>${body}</svg>`;
const f1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Bars per luma bin, dark to light; the clipped ends in red. */
export function histogramSvg(f: ShotFigures, label: string): string {
  const w = 320, h = 120, n = f.histogram.length, bw = w / n;
  const max = Math.max(...f.histogram, 1e-6);
  const bars = f.histogram.map((v, i) => {
    const bh = (v / max) * (h - 10);
    const clip = i === 0 || i === n - 1;
    return `<rect x="${f1(i * bw)}" y="${f1(h - bh)}" width="${f1(bw - 0.5)}" height="${f1(bh)}" fill="${clip && v > 0.01 ? '#c0392b' : '#34495e'}"/>`;
  }).join('');
  return svg(w, h, bars, label);
}

/** Colour per cell from green (on the profile colour) to red (6+ ΔE00 off); the person's cells grey. */
function heat(v: number | null): string {
  if (v === null) return '#ddd';
  const t = Math.min(1, v / 6);
  return `rgb(${Math.round(60 + 195 * t)},${Math.round(180 - 120 * t)},${Math.round(80 - 40 * t)})`;
}

export function heatmapSvg(f: ShotFigures, label: string): string {
  const cells = f.background?.cells ?? [];
  const rows = cells.length, cols = cells[0]?.length ?? 0;
  const cw = 40, ch = 30;
  const body = cells.flatMap((row, y) => row.map((v, x) =>
    `<rect x="${x * cw}" y="${y * ch}" width="${cw - 1}" height="${ch - 1}" fill="${heat(v)}"/>`
    + (v === null ? '' : `<text x="${x * cw + cw / 2}" y="${y * ch + ch / 2 + 4}" font-size="11" text-anchor="middle" fill="#fff">${f1(v)}</text>`))).join('');
  return svg(Math.max(1, cols * cw), Math.max(1, rows * ch), body, label);
}

/** The two face halves' L* as bars with the target band. */
export function faceSvg(f: ShotFigures, t: CalibrationTargets, label: string): string {
  const w = 200, h = 120;
  const lstar = (y: number): number => (y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y);
  const scale = (L: number): number => h - (L / 100) * h;
  const band = `<rect x="0" y="${f1(scale(t.faceLightness + t.faceTolerance))}" width="${w}" height="${f1((2 * t.faceTolerance / 100) * h)}" fill="#d5f5e3"/>`;
  const bar = (x: number, L: number, name: string): string =>
    `<rect x="${x}" y="${f1(scale(L))}" width="60" height="${f1(h - scale(L))}" fill="#e0a370"/><text x="${x + 30}" y="${f1(Math.max(12, scale(L) - 4))}" font-size="12" text-anchor="middle">${esc(name)} ${f1(L)}</text>`;
  return svg(w, h, band + bar(20, lstar(f.face.left), 'L') + bar(120, lstar(f.face.right), 'R'), label);
}

/** One line per figure over the steps of a run, each against its limit (dashed). */
export function stepsSvg(steps: Array<{ figures: ShotFigures }>, t: CalibrationTargets, label: string, legend: readonly [string, string, string]): string {
  const w = 320, h = 160, n = Math.max(2, steps.length);
  const x = (i: number): number => 20 + (i * (w - 40)) / (n - 1);
  const series: Array<{ colour: string; values: number[]; limit: number; max: number }> = [
    { colour: '#e67e22', values: steps.map((s) => Math.abs(s.figures.face.lightness - t.faceLightness)), limit: t.faceTolerance, max: 40 },
    { colour: '#2980b9', values: steps.map((s) => s.figures.background?.deltaE ?? 40), limit: t.backgroundDeltaE, max: 40 },
    { colour: '#8e44ad', values: steps.map((s) => Math.abs(s.figures.face.halvesL)), limit: t.balance, max: 40 },
  ];
  const y = (v: number, max: number): number => h - 10 - (Math.min(v, max) / max) * (h - 40);
  const key = series.map((s, i) => `<text x="${4 + i * 106}" y="14" font-size="11" fill="${s.colour}">${esc(legend[i] ?? '')}</text>`).join('');
  const body = key + series.map((s) =>
    `<line x1="0" x2="${w}" y1="${f1(y(s.limit, s.max))}" y2="${f1(y(s.limit, s.max))}" stroke="${s.colour}" stroke-dasharray="4 4"/>`
    + `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${s.values.map((v, i) => `${f1(x(i))},${f1(y(v, s.max))}`).join(' ')}"/>`).join('');
  return svg(w, h, body, label);
}
