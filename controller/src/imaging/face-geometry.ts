/**
 * Face geometry from the landmark mesh (MediaPipe face-mesh numbering, 468 points plus irises),
 * converted from analysis-image pixels to oriented-original pixels.
 */
import type { FaceFound } from '../domain/photo/measurements.ts';
import type { RawFace } from './landmarks.ts';

// Mesh indices: cheek extremes, forehead top, chin, eyelids, inner lips, eye corners.
const CHEEK_A = 234;
const CHEEK_B = 454;
const FOREHEAD = 10;
const CHIN = 152;
const LID_A = [159, 145] as const;
const LID_B = [386, 374] as const;
const LIP_INNER = [13, 14] as const;
const EYE_A = [33, 133] as const;
const EYE_B = [263, 362] as const;

export interface FaceGeometry extends Omit<FaceFound, 'hairTopY'> {
  foreheadY: number;
}

type P = [number, number, number];

function pt(mesh: readonly P[], i: number): P {
  return mesh[i] ?? [0, 0, 0];
}

function dist(a: P | [number, number], b: P | [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function mid(a: P, b: P): [number, number] {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/** `scale` = original pixels per analysis pixel; `aw`/`ah` = analysis size (for the normalised box). */
export function faceGeometry(raw: RawFace, scale: number, aw: number, ah: number): FaceGeometry {
  const m = raw.mesh;
  const eyeA: [number, number] = raw.rightIris ?? mid(pt(m, EYE_A[0]), pt(m, EYE_A[1]));
  const eyeB: [number, number] = raw.leftIris ?? mid(pt(m, EYE_B[0]), pt(m, EYE_B[1]));
  const [left, right] = eyeA[0] <= eyeB[0] ? [eyeA, eyeB] : [eyeB, eyeA];
  const cheekA = pt(m, CHEEK_A);
  const cheekB = pt(m, CHEEK_B);
  const chin = pt(m, CHIN);
  const eyeMid: [number, number] = [(left[0] + right[0]) / 2, (left[1] + right[1]) / 2];
  const eyeToChin = Math.max(1, dist(eyeMid, chin));
  const openA = dist(pt(m, LID_A[0]), pt(m, LID_A[1]));
  const openB = dist(pt(m, LID_B[0]), pt(m, LID_B[1]));
  const [bx, by, bw, bh] = raw.box;
  return {
    score: raw.score,
    box: { x: bx / aw, y: by / ah, w: bw / aw, h: bh / ah },
    eyeLeft: { x: left[0] * scale, y: left[1] * scale },
    eyeRight: { x: right[0] * scale, y: right[1] * scale },
    faceWidth: dist(cheekA, cheekB) * scale,
    faceCentreX: ((cheekA[0] + cheekB[0]) / 2) * scale,
    chinY: chin[1] * scale,
    foreheadY: pt(m, FOREHEAD)[1] * scale,
    yaw: raw.yaw,
    pitch: raw.pitch,
    // The eye line is measured directly: steadier than the mesh's fitted roll.
    roll: (Math.atan2(right[1] - left[1], right[0] - left[0]) * 180) / Math.PI,
    eyeOpening: Math.min(openA, openB) / eyeToChin,
    mouthOpening: dist(pt(m, LIP_INNER[0]), pt(m, LIP_INNER[1])) / eyeToChin,
  };
}
