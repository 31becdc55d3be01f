import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureRepository } from '../../../controller/src/store/capture-repository.ts';
import { Database } from '../../../controller/src/store/database.ts';
import { loadDemoDataIfEmpty } from '../../../controller/src/store/demo-data.ts';
import { blobDescriptor, decideHold, descriptorBlob, heldCapture, IdentityRepository, listHolds } from '../../../controller/src/store/identity-repository.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const face = (seed: number): number[] => Array.from({ length: 128 }, (_, i) => Math.fround(Math.sin(seed * 31 + i) * 0.1));

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'rig-identity-'));
  dirs.push(dir);
  const db = await Database.open(join(dir, 'rig.db'));
  await loadDemoDataIfEmpty(db, { schoolCode: '10000', today: '2026-06-10', tomorrow: '2026-06-11', now: new Date('2026-06-10T02:00:00Z') });
  const students = await db.all<{ id: number }>('SELECT id FROM students ORDER BY id LIMIT 3');
  const captures = new CaptureRepository(db, dir);
  let n = 0;
  const accept = async (studentId: number, seed: number, repo = captures) => {
    const session = await repo.startSession(studentId, 'C', new Date());
    const attemptId = await repo.recordAttempt({ sessionId: session, studentId, attemptNo: 1, takenAt: new Date(), profile: 'chsi-2017', verdict: 'pass', reasons: [], checks: [], timings: {}, original: Buffer.from('o') });
    n++;
    return repo.accept({
      attemptId, studentId, day: '2026-06-10', schoolCode: '10000', department: 'd', studentNumber: `s${n}`, codeText: 'C',
      original: Buffer.from(`o${n}`), deliverable: Buffer.from(`d${n}`), acceptedAt: new Date(), faceDescriptor: { model: 'm1', values: face(seed) },
    });
  };
  return { db, dir, ids: students.map((s) => s.id), accept, faces: new IdentityRepository(db) };
}

describe('stored face descriptors', () => {
  it('round-trip as 128 float32 and refuse any other length', () => {
    const d = face(1);
    expect(Array.from(blobDescriptor(descriptorBlob(d)))).toEqual(d);
    expect(() => descriptorBlob(d.slice(0, 64))).toThrow(RangeError);
  });

  it('follow the accepted photos in force: new ones (from any writer) join, superseded ones leave', async () => {
    const { db, dir, ids, accept, faces } = await setup();
    const a = await accept(ids[0]!, 1);
    expect((await faces.acceptedFaces('10000', 'm1')).map((f) => [f.photoId, f.studentId])).toEqual([[a.id, ids[0]]]);
    expect(await faces.acceptedFaces('10000', 'other-model')).toEqual([]);
    expect(await faces.acceptedFaces('10001', 'm1')).toEqual([]);
    // Accepted by staff through their own repository: the kiosk's cache still sees it.
    const b = await accept(ids[1]!, 2, new CaptureRepository(db, dir));
    const listed = await faces.acceptedFaces('10000', 'm1');
    expect(listed.map((f) => f.photoId)).toEqual([a.id, b.id]);
    expect(Array.from(listed[1]!.descriptor)).toEqual(face(2));
    await db.run('UPDATE accepted_photos SET superseded_at = ? WHERE id = ?', [new Date().toISOString(), a.id]);
    expect((await faces.acceptedFaces('10000', 'm1')).map((f) => f.photoId)).toEqual([b.id]);
    await db.close();
  });

  it('keep a held capture with its files and evidence until staff decide once', async () => {
    const { db, ids, accept, faces } = await setup();
    const a = await accept(ids[0]!, 1);
    const second = ids[1]!;
    const session = await db.run("INSERT INTO capture_sessions (student_id, code_text, started_at) VALUES (?, 'C2', 'x')", [second]);
    const attempt = await db.run("INSERT INTO capture_attempts (session_id, student_id, attempt_no, taken_at, profile, verdict, reasons, checks, timings, original_sha256, original_bytes) VALUES (?, ?, 1, 'x', 'p', 'pass', '[]', '[]', '{}', 'x', 1)", [session.lastID, second]);
    const id = await faces.recordHold({
      attemptId: attempt.lastID, sessionId: session.lastID, studentId: ids[1]!, schoolCode: '10000', day: '2026-06-10', codeText: 'C2', action: 'hold', reason: 'same_face',
      matches: [{ photoId: a.id, studentId: ids[0]!, distance: 0.2 }], descriptor: { model: 'm1', values: face(1) }, original: Buffer.from('O'), deliverable: Buffer.from('D'), at: new Date(),
    });
    const [hold] = await listHolds(db, { open: true });
    expect(hold).toMatchObject({ id, action: 'hold', reason: 'same_face', evidence: [], decision: null, matches: [{ photoId: a.id, distance: 0.2, photo: { date: '2026-06-10', sequence: 1 } }] });
    expect((await heldCapture(db, id))?.deliverable.toString()).toBe('D');
    expect(await decideHold(db, id, { decision: 'rejected', by: 'office', at: new Date(), note: null, photoId: null })).toBe(true);
    expect(await decideHold(db, id, { decision: 'accepted', by: 'office', at: new Date(), note: null, photoId: null })).toBe(false);
    expect(await heldCapture(db, id)).toBeUndefined();
    expect(await listHolds(db, { open: true })).toEqual([]);
    await db.close();
  });
});
