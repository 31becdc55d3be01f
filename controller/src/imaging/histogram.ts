/** The grey level (0..255) at or below which `share` of a 256-bin histogram's `n` counts lie. */
export function histogramLevel(hist: ArrayLike<number>, n: number, share: number): number {
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] ?? 0;
    if (acc >= share * n) return v;
  }
  return 255;
}
