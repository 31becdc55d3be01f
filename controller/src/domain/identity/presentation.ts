/**
 * A photo of a photo or of a screen (翻拍) held up to the camera: judged from cues the validator
 * measured on the still. Pure: cues in, a verdict out. Only the moiré cue is measured so far
 * (imaging/presentation.ts); Human's anti-spoof and liveness models were measured and do not separate
 * re-photographed prints from live faces on single stills (README, "Presentation attacks").
 */

export interface PresentationCues {
  /** the skin's strongest spatial frequency against its scale's median; null: not measured */
  moire: number | null;
}

export interface PresentationPolicy {
  /**
   * Moiré score at or above which the capture is held for staff. Live faces measured 3.2-9.1
   * (26 faces, five cameras' worth of JPEGs); generated screen/print moiré 14-31. 12 sits between.
   */
  moireLimit: number;
}

export const DEFAULT_PRESENTATION_POLICY: PresentationPolicy = { moireLimit: 12 };

export type PresentationVerdict = { kind: 'live' } | { kind: 'suspect'; cues: Array<{ cue: 'moire'; value: number; limit: number }> };

export function judgePresentation(cues: PresentationCues, policy: PresentationPolicy): PresentationVerdict {
  if (!(policy.moireLimit > 0)) throw new RangeError('moiré limit must be positive');
  if (cues.moire !== null && cues.moire >= policy.moireLimit) return { kind: 'suspect', cues: [{ cue: 'moire', value: cues.moire, limit: policy.moireLimit }] };
  return { kind: 'live' };
}
