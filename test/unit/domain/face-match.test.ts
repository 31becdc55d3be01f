import { describe, expect, it } from 'vitest';
import { checkReference, checkSameFace, DEFAULT_SAME_FACE_POLICY, faceDistance, faceSimilarity, type AcceptedFace } from '../../../controller/src/domain/identity/face-match.ts';
import { DEFAULT_PRESENTATION_POLICY, judgePresentation, presentationPolicy } from '../../../controller/src/domain/identity/presentation.ts';

/** A descriptor pointing along one axis, `length` long, plus `offset` along the next: distances are easy to reason about. */
function along(axis: number, offset = 0): number[] {
  const d = new Array<number>(128).fill(0);
  d[axis] = 1;
  d[axis + 1] = offset;
  return d;
}

const hold = { threshold: 0.55, onMatch: 'hold', referenceThreshold: 0.6 } as const;

describe('same face, two identities', () => {
  it('measures Euclidean distance between descriptors', () => {
    expect(faceDistance(along(0), along(0))).toBe(0);
    expect(faceDistance(along(0), along(0, 0.3))).toBeCloseTo(0.3, 6);
    expect(faceDistance(along(0), along(2))).toBeCloseTo(Math.SQRT2, 6);
  });

  it('refuses to compare descriptors of different models (lengths)', () => {
    expect(() => faceDistance(along(0), along(0).slice(0, 64))).toThrow(RangeError);
    expect(() => faceDistance([], [])).toThrow(RangeError);
  });

  it('holds a capture whose face is another student’s accepted face', () => {
    const accepted: AcceptedFace[] = [{ photoId: 7, studentId: 1, descriptor: along(0, 0.2) }];
    const v = checkSameFace({ studentId: 2, descriptor: along(0) }, accepted, hold);
    expect(v).toEqual({ kind: 'match', action: 'hold', matches: [{ photoId: 7, studentId: 1, distance: expect.closeTo(0.2, 6) as number }] });
  });

  it('clears a different face and reports the nearest distance', () => {
    const v = checkSameFace({ studentId: 2, descriptor: along(0) }, [{ photoId: 7, studentId: 1, descriptor: along(4) }], hold);
    expect(v.kind).toBe('clear');
    expect(v.kind === 'clear' ? v.nearest : null).toBeCloseTo(Math.SQRT2, 6);
  });

  it('never matches the student with their own earlier photo (a retake)', () => {
    expect(checkSameFace({ studentId: 1, descriptor: along(0) }, [{ photoId: 7, studentId: 1, descriptor: along(0) }], hold)).toEqual({ kind: 'clear', nearest: null });
  });

  it('draws the line strictly below the threshold', () => {
    const at = [{ photoId: 1, studentId: 1, descriptor: along(0, 0.55) }];
    const under = [{ photoId: 1, studentId: 1, descriptor: along(0, 0.549) }];
    expect(checkSameFace({ studentId: 2, descriptor: along(0) }, at, hold).kind).toBe('clear');
    expect(checkSameFace({ studentId: 2, descriptor: along(0) }, under, hold).kind).toBe('match');
  });

  it('lists every match, nearest first', () => {
    const accepted = [
      { photoId: 1, studentId: 10, descriptor: along(0, 0.4) },
      { photoId: 2, studentId: 11, descriptor: along(0, 0.1) },
      { photoId: 3, studentId: 12, descriptor: along(6) },
    ];
    const v = checkSameFace({ studentId: 2, descriptor: along(0) }, accepted, hold);
    expect(v.kind === 'match' ? v.matches.map((m) => m.photoId) : []).toEqual([2, 1]);
  });

  it('only warns in demo mode, where every student is the one demo subject', () => {
    const v = checkSameFace({ studentId: 2, descriptor: along(0) }, [{ photoId: 7, studentId: 1, descriptor: along(0) }], { ...hold, onMatch: 'warn' });
    expect(v.kind === 'match' ? v.action : null).toBe('warn');
  });

  it('refuses a threshold that could never match or always would', () => {
    expect(() => checkSameFace({ studentId: 2, descriptor: along(0) }, [], { ...hold, threshold: 0 })).toThrow(RangeError);
    expect(DEFAULT_SAME_FACE_POLICY.threshold).toBeGreaterThan(0.3); // above every same-person pair measured
    expect(DEFAULT_SAME_FACE_POLICY.threshold).toBeLessThan(0.56); // below every different-person pair measured
  });
});

describe('similarity of two descriptors', () => {
  it('is 1 for the same direction, 0 at right angles and -1 opposite, whatever the lengths', () => {
    expect(faceSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 9);
    expect(faceSimilarity([1, 0], [0, 5])).toBe(0);
    expect(faceSimilarity([1, -1], [-2, 2])).toBeCloseTo(-1, 9);
    expect(() => faceSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});

describe('a photo of a photo or of a screen', () => {
  const policy = presentationPolicy({ moireLimit: 12 });
  it('is suspected when the skin shows moiré at or above the limit', () => {
    expect(judgePresentation({ moire: 12 }, policy)).toEqual({ kind: 'suspect', cues: [{ cue: 'moire', value: 12, limit: 12 }] });
    expect(judgePresentation({ moire: 31.4 }, policy).kind).toBe('suspect');
  });
  it('passes a live face’s smooth skin and a face whose skin could not be measured', () => {
    expect(judgePresentation({ moire: 9.1 }, policy)).toEqual({ kind: 'live' });
    expect(judgePresentation({ moire: null }, policy)).toEqual({ kind: 'live' });
  });
  it('refuses a limit that would suspect every face', () => {
    expect(() => presentationPolicy({ moireLimit: 0 })).toThrow(RangeError);
    expect(DEFAULT_PRESENTATION_POLICY.moireLimit).toBeGreaterThan(9.1); // above every live face measured
  });
});

describe('the student’s own reference photo', () => {
  it('is consistent under the reference threshold and unlike at or above it', () => {
    expect(checkReference(along(0), along(0, 0.59), { referenceThreshold: 0.6 })).toEqual({ kind: 'consistent', distance: expect.closeTo(0.59, 6) as number });
    expect(checkReference(along(0), along(0, 0.6), { referenceThreshold: 0.6 }).kind).toBe('unlike');
    expect(checkReference(along(0), along(4), { referenceThreshold: 0.6 }).kind).toBe('unlike');
  });
  it('is looser than the same-face threshold (a reference may be years older)', () => {
    expect(DEFAULT_SAME_FACE_POLICY.referenceThreshold).toBeGreaterThan(DEFAULT_SAME_FACE_POLICY.threshold);
    expect(() => checkReference(along(0), along(0), { referenceThreshold: 0 })).toThrow(RangeError);
  });
});
