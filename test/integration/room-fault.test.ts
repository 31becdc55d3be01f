/**
 * A fault only the room can fix, found in a photo, holds the room (issue 14): the student is told to
 * wait, the next shots are refused with `kiosk.rig.not_ready` until staff release the hold, and the
 * staff side sees it (GET /api/room, the audit log). The fault is real: the real imaging engine judges
 * the simulated camera's still dimmed as if the lamps had lost most of their output while the
 * sensors still read calibrated (a drifted sensor, a camera set to the wrong exposure).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../controller/src/server/errors.ts';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { audienceOf } from '../../controller/src/domain/photo/reasons.ts';
import { sharedEngine, startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { addUser } from '../staff/helpers.ts';

let k: TestKiosk;
let staff: StaffApp;
let headers: Record<string, string>;
/** Output of the lamps at the subject, as the camera sees it (1 = calibrated). */
let lampOutput = 1;
/** The engine answers its own timeout error instead of judging (a software hiccup, not the room). */
let engineTimesOut = false;

beforeAll(async () => {
  const engine = await sharedEngine();
  k = await startTestKiosk({
    session: { retakeLimit: 3 },
    validator: {
      validate: async (image, options) => {
        if (engineTimesOut) {
          const report = await engine.validate(image, options);
          return { ...report, verdict: 'error' as const, checks: [], error: { code: 'photo.input.timeout' as const, message: { zh: '照片处理超时', en: 'Processing the photo took too long' } } };
        }
        const still = lampOutput === 1 ? image : await sharp(image).linear(lampOutput, 0).jpeg({ quality: 92 }).toBuffer();
        return engine.validate(still, options);
      },
      profile: (id) => engine.profile(id),
      close: async () => undefined,
    },
  });
  headers = { authorization: `Bearer ${await addUser(k.runtime.db, 'tech', 'technician')}` };
  staff = await buildStaffApp({ db: k.runtime.db, dataDir: k.dataDir, photos: new SqlPhotoSource(k.runtime.db, '10000'), room: k.runtime.controller.roomHold });
}, 120_000);
afterAll(async () => {
  await staff?.app.close();
  await k?.close();
});

describe('a room fault in a photo', { timeout: 120_000 }, () => {
  it('tells the student to wait, refuses the next shot, alerts staff, and allows it again once released', async () => {
    const s = k.runtime.demoStudents[0]!;
    await k.api('POST', '/api/kiosk/scan', { code: s.collectionCode });
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    await k.waitFor('dress');
    await k.api('POST', '/api/kiosk/confirm');
    await k.waitFor('pose');
    expect((await staff.app.inject({ url: '/api/room', headers })).json()).toEqual({ held: false, hold: null });

    lampOutput = 0.3;
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    const review = await k.waitFor('review');
    expect(review.session?.review?.verdict).toBe('fail');
    const reasons = review.session?.review?.findings.filter((f) => f.severity === 'blocking').map((f) => f.reason) ?? [];
    // The lights, not "no face" and not anything the student is asked to do.
    expect(reasons.some((r) => r.startsWith('photo.exposure.'))).toBe(true);
    expect(reasons.filter((r) => audienceOf(r) === 'student')).toEqual([]);
    expect(review.rig).toEqual({ ready: false, reasons: ['kiosk.room.adjusting'] });

    // The student may go back to the pose screen, but no shot is taken while the room is held.
    expect((await k.api('POST', '/api/kiosk/retake')).body.state).toBe('pose');
    const refused = await k.api<ApiError>('POST', '/api/kiosk/capture');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('kiosk.rig.not_ready');
    expect(refused.body.error.details).toMatchObject({ reasons: ['kiosk.room.adjusting'] });

    // Staff and technician see it, with the technician's reasons, and it is in the audit log.
    const room = (await staff.app.inject({ url: '/api/room', headers })).json() as { held: boolean; hold: { reasons: string[]; attemptId: number } };
    expect(room.held).toBe(true);
    expect(room.hold.reasons.some((r) => r.startsWith('photo.exposure.'))).toBe(true);
    expect(room.hold.reasons.every((r) => audienceOf(r) === 'technician')).toBe(true);
    const alert = await k.runtime.db.get<{ actor: string; details: string }>("SELECT actor, details FROM audit_log WHERE action = 'room.photo_fault'");
    expect(alert?.actor).toBe('kiosk');
    expect(JSON.parse(alert?.details ?? '{}')).toMatchObject({ attemptId: room.hold.attemptId });

    // The technician puts the lamps right and releases the hold: the next shot is taken and passes.
    lampOutput = 1;
    const released = await staff.app.inject({ method: 'POST', url: '/api/room/release', headers });
    expect(released.statusCode).toBe(200);
    expect((await staff.app.inject({ method: 'POST', url: '/api/room/release', headers })).json()).toMatchObject({ error: { code: 'staff.room_not_held' } });
    const audit = await k.runtime.db.get<{ actor: string }>("SELECT actor FROM audit_log WHERE action = 'room.release'");
    expect(audit?.actor).toBe('tech');
    expect((await k.api('GET', '/api/kiosk/state')).body.rig).toEqual({ ready: true, reasons: [] });
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    expect((await k.waitFor('review')).session?.review?.verdict).toBe('pass');
    await k.api('POST', '/api/kiosk/cancel');
  });

  it('does not hold the room for a fault the student can fix', async () => {
    await k.waitFor('idle');
    const s = k.runtime.demoStudents[1]!;
    await k.api('POST', '/api/kiosk/scan', { code: s.collectionCode });
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    await k.waitFor('dress');
    await k.api('POST', '/api/kiosk/confirm');
    await k.waitFor('pose');
    k.runtime.simulatedCamera?.queuePose({ roll: 15 });
    await k.api('POST', '/api/kiosk/capture');
    const review = await k.waitFor('review');
    expect(review.session?.review?.findings.map((f) => f.reason)).toContain('photo.pose.tilt');
    expect(review.rig.ready).toBe(true);
    await k.api('POST', '/api/kiosk/retake');
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    await k.waitFor('review');
    await k.api('POST', '/api/kiosk/cancel');
  });

  it('does not hold the room for a software hiccup (the engine timing out)', async () => {
    await k.waitFor('idle');
    const s = k.runtime.demoStudents[1]!;
    await k.api('POST', '/api/kiosk/scan', { code: s.collectionCode });
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    await k.waitFor('dress');
    await k.api('POST', '/api/kiosk/confirm');
    await k.waitFor('pose');
    engineTimesOut = true;
    await k.api('POST', '/api/kiosk/capture');
    const review = await k.waitFor('review');
    engineTimesOut = false;
    expect(review.session?.review?.findings.map((f) => f.reason)).toEqual(['photo.input.timeout']);
    expect(review.rig.ready).toBe(true);
    expect(k.runtime.controller.roomHold.state()).toBeNull();
    await k.api('POST', '/api/kiosk/cancel');
  });
});
