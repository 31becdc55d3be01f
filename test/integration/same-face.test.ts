/**
 * Same face, two identities, through the kiosk API and the staff service: the simulated camera shows
 * the one demo subject, so a second student photographed after the first is the same face under
 * another identity. The first capture is stored as usual with its face descriptor; the second is held
 * for staff (the student sees "wait for staff"), listed with both photos, and accepted by staff into
 * the archive, audited. A still that reaches the validator as a photo of a screen (moiré) is held too,
 * and so is a print propped up before the camera, on what the live view showed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import type { PhotoValidatorPort } from '../../controller/src/app/ports/kiosk.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { addUser } from '../staff/helpers.ts';
import { rephotographed } from '../fixtures/presentation.ts';
import { heldUpPrint } from '../fixtures/held-up-print.ts';
import { REAL_PORTRAITS } from '../fixtures/portraits.ts';
import { rigInProcess } from '../support/rig.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

let k: TestKiosk;
let validator: PhotoValidatorPort;
/** While set, the camera's still reaches the validator as a photo of a screen would. */
let throughScreen = false;
let staff: StaffApp;
let headers: Record<string, string>;
const student = (i: number) => k.runtime.demoStudents[i] as NonNullable<(typeof k.runtime.demoStudents)[number]>;

/**
 * Scan to review and accept; resolves to the state the kiosk reaches after the accept. `poseMs`: how
 * long the sitter stays in the live view before the shutter is pressed.
 */
