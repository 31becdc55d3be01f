import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rigInProcess } from '../support/rig.ts';
import { REAL_PORTRAITS } from '../fixtures/portraits.ts';
import { sharedFixtures } from '../support/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-faces-'));
const collinsJpeg = join(dir, 'collins-q40.jpg');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  // Another "photo" of the same person: cropped and re-encoded.
  writeFileSync(collinsJpeg, await sharp(REAL_PORTRAITS.collins.file).extract({ left: 40, top: 20, width: 400, height: 420 }).jpeg({ quality: 40 }).toBuffer());
});

const compare = (...args: string[]) => rigInProcess(['faces', 'compare', ...args]);

describe('rig faces compare', { timeout: 120_000 }, () => {
  it('says two photos of one person are the same person (exit 0)', async () => {
    const r = await compare(REAL_PORTRAITS.collins.file, collinsJpeg, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { similarity: number; distance: number; samePerson: boolean; threshold: number };
    expect(json).toMatchObject({ samePerson: true, threshold: 0.55 });
    expect(json.distance).toBeLessThan(0.55);
    expect(json.similarity).toBeGreaterThan(0.9);
    expect(json.similarity).toBeLessThanOrEqual(1);
  });

  it('says two people are different (exit 1), against the threshold given', async () => {
    const r = await compare(REAL_PORTRAITS.collins.file, REAL_PORTRAITS.hopper.file, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { similarity: number; samePerson: boolean; threshold: number };
    expect(json).toMatchObject({ samePerson: false, threshold: 0.55 });
    expect(json.similarity).toBeLessThan(0.9);
    const loose = await compare(REAL_PORTRAITS.collins.file, REAL_PORTRAITS.hopper.file, '--json', '--threshold', '0.9');
    expect(JSON.parse(loose.stdout)).toMatchObject({ samePerson: true, threshold: 0.9 });
  });

  it('refuses a photo without a face and a missing file with a clear error (exit 2)', async () => {
    expect((await compare(REAL_PORTRAITS.collins.file, join(sharedFixtures, 'no-face', 'chelsea.png'))).code).toBe(2);
    expect((await compare(REAL_PORTRAITS.collins.file, join(dir, 'nope.jpg'))).code).toBe(2);
  });
});
