/**
 * Two photos, one face each: are they the same person? For staff and for testing (`rig faces
 * compare`). The same path as a capture: landmarks on a ~512 px analysis image, the descriptor from
 * the decoded frame, compared by the same rule as the kiosk's same-face check.
 */
import sharp from 'sharp';
import { faceDistance, faceSimilarity } from '../domain/identity/face-match.ts';
import type { PhotoCode } from '../domain/messages/index.ts';
import type { FaceDescriber } from '../app/ports/reference-faces.ts';
import { landmarkEngine } from './landmarks.ts';
import { DESCRIPTOR_MODEL } from './face-descriptor.ts';

export { DESCRIPTOR_MODEL };

/** Long side of the frame the descriptor's chip is cut from: finer than the analysis image, far smaller than a camera still. */
const DESCRIBE_SIDE = 1600;
const ANALYSIS_SIDE = 512;

export type FaceCompareResult =
  | { ok: true; distance: number; similarity: number; samePerson: boolean; threshold: number }
  | { ok: false; which: 'a' | 'b'; code: Extract<PhotoCode, 'photo.face.none' | 'photo.face.several' | 'photo.input.unreadable'> };

/** The descriptor of the one face of a photo, or why there is none. */
export async function describePhoto(image: Buffer): Promise<Float32Array | Extract<PhotoCode, 'photo.face.none' | 'photo.face.several' | 'photo.input.unreadable'>> {
  let frame: { data: Buffer; info: { width: number; height: number } };
  try {
    frame = await sharp(image).rotate().removeAlpha().resize(DESCRIBE_SIDE, DESCRIBE_SIDE, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  } catch {
    return 'photo.input.unreadable';
  }
  const small = await sharp(frame.data, { raw: { width: frame.info.width, height: frame.info.height, channels: 3 } })
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const engine = await landmarkEngine();
  const faces = await engine.detect(small.data, small.info.width, small.info.height);
  if (faces.length === 0) return 'photo.face.none';
  if (faces.length > 1) return 'photo.face.several';
  return engine.describe({ pixels: frame.data, width: frame.info.width, height: frame.info.height }, faces[0]!, frame.info.width / small.info.width);
}

/** The face net as reference-photo enrolment uses it. */
export const faceDescriber: FaceDescriber = { model: DESCRIPTOR_MODEL, describe: describePhoto };

export async function compareFaces(a: Buffer, b: Buffer, threshold: number): Promise<FaceCompareResult> {
  const da = await describePhoto(a);
  if (typeof da === 'string') return { ok: false, which: 'a', code: da };
  const db = await describePhoto(b);
  if (typeof db === 'string') return { ok: false, which: 'b', code: db };
  const distance = faceDistance(da, db);
  return { ok: true, distance, similarity: faceSimilarity(da, db), samePerson: distance < threshold, threshold };
}
