/**
 * A photo of a photo or of a screen (翻拍) held up to the camera: judged from cues measured on the
 * still (moiré, imaging/presentation.ts) and on the live view the student posed in (no motion at all,
 * flat light, a straight border around the face; imaging/live-view-cues.ts, summed up by
 * live-view-cues.ts here). Pure: cues in, a verdict out. Any one cue past its limit holds the capture
 * for staff: a hold costs staff a look, a print let through costs the student their registration.
 * Human's anti-spoof and liveness models were measured and do not separate re-photographed prints
 * from live faces on single stills (README, "Presentation attacks").
 */

export interface PresentationCues {
  /** the skin's strongest spatial frequency against its scale's median; null: not measured */
  moire: number | null;
  /**
   * The most the face region changed between two live-view samples (normalised block means);
   * null: too few samples to say (a live view shorter than `PresentationPolicy.motionMinSamples`).
   */
  motion?: number | null;
  /** The face region's darkest against its brightest tones in the live view (median of samples); null: not measured. */
  flatLight?: number | null;
  /** Share of the face's height (or width) one straight edge beside or above it runs for (median of samples); null: not measured. */
  border?: number | null;
}

export interface PresentationPolicy {
  /**
   * Moiré score at or above which the capture is held for staff. Live faces measured 3.2-9.1
   * (26 faces, five cameras' worth of JPEGs); generated screen/print moiré 14-31. 12 sits between.
   */
  moireLimit: number;
  /** Motion below which the face "did not move at all" while the student posed (0 turns the cue off). */
  motionMin: number;
  /** Samples the live view must give before "no motion" may be said (fewer: not judged). */
  motionMinSamples: number;
  /** Darkest/brightest ratio at or above which the face is flat-lit: no dark hair, pupil or shadow (1 turns it off). */
  flatLightLimit: number;
  /** Straight-edge run at or above which a border stands around the face (1 turns it off). */
  borderLimit: number;
}

export const DEFAULT_PRESENTATION_POLICY: PresentationPolicy = {
  moireLimit: 12,
  motionMin: 0.02,
  motionMinSamples: 6,
  flatLightLimit: 0.25,
  borderLimit: 0.7,
};

/** The policy from the limits a room configured, the rest by default; refuses limits no cue could use. */
export function presentationPolicy(limits: Partial<PresentationPolicy> = {}): PresentationPolicy {
  const p = { ...DEFAULT_PRESENTATION_POLICY, ...limits };
  if (!(p.moireLimit > 0)) throw new RangeError('moiré limit must be positive');
  if (!(p.motionMin >= 0) || !(p.flatLightLimit > 0) || !(p.borderLimit > 0)) throw new RangeError('presentation limits must be positive');
  if (!(Number.isInteger(p.motionMinSamples) && p.motionMinSamples >= 2)) throw new RangeError('motion needs at least two samples');
  return p;
}

export type PresentationCueName = 'moire' | 'no_motion' | 'flat_light' | 'border';

export interface PresentationEvidence {
  cue: PresentationCueName;
  value: number;
  limit: number;
}

export type PresentationVerdict = { kind: 'live' } | { kind: 'suspect'; cues: PresentationEvidence[] };

/** The verdict on one capture's cues, by a policy made with `presentationPolicy`. */
export function judgePresentation(cues: PresentationCues, p: PresentationPolicy): PresentationVerdict {
  const found: PresentationEvidence[] = [];
  if (cues.moire != null && cues.moire >= p.moireLimit) found.push({ cue: 'moire', value: cues.moire, limit: p.moireLimit });
  if (cues.motion != null && p.motionMin > 0 && cues.motion < p.motionMin) found.push({ cue: 'no_motion', value: cues.motion, limit: p.motionMin });
  if (cues.flatLight != null && p.flatLightLimit < 1 && cues.flatLight >= p.flatLightLimit) found.push({ cue: 'flat_light', value: cues.flatLight, limit: p.flatLightLimit });
  if (cues.border != null && p.borderLimit < 1 && cues.border >= p.borderLimit) found.push({ cue: 'border', value: cues.border, limit: p.borderLimit });
  return found.length ? { kind: 'suspect', cues: found } : { kind: 'live' };
}
