/** A one-line progress bar on stderr, for terminals only; pipes and CI logs get nothing. */

export interface ProgressBar {
  update(label: string, fraction: number): void;
  done(): void;
}

const WIDTH = 30;
const REDRAW_MS = 100;

export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  let last = 0;
  let shown = false;
  return {
    update(label, fraction) {
      const now = Date.now();
      if (now - last < REDRAW_MS && fraction < 1) return;
      last = now;
      const filled = Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.round(fraction * 100)}%`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

export const noProgress: ProgressBar = { update() {}, done() {} };
