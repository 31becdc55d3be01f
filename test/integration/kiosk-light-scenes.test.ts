/**
 * Light scenes per kiosk state on the simulated rig: standby while idle, modelling light from the
 * scan until the student leaves, full light for the still; set by the kiosk controller from its
 * state changes, without holding the session up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskStateName } from '../../controller/src/domain/capture-session.ts';
import type { SceneName } from '../../controller/src/domain/lighting.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { testRigSettings, until } from '../support/rig-targets.ts';

let k: TestKiosk;

beforeAll(async () => {
  k = await startTestKiosk({});
});
afterAll(async () => {
  await k?.close();
});

/** The key light's level (percent) as the rig reports it now. */
const key = (): number | undefined => k.runtime.rig.readings().lights.key?.value;

describe('light scenes per kiosk state (simulated rig)', () => {
  it('is on standby while idle, modelling light while the student is served, full for the still', async () => {
    const student = k.runtime.demoStudents[0];
    expect(k.runtime.rig.readiness().scene).toBe('standby');
    expect(key()).toBe(8);
    const changes: Array<{ state: KioskStateName; scene: SceneName | undefined; key: number | undefined }> = [];
    const off = k.runtime.rig.onChange((r) => {
      const last = changes.at(-1);
      if (last?.scene !== r.scene) changes.push({ state: k.runtime.controller.current.name, scene: r.scene, key: key() });
    });
    try {
      expect((await k.api('POST', '/api/kiosk/scan', { code: student?.collectionCode })).status).toBe(200);
      await k.waitFor('confirm');
      expect(key()).toBe(40);
      await k.api('POST', '/api/kiosk/confirm');
      expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');
      expect(k.runtime.rig.readiness().scene).toBe('modelling');
      expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
      const review = await k.waitFor('review');
      expect(review.session?.review?.verdict).toBe('pass');
      expect(key()).toBe(40);
      await k.api('POST', '/api/kiosk/accept');
      await k.waitFor('receipt');
      expect(k.runtime.rig.readiness().scene).toBe('modelling');
      expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('idle');
      expect(key()).toBe(8);
    } finally {
      off();
    }
    expect(changes).toEqual([
      { state: 'identify', scene: 'modelling', key: 40 },
      { state: 'countdown', scene: 'full', key: 80 },
      { state: 'validate', scene: 'modelling', key: 40 },
      { state: 'idle', scene: 'standby', key: 8 },
    ]);
  });
});

describe('light scenes per kiosk state (virtual board, as in demo mode)', () => {
  let v: TestKiosk;
  beforeAll(async () => {
    v = await startTestKiosk({ rigConfig: { ...testRigSettings, driver: 'simulated' } });
  });
  afterAll(async () => {
    await v?.close();
  });

  it('drives the board through standby, modelling and full, and the shot passes under full light', async () => {
    const keyAt = (percent: number, what: string): Promise<true> =>
      until(() => (Math.abs((v.runtime.rig.readings().lights.key?.value ?? -100) - percent) < 0.5 ? true : undefined), what, 8000);
    const student = v.runtime.demoStudents[2];
    await keyAt(8, 'standby while idle');
    // The key light's level as the board confirms it, sampled through the walk.
    const levels: number[] = [];
    const timer = setInterval(() => {
      const key = v.runtime.rig.readings().lights.key?.value;
      if (key !== undefined && levels.at(-1) !== Math.round(key)) levels.push(Math.round(key));
    }, 20);
    try {
      expect((await v.api('POST', '/api/kiosk/scan', { code: student?.collectionCode })).status).toBe(200);
      await v.waitFor('confirm');
      await keyAt(40, 'modelling light');
      await v.api('POST', '/api/kiosk/confirm');
      expect((await v.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');
      expect((await v.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
      const review = await v.waitFor('review');
      expect(review.session?.review?.verdict).toBe('pass');
      await keyAt(40, 'modelling light for the review');
      await v.api('POST', '/api/kiosk/cancel');
      await keyAt(8, 'standby again');
    } finally {
      clearInterval(timer);
    }
    expect(levels).toContain(80);
  });
});
