/**
 * Same face, two identities (代拍/替考): a new capture whose face descriptor lies within the threshold
 * of an accepted photo of a different student of the same school and season. Pure: descriptors in,
 * a verdict out; the store keeps the descriptors, the kiosk acts on the verdict.
 */

/** An accepted photo's face, as the same-face check reads it. */
export interface AcceptedFace {
  photoId: number;
  studentId: number;
  descriptor: ArrayLike<number>;
}

export interface SameFacePolicy {
  /**
   * Euclidean distance between descriptors under which two faces count as the same person. The
   * network's authors suggest 0.6; measured here (README, "Same face, two identities") same-person
   * pairs lay at 0.02-0.30 and different people at 0.56 and above, so 0.55 holds fewer strangers.
   */
  threshold: number;
  /** 'hold' for staff review (the room); 'warn' only (demo mode, where every student is one subject). */
  onMatch: 'hold' | 'warn';
  /**
   * Distance from the student's enrolled reference photo at or above which the capture is held: a
   * reference is often years older (an admission photo), so this is the network's customary 0.6, looser
   * than the same-face threshold. Not measured on real reference pairs here (README).
   */
  referenceThreshold: number;
}

export const DEFAULT_SAME_FACE_POLICY: SameFacePolicy = { threshold: 0.55, onMatch: 'hold', referenceThreshold: 0.6 };

/** Is the capture likely the person of the student's reference photo? */
export function checkReference(candidate: ArrayLike<number>, reference: ArrayLike<number>, policy: Pick<SameFacePolicy, 'referenceThreshold'>): { kind: 'consistent' | 'unlike'; distance: number } {
  if (!(policy.referenceThreshold > 0)) throw new RangeError('reference threshold must be positive');
  const distance = faceDistance(candidate, reference);
  return { kind: distance >= policy.referenceThreshold ? 'unlike' : 'consistent', distance };
}

export interface FaceMatch {
  photoId: number;
  studentId: number;
  distance: number;
}

export type SameFaceVerdict =
  | { kind: 'clear'; nearest: number | null }
  | { kind: 'match'; action: 'hold' | 'warn'; matches: FaceMatch[] };

/** Euclidean distance; descriptors of different lengths come from different models and never compare. */
export function faceDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError(`face descriptors of lengths ${a.length} and ${b.length} do not compare`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * Cosine similarity of two descriptors (1: the same direction), printed beside the distance for
 * staff who know face matching by "similarity"; the checks themselves decide on the distance.
 */
export function faceSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError(`face descriptors of lengths ${a.length} and ${b.length} do not compare`);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0, y = b[i] ?? 0;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * Compares a new capture with the accepted faces. The student's own earlier photos never match (a
 * retake is the same person by design); matches come nearest first.
 */
export function checkSameFace(candidate: { studentId: number; descriptor: ArrayLike<number> }, accepted: Iterable<AcceptedFace>, policy: SameFacePolicy): SameFaceVerdict {
  if (!(policy.threshold > 0)) throw new RangeError('same-face threshold must be positive');
  const matches: FaceMatch[] = [];
  let nearest: number | null = null;
  for (const face of accepted) {
    if (face.studentId === candidate.studentId) continue;
    const distance = faceDistance(candidate.descriptor, face.descriptor);
    if (nearest === null || distance < nearest) nearest = distance;
    if (distance < policy.threshold) matches.push({ photoId: face.photoId, studentId: face.studentId, distance });
  }
  if (matches.length === 0) return { kind: 'clear', nearest };
  matches.sort((a, b) => a.distance - b.distance);
  return { kind: 'match', action: policy.onMatch, matches };
}
