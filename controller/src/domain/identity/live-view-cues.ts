/**
 * The live view a student posed in, summed up for the presentation check (presentation.ts). Each
 * sampled frame is measured by the imaging side (imaging/live-view-cues.ts): a coarse picture of the
 * face region (block means, normalised so that the lights dimming or the camera's exposure moving
 * does not count as motion), its flatness and its straightest edge. Here the samples become cues:
 * the most the face moved between two samples, and the median flatness and border of all samples
 * (one odd frame, a hand passing, decides nothing). Pure: no clock, no I/O.
 */
import type { PresentationCues } from './presentation.ts';

/** What the imaging side measures on one live-view frame. */
export interface LiveViewSample {
  /** Block means of the face region, zero mean and unit spread; same length for every sample of a stream. */
  blocks: ArrayLike<number>;
  /** Darkest against brightest tones in the face (0..1). */
  flatLight: number;
  /** Longest straight edge beside or above the face, as a share of the face's size (0..1). */
  border: number;
}

/** Mean absolute difference of two normalised block pictures. */
export function blockMotion(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError('block pictures differ in size');
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** Samples of one live-view stream, in order. */
export class LiveViewCueTracker {
  private previous: ArrayLike<number> | null = null;
  private motion = 0;
  private pairs = 0;
  private readonly flat: number[] = [];
  private readonly borders: number[] = [];

  add(sample: LiveViewSample): void {
    if (this.previous && this.previous.length === sample.blocks.length) {
      this.motion = Math.max(this.motion, blockMotion(this.previous, sample.blocks));
      this.pairs++;
    }
    this.previous = sample.blocks;
    this.flat.push(sample.flatLight);
    this.borders.push(sample.border);
  }

  get samples(): number {
    return this.flat.length;
  }

  /** The cues so far; motion only once `minSamples` samples were seen (a short look proves no stillness). */
  cues(minSamples: number): Required<Omit<PresentationCues, 'moire'>> {
    const flat = median(this.flat);
    const border = median(this.borders);
    return {
      motion: this.pairs + 1 >= minSamples && this.pairs > 0 ? round3(this.motion) : null,
      flatLight: flat === null ? null : round3(flat),
      border: border === null ? null : round3(border),
    };
  }
}
