/**
 * The kiosk flow once on the real firmware in simavr: the door opened mid-pose refuses the capture
 * with the reason; closed again, the capture goes on and the photo passes (the simulated camera
 * exposes with the light the board's sensor measures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../../controller/src/server/errors.ts';
import type { KioskView } from '../../../controller/src/app/kiosk/kiosk-view.ts';
import { SimavrBoard } from '../../../firmware-bridge/src/simavr-board.ts';
import { startTestKiosk, type TestKiosk } from '../../support/kiosk-server.ts';
import { ensureFirmwareBuilt, testRigSettings, testWiring } from '../../support/rig-targets.ts';

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
  const until = Date.now() + 10_000;
  for (;;) {
    const rig = (await kiosk.api('GET', '/api/kiosk/state')).body.rig;
    if (match(rig)) return rig;
    if (Date.now() > until) throw new Error(`rig state never matched; last ${JSON.stringify(rig)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('kiosk on the firmware in simavr', () => {
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
    expect((await kiosk.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    const review = await kiosk.waitFor('review');
    expect(review.session?.review?.verdict).toBe('pass');
  });
});
