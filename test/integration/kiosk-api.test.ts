import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiError } from '../../controller/src/server/errors.ts';
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';

let k: TestKiosk;
const student = (i: number) => k.runtime.demoStudents[i] as NonNullable<(typeof k.runtime.demoStudents)[number]>;

beforeAll(async () => {
  k = await startTestKiosk({});
});
afterAll(async () => {
  await k?.close();
});

async function toPose(code: string): Promise<void> {
  expect((await k.api('POST', '/api/kiosk/scan', { code })).status).toBe(200);
  await k.waitFor('confirm');
  expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('dress');
  expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');
}

describe('kiosk API on loopback', () => {
  it('starts idle in demo mode with the rig ready, and lists the demo roster', async () => {
    const { status, body } = await k.api('GET', '/api/kiosk/state');
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: 'idle', demo: true, session: null, rig: { ready: true, reasons: [] } });
    expect(body.instance).toMatch(/^[0-9a-f-]{36}$/);
    const demo = await k.api<{ students: Array<{ idNumber: string }> }>('GET', '/api/kiosk/demo');
    expect(demo.body.students.length).toBeGreaterThanOrEqual(5);
    for (const s of demo.body.students) expect(s.idNumber).toMatch(/^\d{17}[\dX]$/);
  });

  it('takes a student from scan to receipt, storing files, hashes and rows', async () => {
    const s = student(0);
    await toPose(s.collectionCode);
    const view = (await k.api('GET', '/api/kiosk/state')).body;
    expect(view.session?.identity).toMatchObject({ name: s.name, major: s.major, className: s.className, maskedIdNumber: `${s.idNumber.slice(0, 6)}********${s.idNumber.slice(-4)}` });
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    const review = await k.waitFor('review');
    expect(review.session?.review?.verdict).toBe('pass');
    const img = await fetch(`${k.url}/api/kiosk/review/deliverable.jpg`);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect((await k.api('POST', '/api/kiosk/accept')).status).toBe(200);
    const receipt = await k.waitFor('receipt');
    expect(receipt.session?.receipt?.sequence).toBe(1);

    const photo = await k.runtime.db.get<{ sequence: number; deliverable_path: string; deliverable_sha256: string; deliverable_crc32: number; original_path: string; original_sha256: string; code_text: string }>('SELECT * FROM accepted_photos');
    expect(photo?.code_text).toBe(s.collectionCode);
    for (const [path, hash] of [[photo?.deliverable_path, photo?.deliverable_sha256], [photo?.original_path, photo?.original_sha256]]) {
      const bytes = readFileSync(join(k.dataDir, path ?? 'missing'));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(hash);
    }
    // Recorded so that export can check the file without hashing it again.
    expect(photo?.deliverable_crc32).toBe(crc32(readFileSync(join(k.dataDir, photo?.deliverable_path ?? 'missing'))));
    expect(photo?.deliverable_path).toMatch(/^archive\/\d{4}-\d\d-\d\d\/10000\/计算机学院\/deliverables\/0001-\d+\.jpg$/);
    expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('idle');
    await k.waitFor('idle');
    const session = await k.runtime.db.get<{ outcome: string }>('SELECT outcome FROM capture_sessions ORDER BY id DESC LIMIT 1');
    expect(session?.outcome).toBe('stored');
    const attempts = await k.runtime.db.all<{ verdict: string; checks: string }>('SELECT verdict, checks FROM capture_attempts');
    expect(attempts).toHaveLength(1);
    const checks = JSON.parse(attempts[0]?.checks ?? '[]') as Array<{ id: string }>;
    expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining(['face.count', 'pose.roll', 'background.colour', 'file.size']));
  });

  it('gives the next accepted photo of the day the next sequence number', async () => {
    await toPose(student(1).idNumber.toLowerCase());
    await k.api('POST', '/api/kiosk/capture');
    await k.waitFor('review');
    await k.api('POST', '/api/kiosk/accept');
    expect((await k.waitFor('receipt')).session?.receipt?.sequence).toBe(2);
    await k.api('POST', '/api/kiosk/confirm');
  });

  it('refuses a student who already has a photo', async () => {
    await k.api('POST', '/api/kiosk/scan', { code: student(0).studentNumber });
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    const refused = await k.waitFor('refused');
    expect(refused.notice?.code).toBe('eligibility.already_captured');
    await k.api('POST', '/api/kiosk/cancel');
  });

  it('tells a student whose slot is tomorrow when to come', async () => {
    await k.api('POST', '/api/kiosk/scan', { code: student(5).collectionCode });
    await k.waitFor('confirm');
    const v = (await k.api('POST', '/api/kiosk/confirm')).body;
    expect(v.state).toBe('refused');
    expect(v.notice?.code).toBe('eligibility.before_slot');
    expect(v.notice?.params).toMatchObject({ start: '09:00', end: '11:00' });
    await k.api('POST', '/api/kiosk/cancel');
  });

  it('shows "not on roster" for an unknown code', async () => {
    await k.api('POST', '/api/kiosk/scan', { code: 'NOBODY-123' });
    const v = await k.waitFor('refused');
    expect(v.notice?.code).toBe('kiosk.identify.unknown_code');
    expect((await k.api('POST', '/api/kiosk/cancel')).body.state).toBe('idle');
  });

  it('refuses capture while the door is open, with the reason, then allows it once closed', async () => {
    await toPose(student(2).collectionCode);
    k.runtime.rig.setDoor('open');
    const r = await k.api<ApiError>('POST', '/api/kiosk/capture');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('kiosk.rig.not_ready');
    expect(r.body.error.details).toMatchObject({ reasons: ['rig.door_open'] });
    expect((await k.api('GET', '/api/kiosk/state')).body.notice?.reasons).toEqual(['rig.door_open']);
    k.runtime.rig.setDoor('closed');
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    await k.waitFor('review');
  });

  it('refuses to accept a failing shot and sends the student to staff after the retake limit', async () => {
    // Continues the session above: one shot taken, retake limit 1.
    await k.api('POST', '/api/kiosk/retake');
    k.runtime.simulatedCamera?.queuePose({ roll: 15 });
    await k.api('POST', '/api/kiosk/capture');
    const review = await k.waitFor('review');
    expect(review.session?.review?.verdict).toBe('fail');
    const tilt = review.session?.review?.findings.find((f) => f.reason === 'photo.pose.tilt');
    expect(tilt).toMatchObject({ severity: 'blocking', message: { zh: '请把头摆正，不要歪头' } });
    expect(tilt?.region?.w).toBeGreaterThan(0);
    expect((await fetch(`${k.url}/api/kiosk/review/original.jpg`)).status).toBe(200);
    const accept = await k.api<ApiError>('POST', '/api/kiosk/accept');
    expect(accept.status).toBe(409);
    expect(accept.body.error.code).toBe('kiosk.accept.failed_photo');
    expect((await k.api('POST', '/api/kiosk/retake')).body).toMatchObject({ state: 'see-staff', notice: { code: 'kiosk.retake.limit' } });
    await k.api('POST', '/api/kiosk/cancel');
  });

  it('returns to pose with the reason the camera gave when it fails to shoot', async () => {
    await toPose(student(3).collectionCode);
    k.runtime.simulatedCamera?.failNextCapture('camera.timeout');
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    const v = await k.waitFor('pose');
    expect(v.notice?.code).toBe('kiosk.camera.timeout');
    expect(v.session?.attempts).toBe(1);
    await k.api('POST', '/api/kiosk/cancel');
  });

  it('refuses a second scan during a session, and answers bad requests with coded errors', async () => {
    await k.api('POST', '/api/kiosk/scan', { code: student(3).collectionCode });
    const busy = await k.api<ApiError>('POST', '/api/kiosk/scan', { code: student(2).collectionCode });
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('kiosk.session.busy');
    await k.api('POST', '/api/kiosk/cancel');
    await k.waitFor('idle');
    const bad = await k.api<ApiError>('POST', '/api/kiosk/scan', { code: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('kiosk.request.invalid');
    const extra = await k.api<ApiError>('POST', '/api/kiosk/scan', { code: 'x', admin: true });
    expect(extra.status).toBe(400);
    const missing = await k.api<ApiError>('GET', '/api/kiosk/nothing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('kiosk.not_found');
    const noPhoto = await k.api<ApiError>('GET', '/api/kiosk/review/deliverable.jpg');
    expect(noPhoto.status).toBe(404);
  });

  it('streams every state change as Server-Sent Events', async () => {
    const ac = new AbortController();
    const res = await fetch(`${k.url}/api/kiosk/events`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const seen: string[] = [];
    let buffer = '';
    const read = (async () => {
      const decoder = new TextDecoder();
      while (!seen.includes('refused')) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (chunk.startsWith('data: ')) seen.push((JSON.parse(chunk.slice(6)) as KioskView).state);
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    await k.api('POST', '/api/kiosk/scan', { code: 'UNKNOWN-9' });
    await read;
    ac.abort();
    expect(seen).toEqual(['idle', 'identify', 'refused']);
    await k.api('POST', '/api/kiosk/cancel');
  });

  it('streams JPEG preview frames over a WebSocket while the student poses', async () => {
    await toPose(student(3).collectionCode);
    const ws = new WebSocket(`${k.url.replace('http', 'ws')}/api/kiosk/preview`);
    const frames: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data: Buffer) => {
        frames.push(data);
        if (frames.length === 3) resolve();
      });
      ws.on('error', reject);
    });
    ws.close();
    for (const f of frames) expect(f.subarray(0, 2).toString('hex')).toBe('ffd8');
    await k.api('POST', '/api/kiosk/cancel');
  });
});

describe('kiosk shutdown', () => {
  it('closes while a screen is still subscribed to the event stream', async () => {
    const t = await startTestKiosk({});
    const res = await fetch(`${t.url}/api/kiosk/events`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^data: \{/);
    await t.close();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});

describe('kiosk timeouts', () => {
  it('falls back to idle when the student walks away', async () => {
    const t = await startTestKiosk({ session: { timeoutsMs: { ...(await import('../support/kiosk-server.ts')).fastSession.timeoutsMs, confirm: 300 } } });
    try {
      await t.api('POST', '/api/kiosk/scan', { code: t.runtime.demoStudents[0]?.collectionCode });
      await t.waitFor('confirm');
      await t.waitFor('idle');
      const s = await t.runtime.db.get<{ outcome: string }>('SELECT outcome FROM capture_sessions');
      expect(s?.outcome).toBe('timeout');
    } finally {
      await t.close();
    }
  });
});