async function captureAndAccept(code: string, poseMs = 0): Promise<{ state: 'receipt' | 'see-staff'; notice: string | null }> {
  await k.api('POST', '/api/kiosk/scan', { code });
  await k.waitFor('confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.waitFor('pose');
  if (poseMs > 0) await new Promise((r) => setTimeout(r, poseMs));
  await k.api('POST', '/api/kiosk/capture');
  await k.waitFor('review');
  await k.api('POST', '/api/kiosk/accept');
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const v = (await k.api<{ state: string; notice?: { code: string } | null }>('GET', '/api/kiosk/state')).body;
    if (v.state === 'receipt' || v.state === 'see-staff') {
      await k.api('POST', v.state === 'receipt' ? '/api/kiosk/confirm' : '/api/kiosk/cancel');
      await k.waitFor('idle');
      return { state: v.state, notice: v.notice?.code ?? null };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the kiosk reached neither the receipt nor "see staff"');
}

beforeAll(async () => {
  const real = await createPhotoValidator({ faceDescriptor: true });
  validator = {
    validate: async (image, options) => real.validate(throughScreen ? await rephotographed(image) : image, options),
    profile: (id) => real.profile(id),
    close: () => real.close(),
  };
  k = await startTestKiosk({ validator, identity: { onMatch: 'hold' } });
  headers = { authorization: `Bearer ${await addUser(k.runtime.db, 'office', 'staff')}` };
  staff = await buildStaffApp({ db: k.runtime.db, dataDir: k.dataDir, photos: new SqlPhotoSource(k.runtime.db, '10000') });
}, 120_000);
afterAll(async () => {
  await staff?.app.close();
  await k?.close();
  await validator?.close();
});

describe('same face, two identities', { timeout: 120_000 }, () => {
  it('stores a normal capture with its face descriptor and does not hold it', async () => {
    expect(await captureAndAccept(student(0).collectionCode)).toEqual({ state: 'receipt', notice: null });
    const rows = await k.runtime.db.all<{ student_id: number; bytes: number; model: string }>(
      'SELECT p.student_id, length(f.descriptor) AS bytes, f.model FROM accepted_photos p JOIN face_descriptors f ON f.photo_id = p.id',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ bytes: 512, model: expect.stringContaining('face_recognition_model') as string });
    expect(await k.runtime.db.all('SELECT id FROM identity_holds')).toEqual([]);
  });

  it('holds the same face captured under a second student for staff, with both photos', async () => {
    expect(await captureAndAccept(student(1).collectionCode)).toEqual({ state: 'see-staff', notice: 'kiosk.identity.held' });
    const accepted = await k.runtime.db.all<{ student_id: number }>('SELECT student_id FROM accepted_photos ORDER BY id');
    expect(accepted).toHaveLength(1); // the second student's photo waits for staff

    const list = await staff.app.inject({ url: '/api/identity/holds?open=true', headers });
    expect(list.statusCode).toBe(200);
    const holds = list.json().holds as Array<{ id: number; action: string; student: { studentNumber: string }; matches: Array<{ distance: number; student: { studentNumber: string }; photo: { date: string; sequence: number } | null }> }>;
    expect(holds).toHaveLength(1);
    const hold = holds[0]!;
    expect(hold.action).toBe('hold');
    expect(hold.student.studentNumber).toBe(student(1).studentNumber);
    expect(hold.matches).toHaveLength(1);
    expect(hold.matches[0]!.student.studentNumber).toBe(student(0).studentNumber);
    expect(hold.matches[0]!.distance).toBeLessThan(0.55);

    // Side by side: the held photo and the matched accepted one, both JPEGs.
    const held = await staff.app.inject({ url: `/api/identity/holds/${hold.id}/photo`, headers });
    expect(held.headers['content-type']).toBe('image/jpeg');
    expect(held.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');
    const m = hold.matches[0]!.photo!;
    const matched = await staff.app.inject({ url: `/api/photos/${m.date}/${m.sequence}/file`, headers });
    expect(matched.statusCode).toBe(200);
    expect(matched.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');

    // The progress page counts the student as waiting for staff in their class.
    const progress = await staff.app.inject({ url: `/api/progress?date=${m.date}`, headers });
    const classes = progress.json().classes as Array<{ department: string; className: string; held: number }>;
    const own = classes.find((c) => c.department === student(1).department && c.className === student(1).className);
    expect(own?.held).toBe(1);
    expect(classes.reduce((n, c) => n + c.held, 0)).toBe(1);
  });

  it('lets staff accept a held capture into the archive once, audited', async () => {
    const [hold] = (await staff.app.inject({ url: '/api/identity/holds?open=true', headers })).json().holds as Array<{ id: number }>;
    const decided = await staff.app.inject({ method: 'POST', url: `/api/identity/holds/${hold!.id}/decision`, headers, payload: { decision: 'accept', note: 'twins, checked ID cards' } });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().hold).toMatchObject({ decision: 'accepted', decidedBy: 'office', note: 'twins, checked ID cards' });
    const accepted = await k.runtime.db.all<{ student_id: number; sequence: number }>('SELECT student_id, sequence FROM accepted_photos ORDER BY id');
    expect(accepted.map((a) => a.sequence)).toEqual([1, 2]);
    const audit = await k.runtime.db.all<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE action LIKE 'identity.%'");
    expect(audit).toEqual([{ action: 'identity.hold.accept', actor: 'office' }]);

    const again = await staff.app.inject({ method: 'POST', url: `/api/identity/holds/${hold!.id}/decision`, headers, payload: { decision: 'reject' } });
    expect(again.statusCode).toBe(404);
    expect((await staff.app.inject({ url: '/api/identity/holds?open=true', headers })).json().holds).toEqual([]);
  });

  it('holds a capture that looks like a photo of a screen, and staff may reject it, audited', async () => {
    throughScreen = true;
    try {
      expect(await captureAndAccept(student(2).collectionCode)).toEqual({ state: 'see-staff', notice: 'kiosk.identity.presentation' });
    } finally {
      throughScreen = false;
    }
    const [hold] = (await staff.app.inject({ url: '/api/identity/holds?open=true', headers })).json().holds as Array<{ id: number; reason: string; evidence: Array<{ cue: string; value: number; limit: number }>; matches: unknown[] }>;
    expect(hold).toMatchObject({ reason: 'presentation', matches: [] });
    expect(hold!.evidence[0]).toMatchObject({ cue: 'moire', limit: 12 });
    expect(hold!.evidence[0]!.value).toBeGreaterThanOrEqual(12);
    const decided = await staff.app.inject({ method: 'POST', url: `/api/identity/holds/${hold!.id}/decision`, headers, payload: { decision: 'reject' } });
    expect(decided.json().hold).toMatchObject({ decision: 'rejected', photoId: null });
    const students = await k.runtime.db.all<{ student_id: number }>('SELECT student_id FROM accepted_photos');
    expect(students).toHaveLength(2); // nothing of the rejected capture entered the archive
    const audit = await k.runtime.db.all<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'identity.%' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['identity.hold.accept', 'identity.hold.reject']);
  });

  it('enrols reference photos with rig faces enroll and holds a capture unlike the student’s reference', async () => {
    // Grace Hopper's portrait as the reference of a student the camera will show as the demo subject.
    const folder = mkdtempSync(join(tmpdir(), 'rig-references-'));
    try {
      writeFileSync(join(folder, `${student(3).collectionCode}.jpg`), await sharp(REAL_PORTRAITS.hopper.file).jpeg().toBuffer());
      writeFileSync(join(folder, 'NOBODY123.jpg'), await sharp(REAL_PORTRAITS.hopper.file).jpeg().toBuffer());
      const r = await rigInProcess(['--data', k.dataDir, 'faces', 'enroll', folder, '--json']);
      expect(r.code).toBe(1); // one file names no student
      expect(JSON.parse(r.stdout)).toEqual({ enrolled: [`${student(3).collectionCode}.jpg`], skipped: [{ file: 'NOBODY123.jpg', reason: 'kiosk.identify.unknown_code' }] });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(await captureAndAccept(student(3).collectionCode)).toEqual({ state: 'see-staff', notice: 'kiosk.identity.held' });
    const holds = (await staff.app.inject({ url: '/api/identity/holds?open=true', headers })).json().holds as Array<{ id: number; reason: string; evidence: Array<{ cue: string; value: number; limit: number }> }>;
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({ reason: 'reference', evidence: [{ cue: 'reference', limit: 0.6 }] });
    expect(holds[0]!.evidence[0]!.value).toBeGreaterThanOrEqual(0.6);
    const reference = await staff.app.inject({ url: `/api/identity/holds/${holds[0]!.id}/reference`, headers });
    expect(reference.headers['content-type']).toBe('image/jpeg');
    const audit = await k.runtime.db.all<{ action: string }>("SELECT action FROM audit_log WHERE action = 'faces.enroll'");
    expect(audit).toHaveLength(1);
  });
});


describe('same face in demo mode', { timeout: 120_000 }, () => {
  let demo: TestKiosk;
  beforeAll(async () => {
    // Demo mode with the checks on as `rig serve --demo` runs them: no onMatch given, so only a warning.
    demo = await startTestKiosk({ validator, identity: {} });
  }, 120_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('keeps flowing: the second student is stored and the match is only a warning for staff', async () => {
    const saved = k;
    k = demo;
    try {
      expect(await captureAndAccept(student(0).collectionCode)).toEqual({ state: 'receipt', notice: null });
      expect(await captureAndAccept(student(1).collectionCode)).toEqual({ state: 'receipt', notice: null });
    } finally {
      k = saved;
    }
    const photos = await demo.runtime.db.all<{ id: number }>('SELECT id FROM accepted_photos ORDER BY id');
    expect(photos).toHaveLength(2);
    const warnings = await demo.runtime.db.all<{ action: string; photo_id: number; decision: string | null }>('SELECT action, photo_id, decision FROM identity_holds');
    expect(warnings).toEqual([{ action: 'warn', photo_id: photos[1]!.id, decision: null }]);
  });
});


describe('a print propped up before the camera', { timeout: 120_000 }, () => {
  let printed: TestKiosk;
  beforeAll(async () => {
    printed = await startTestKiosk({ validator, identity: { onMatch: 'hold' }, sitter: { subject: (d) => heldUpPrint(d), steady: true } });
  }, 120_000);
  afterAll(async () => {
    await printed?.close();
  });

  it('is held for staff on the live-view cues (no motion, flat light, a border), and staff may override, audited', async () => {
    const saved = k;
    k = printed;
    try {
      // A few seconds in the live view, as a student posing: enough samples to say nothing moved.
      expect(await captureAndAccept(student(0).collectionCode, 4000)).toEqual({ state: 'see-staff', notice: 'kiosk.identity.presentation' });
    } finally {
      k = saved;
    }
    expect(await printed.runtime.db.all('SELECT id FROM accepted_photos')).toEqual([]);
    const office = await buildStaffApp({ db: printed.runtime.db, dataDir: printed.dataDir, photos: new SqlPhotoSource(printed.runtime.db, '10000') });
    try {
      const auth = { authorization: `Bearer ${await addUser(printed.runtime.db, 'office', 'staff')}` };
      const [hold] = (await office.app.inject({ url: '/api/identity/holds?open=true', headers: auth })).json().holds as Array<{ id: number; reason: string; evidence: Array<{ cue: string; value: number; limit: number }> }>;
      expect(hold?.reason).toBe('presentation');
      expect(hold!.evidence.map((e) => e.cue)).toEqual(expect.arrayContaining(['no_motion', 'flat_light', 'border']));
      const decided = await office.app.inject({ method: 'POST', url: `/api/identity/holds/${hold!.id}/decision`, headers: auth, payload: { decision: 'accept', note: 'student present, checked' } });
      expect(decided.statusCode).toBe(200);
      expect(await printed.runtime.db.all('SELECT id FROM accepted_photos')).toHaveLength(1);
      const audit = await printed.runtime.db.all<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'identity.%'");
      expect(audit).toEqual([{ action: 'identity.hold.accept' }]);
    } finally {
      await office.app.close();
    }
  });
});
