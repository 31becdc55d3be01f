/**
 * The kiosk flow on the real firmware in simavr: the light scene of each kiosk state as the
 * firmware's PWM outputs drive it; the door opened mid-pose refuses the capture with the reason;
 * closed again, the capture goes on and the photo passes (the simulated camera exposes with the
 * light the board's sensor measures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../../controller/src/server/errors.ts';
import type { KioskView } from '../../../controller/src/app/kiosk/kiosk-view.ts';
import { defaultCalibration, percentToDuty, sceneLevels } from '../../../controller/src/domain/lighting.ts';
import { SimavrBoard } from '../../../firmware-bridge/src/simavr-board.ts';
import { captureToReview, startTestKiosk, type TestKiosk } from '../../support/kiosk-server.ts';
import { ensureFirmwareBuilt, testRigSettings, testWiring, until } from '../../support/rig-targets.ts';

let sim: SimavrBoard | null = null;
let k: TestKiosk | null = null;

beforeAll(async () => {
  await ensureFirmwareBuilt();
  sim = await SimavrBoard.start(testWiring);
  k = await startTestKiosk({ rigConfig: { ...testRigSettings, driver: 'board', serialPort: sim.path } });
});
afterAll(async () => {
  await k?.close();
  await sim?.close();
});

async function rigState(kiosk: TestKiosk, match: (rig: KioskView['rig']) => boolean): Promise<KioskView['rig']> {
  const until = Date.now() + 30_000;
  for (;;) {
    const rig = (await kiosk.api('GET', '/api/kiosk/state')).body.rig;
    if (match(rig)) return rig;
    if (Date.now() > until) throw new Error(`rig state never matched; last ${JSON.stringify(rig)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The key light's PWM duty for a scene of the default calibration. */
const keyDuty = (scene: 'standby' | 'modelling' | 'full'): number => percentToDuty(sceneLevels(defaultCalibration, scene).key ?? 0);

describe('kiosk on the firmware in simavr', () => {
  it('drives the light scene of each state: standby idle, modelling while served, full for the still', async () => {
    const kiosk = k as TestKiosk;
    const board = sim as SimavrBoard;
    const keyPin = testWiring.lights.key ?? 9;
    const student = kiosk.runtime.demoStudents[1];
    const keyAt = (duty: number, what: string): Promise<true> => until(() => (board.room.duty(keyPin) === duty ? true : undefined), what, 30_000);
    await keyAt(keyDuty('standby'), 'standby while idle');
    await rigState(kiosk, (r) => r.ready);
    // Every PWM change the firmware makes on the key light, in order with the kiosk's states. The
    // changes reach the test a little late (simavr's output through a pipe; longer on a loaded
    // machine), so a change is placed by order, not by the state at the moment it arrives.
    const seen: Array<{ duty: number; afterPress: boolean }> = [];
    let pressed = false;
    const offStates = kiosk.runtime.controller.subscribe((v) => {
      if (v.state === 'countdown') pressed = true;
    });
    const offPwm = board.onPwm((pin, duty) => {
      if (pin === keyPin) seen.push({ duty, afterPress: pressed });
    });
    const off = (): void => {
      offStates();
      offPwm();
    };
    try {
      expect((await kiosk.api('POST', '/api/kiosk/scan', { code: student?.collectionCode })).status).toBe(200);
      await kiosk.waitFor('confirm');
      await keyAt(keyDuty('modelling'), 'modelling light once the student is identified');
      await kiosk.api('POST', '/api/kiosk/confirm');
      expect((await kiosk.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');
      await rigState(kiosk, (r) => r.ready);
      const review = await captureToReview(kiosk);
      expect(review.session?.review?.verdict).toBe('pass');
      await keyAt(keyDuty('modelling'), 'modelling light again for the review');
      await kiosk.api('POST', '/api/kiosk/accept');
      await kiosk.waitFor('receipt');
      expect((await kiosk.api('POST', '/api/kiosk/confirm')).body.state).toBe('idle');
      await keyAt(keyDuty('standby'), 'standby once the student has gone');
    } finally {
      off();
    }
    // The still's level was reached, and only once the shutter was pressed: never while the student
    // posed before it (the review's return to modelling light is checked above, on the lamp itself).
    const full = seen.filter((s) => s.duty === keyDuty('full'));
    expect(full.length).toBeGreaterThan(0);
    expect(full.every((s) => s.afterPress)).toBe(true);
    expect(Math.max(...seen.filter((s) => !s.afterPress).map((s) => s.duty))).toBeLessThanOrEqual(keyDuty('modelling'));
    // Ramps: the firmware passed through levels between the scenes (soft start and stop).
    expect(seen.some((s) => s.duty > keyDuty('modelling') && s.duty < keyDuty('full'))).toBe(true);
    expect(Math.max(...seen.map((s) => s.duty))).toBe(keyDuty('full'));
  });

  it('refuses the capture while the door is open, and takes the photo once it is closed', async () => {
    const kiosk = k as TestKiosk;
    const room = (sim as SimavrBoard).room;
    const student = kiosk.runtime.demoStudents[0];
    expect(kiosk.runtime.rig.choice).toMatchObject({ driver: 'board', simulated: false });
    // The kiosk state says so too (and the staff status page through the same devices report).
    expect((await kiosk.api('GET', '/api/kiosk/state')).body.drivers.rig).toEqual(kiosk.runtime.rig.choice);
    expect(kiosk.runtime.devices().rig).toMatchObject({ driver: 'board', simulated: false });
    await rigState(kiosk, (r) => r.ready);
    expect((await kiosk.api('POST', '/api/kiosk/scan', { code: student?.collectionCode })).status).toBe(200);
    await kiosk.waitFor('confirm');
    await kiosk.api('POST', '/api/kiosk/confirm');
    expect((await kiosk.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');

    room.setDoor('open');
    await rigState(kiosk, (r) => r.reasons.includes('rig.door_open'));
    const refused = await kiosk.api<ApiError>('POST', '/api/kiosk/capture');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('kiosk.rig.not_ready');
    expect(refused.body.error.details).toMatchObject({ reasons: ['rig.door_open'] });

    room.setDoor('closed');
    await rigState(kiosk, (r) => r.ready);
    const review = await captureToReview(kiosk);
    expect(review.session?.review?.verdict).toBe('pass');
  });
});
