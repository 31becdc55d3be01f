import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rigInProcess } from '../support/rig.ts';
import { REAL_PORTRAITS } from '../fixtures/portraits.ts';
import { sharedFixtures } from '../support/paths.ts';
import { Database } from '../../controller/src/store/database.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { insertStudents, student } from '../staff/helpers.ts';

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

describe('rig faces enroll', { timeout: 120_000 }, () => {
  const data = join(dir, 'data');
  const folder = join(dir, 'references');
  const stored = async <T>(read: (db: Database) => Promise<T>): Promise<T> => {
    const db = await Database.open(join(data, 'rig.db'));
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  };
  beforeAll(async () => {
    mkdirSync(folder, { recursive: true });
    await stored((db) => insertStudents(db, [student(1), student(2)]));
    writeFileSync(join(folder, `${student(1).idNumber}.jpg`), readFileSync(collinsJpeg));
    writeFileSync(join(folder, 'NOBODY123.jpg'), readFileSync(collinsJpeg));
    writeFileSync(join(folder, `${student(2).collectionCode}.png`), readFileSync(join(sharedFixtures, 'no-face', 'chelsea.png')));
    writeFileSync(join(folder, 'notes.txt'), 'not a photo');
  });

  it('enrols the folder\'s photo of a student and lists the others with their reasons (exit 1), audited', async () => {
    const r = await rigInProcess(['--data', data, 'faces', 'enroll', folder, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      enrolled: [`${student(1).idNumber}.jpg`],
      skipped: [{ file: `${student(2).collectionCode}.png`, reason: 'photo.face.none' }, { file: 'NOBODY123.jpg', reason: 'kiosk.identify.unknown_code' }],
    });
    const audit = await stored((db) => listAudit(db, { action: 'faces.enroll' }));
    expect(audit).toMatchObject([{ target: 'references', details: { enrolled: 1, skipped: 2 } }]);
    expect(audit[0]!.actor).toMatch(/^cli/);
  });

  it('refuses a file that is no ZIP (exit 65) and enrols nothing', async () => {
    const notZip = join(dir, 'photos.zip');
    writeFileSync(notZip, 'not a zip at all');
    const r = await rigInProcess(['--data', data, 'faces', 'enroll', notZip]);
    expect(r.code).toBe(65);
    expect(await stored((db) => listAudit(db, { action: 'faces.enroll' }))).toHaveLength(1);
  });
});
