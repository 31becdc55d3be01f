/**
 * Face descriptors on real portraits (test/fixtures/README.md: Eileen Collins and Grace Hopper, both
 * public domain) and variants generated from them here: crop, scale, JPEG, noise, a turned head. The
 * same person stays under the same-face threshold, the two people stay over it, and the validator
 * reports the descriptor of a capture it could crop, with the moiré cue of a photo of a screen.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSameFace, DEFAULT_SAME_FACE_POLICY, faceDistance } from '../../controller/src/domain/identity/face-match.ts';
import { landmarkEngine, type LandmarkEngine } from '../../controller/src/imaging/landmarks.ts';
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import { DESCRIPTOR_LENGTH } from '../../controller/src/imaging/face-descriptor.ts';
import { REAL_PORTRAITS } from '../fixtures/portraits.ts';
import { addNoise, sceneJpeg } from '../fixtures/compose.ts';
import { room } from '../fixtures/variants.ts';
import { rephotographed } from '../fixtures/presentation.ts';
import { DEFAULT_PRESENTATION_POLICY } from '../../controller/src/domain/identity/presentation.ts';

let engine: LandmarkEngine;
const threshold = DEFAULT_SAME_FACE_POLICY.threshold;

async function describeImage(image: Buffer | string): Promise<Float32Array> {
  const { data, info } = await sharp(image).removeAlpha().resize(512, 512, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const faces = await engine.detect(data, info.width, info.height);
  expect(faces, 'one face found').toHaveLength(1);
  return engine.describe({ pixels: data, width: info.width, height: info.height }, faces[0]!);
}

/** The variants a second photo of the same person stands in for. */
async function variants(file: string): Promise<Record<string, Buffer>> {
  const m = await sharp(file).metadata();
  const w = m.width ?? 0, h = m.height ?? 0;
  const raw = await sharp(file).removeAlpha().raw().toBuffer();
  addNoise(raw, 8, 3);
  return {
    crop: await sharp(file).extract({ left: Math.round(w * 0.1), top: Math.round(h * 0.05), width: Math.round(w * 0.7), height: Math.round(h * 0.7) }).png().toBuffer(),
    small: await sharp(file).resize(Math.round(w * 0.45)).png().toBuffer(),
    jpeg30: await sharp(file).jpeg({ quality: 30 }).toBuffer(),
    noise: await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer(),
    turned: await sharp(file).rotate(8, { background: '#808080' }).png().toBuffer(),
  };
}

beforeAll(async () => {
  engine = await landmarkEngine();
  await engine.loadDescriber();
}, 120_000);

describe('face descriptors', { timeout: 120_000 }, () => {
  it('keep each person under the threshold across crops, scales, JPEG, noise and a turned head, and the two people apart', async () => {
    const people = { collins: REAL_PORTRAITS.collins.file, hopper: REAL_PORTRAITS.hopper.file };
    const base: Record<string, Float32Array> = {};
    for (const [name, file] of Object.entries(people)) {
      base[name] = await describeImage(file);
      expect(base[name]).toHaveLength(DESCRIPTOR_LENGTH);
      for (const [variant, image] of Object.entries(await variants(file))) {
        expect(faceDistance(base[name]!, await describeImage(image)), `${name} ${variant}`).toBeLessThan(threshold);
      }
    }
    expect(faceDistance(base.collins!, base.hopper!)).toBeGreaterThan(threshold);
  });

  it('hold the same person under another ID and not a different person', async () => {
    const collins = await describeImage(REAL_PORTRAITS.collins.file);
    const hopper = await describeImage(REAL_PORTRAITS.hopper.file);
    const accepted = [{ photoId: 1, studentId: 1, descriptor: collins }];
    const again = await describeImage((await variants(REAL_PORTRAITS.collins.file)).jpeg30!);
    expect(checkSameFace({ studentId: 2, descriptor: again }, accepted, DEFAULT_SAME_FACE_POLICY).kind).toBe('match');
    expect(checkSameFace({ studentId: 2, descriptor: hopper }, accepted, DEFAULT_SAME_FACE_POLICY).kind).toBe('clear');
  });

  it('come with the validator’s report of a room capture, from the landmarks it already found', async () => {
    const validator = await createPhotoValidator({ faceDescriptor: true });
    try {
      const shot = await sceneJpeg(room());
      const report = await validator.validate(shot, { preview: false });
      expect(report.deliverable).toBeDefined();
      const checked = await report.faceCheck!();
      expect(checked.descriptor.values).toHaveLength(DESCRIPTOR_LENGTH);
      expect(checked.ms).toBeGreaterThan(0);
      // The room capture is the Collins cut-out: the same person as her portrait.
      expect(faceDistance(checked.descriptor.values, await describeImage(REAL_PORTRAITS.collins.file))).toBeLessThan(threshold);
      const plain = await createPhotoValidator();
      expect((await plain.validate(shot, { preview: false })).faceCheck).toBeUndefined();
      await plain.close();
    } finally {
      await validator.close();
    }
  });

  it('measure moiré on a photo of a screen or a print, and none on a live face', async () => {
    const validator = await createPhotoValidator({ faceDescriptor: true });
    try {
      const shot = await sceneJpeg(room());
      const moire = async (image: Buffer): Promise<number | null> => (await (await validator.validate(image, { preview: false })).faceCheck!()).presentation.moire;
      const live = await moire(shot);
      expect(live).toBeLessThan(DEFAULT_PRESENTATION_POLICY.moireLimit);
      for (const pattern of [{}, { fx: 1.3, fy: 0.2, amplitude: 12 }, { fx: 0.45, fy: 0.6, amplitude: 20 }]) {
        const screen = await moire(await rephotographed(shot, pattern));
        expect(screen, JSON.stringify(pattern)).toBeGreaterThanOrEqual(DEFAULT_PRESENTATION_POLICY.moireLimit);
      }
    } finally {
      await validator.close();
    }
  });
});
