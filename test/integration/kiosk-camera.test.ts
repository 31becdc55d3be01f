/**
 * The kiosk when the camera misbehaves: each camera failure code gives the student its own message,
 * a lost camera shows "camera not connected" (never a frozen live view) and refuses the shutter, and
 * the session resumes at the pose step once the camera is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../controller/src/server/errors.ts';
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';

let k: TestKiosk;

beforeAll(async () => {
  k = await startTestKiosk({});
});
afterAll(async () => {
  await k?.close();
});

async function toPose(i: number): Promise<void> {
  const s = k.runtime.demoStudents[i]!;
  expect((await k.api('POST', '/api/kiosk/scan', { code: s.collectionCode })).status).toBe(200);
  await k.waitFor('confirm');
  expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('dress');
  expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');
}

async function until(check: (v: KioskView) => boolean, what: string): Promise<KioskView> {
  for (let i = 0; i < 400; i++) {
    const v = (await k.api('GET', '/api/kiosk/state')).body;
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`kiosk never showed ${what}`);
}

describe('kiosk and a camera that fails', () => {
  it('tells the student what each camera failure means, in its own words', async () => {
    await toPose(0);
    const camera = k.runtime.simulatedCamera!;
    for (const code of ['camera.busy', 'camera.focus_failed', 'camera.storage_full'] as const) {
      camera.failNextCapture(code);
      expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
      const back = await until((v) => v.state === 'pose' && v.notice !== null, `the notice for ${code}`);
      expect(back.notice?.code).toBe(`kiosk.${code}`);
    }
    expect((await k.api('POST', '/api/kiosk/cancel')).body.state).toBe('idle');
  });

  it('shows "camera not connected" when the camera is lost, refuses the shutter, and goes on once it is back', async () => {
    await toPose(1);
    const camera = k.runtime.simulatedCamera!;
    await camera.inject('disconnect');
    const lost = await until((v) => !v.camera.connected, 'the camera lost');
    expect(lost.state).toBe('pose');
    expect(lost.notice?.code).toBe('kiosk.camera.disconnected');
    const refused = await k.api<{ error: ApiError['error'] } & KioskView>('POST', '/api/kiosk/capture');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('kiosk.camera.disconnected');

    await camera.restore();
    const back = await until((v) => v.camera.connected, 'the camera back');
    expect(back.state).toBe('pose');
    expect(back.notice?.code).toBe('kiosk.camera.back');
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    const review = await k.waitFor('review');
    expect(review.session?.review?.verdict).toBe('pass');
    expect((await k.api('POST', '/api/kiosk/cancel')).body.state).toBe('idle');
  });
});
