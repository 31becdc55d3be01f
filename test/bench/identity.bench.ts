/**
 * `npm run bench -- identity [RUNS]`: what the identity checks add to a capture. Shutter -> review:
 * validation with the face check offered (the landmarks and the decoded frame kept for it) against
 * validation without, on the same still, in adjacent pairs (a shared machine's load drifts; a pair
 * sees the same load). At acceptance (review -> receipt, while the student has already seen the
 * photo): the face check itself (the recognition net on the face the landmarks already found, and the
 * moiré cue), the same-face comparison as the accepted faces grow to 5,000, and the cold read of 5,000
 * stored descriptors from SQLite (once per process, then cached).
 * ratio = median over pairs of validation with the checks / without: the engine's share of shutter ->
 * review (the camera and the browser, the same either way, are left out, so the kiosk's own ratio is
 * nearer 1 still).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import { checkSameFace, DEFAULT_SAME_FACE_POLICY, type AcceptedFace } from '../../controller/src/domain/identity/face-match.ts';
import { Database } from '../../controller/src/store/database.ts';
import { descriptorBlob, IdentityRepository } from '../../controller/src/store/identity-repository.ts';
import { seededRandom } from '../../controller/src/domain/seeded-random.ts';
import { sceneJpeg } from '../fixtures/compose.ts';
import { camera24Jpeg, room } from '../fixtures/variants.ts';

const RUNS = Number(process.argv[2] ?? 15);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

const random = seededRandom(7);
function randomFaces(n: number): AcceptedFace[] {
  return Array.from({ length: n }, (_, i) => {
    const d = new Float32Array(128);
    for (let j = 0; j < 128; j++) d[j] = (random() - 0.5) * 0.2;
    return { photoId: i + 1, studentId: i + 1, descriptor: d };
  });
}

const plain = await createPhotoValidator();
const checked = await createPhotoValidator({ faceDescriptor: true });
const stills = { 'room 1200x1600': await sceneJpeg(room()), 'camera 4000x6000': await camera24Jpeg() };
for (const image of Object.values(stills)) {
  await plain.validate(image, { preview: false }); // warm-up: JIT, wasm kernels
  await checked.validate(image, { preview: false });
}

const faces5000 = randomFaces(5000);
const candidate = randomFaces(1)[0]!;
const ratios: number[] = [];
for (const [name, image] of Object.entries(stills)) {
  const without: number[] = [], withChecks: number[] = [], descriptor: number[] = [], atAccept: number[] = [];
  let moire: number | null = null;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await plain.validate(image, { preview: false });
    without.push(performance.now() - t);
    t = performance.now();
    const r = await checked.validate(image, { preview: false });
    withChecks.push(performance.now() - t);
    ratios.push((withChecks.at(-1) ?? NaN) / (without.at(-1) ?? NaN));
    if (!r.faceCheck) throw new Error(`no face check for ${name}: ${r.verdict}`);
    // At acceptance (review -> receipt): the face check and the comparison with 5,000 faces.
    t = performance.now();
    const c = await r.faceCheck();
    checkSameFace({ studentId: 0, descriptor: c.descriptor.values }, faces5000, DEFAULT_SAME_FACE_POLICY);
    atAccept.push(performance.now() - t);
    descriptor.push(c.ms);
    moire = c.presentation.moire;
  }
  console.log(`${name}: shutter -> review validation ${ms(median(without))} without the checks, ${ms(median(withChecks))} with them offered; at acceptance: face check ${ms(median(descriptor))} (descriptor + moiré), with the 5,000-face comparison ${ms(median(atAccept))}; moiré ${moire}`);
}

for (const n of [0, 100, 1000, 5000]) {
  const faces = faces5000.slice(0, n);
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    checkSameFace(candidate, faces, DEFAULT_SAME_FACE_POLICY);
    times.push(performance.now() - t);
  }
  console.log(`same-face comparison against ${n} accepted faces: ${ms(median(times))}`);
}

// The cold read: 5,000 stored descriptors into the cache (once per process).
const dir = mkdtempSync(join(tmpdir(), 'rig-bench-identity-'));
const db = await Database.open(join(dir, 'rig.db'));
try {
  await db.transaction(async (tx) => {
    await tx.run("INSERT INTO students (id_number, name, gender, birth_date, school_code, education_level, major, department, class_name, student_number, education_category, qualification_passed, row_hash, imported_at, updated_at) VALUES ('110101200001010011', 'x', 'M', '2000-01-01', '10000', '本科', 'm', 'd', 'c', 's0', 'regular', 1, 'h', 'x', 'x')");
    await tx.run("INSERT INTO capture_sessions (student_id, code_text, started_at) VALUES (1, 'x', '2026-01-01T00:00:00Z')");
    for (const f of faces5000) {
      await tx.run("INSERT INTO capture_attempts (session_id, student_id, attempt_no, taken_at, profile, verdict, reasons, checks, timings, original_sha256, original_bytes) VALUES (1, 1, ?, 'x', 'p', 'pass', '[]', '[]', '{}', 'x', 1)", [f.photoId]);
      await tx.run("INSERT INTO accepted_photos (attempt_id, student_id, day, school_code, sequence, code_text, original_path, original_sha256, original_bytes, deliverable_path, deliverable_sha256, deliverable_bytes, accepted_at) VALUES (?, 1, '2026-01-01', '10000', ?, 'x', 'o', 'x', 1, 'd', 'x', 1, 'x')", [f.photoId, f.photoId]);
      await tx.run('INSERT INTO face_descriptors (photo_id, model, descriptor) VALUES (?, ?, ?)', [f.photoId, 'm', descriptorBlob(f.descriptor)]);
    }
  });
  const repo = new IdentityRepository(db);
  let t = performance.now();
  const loaded = await repo.acceptedFaces('10000', 'm');
  const cold = performance.now() - t;
  t = performance.now();
  await repo.acceptedFaces('10000', 'm');
  console.log(`reading ${loaded.length} stored descriptors: ${ms(cold)} cold (once per process), ${ms(performance.now() - t)} cached`);
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  await plain.close();
  await checked.close();
}
console.log(`ratio: ${median(ratios).toFixed(3)}`);
