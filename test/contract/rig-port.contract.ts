/**
 * The Rig port's contract (controller/src/app/ports/rig.ts) through johnny-five and our driver, run
 * against the virtual board and against the firmware in simavr: readiness from real sensor reports,
 * with coded reasons, and the board vanishing and coming back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDeviceError, type DeviceStatusEvent } from '../../controller/src/app/ports/device.ts';
import type { ReadinessReport, RigPort } from '../../controller/src/app/ports/rig.ts';
import type { RoomModel } from '../../firmware-bridge/src/room-model.ts';
import { until } from '../support/rig-targets.ts';

export interface RigUnderTest {
  rig: RigPort;
  room: RoomModel;
  /** Makes the serial device vanish, and come back. */
  unplug(): Promise<void>;
  plugIn(): Promise<void>;
  close(): Promise<void>;
}

export function rigPortContract(name: string, expectedDriver: string, factory: () => Promise<RigUnderTest>): void {
  describe(`Rig port contract: ${name}`, () => {
    let t: RigUnderTest;
    beforeEach(async () => {
      t = await factory();
    });
    afterEach(async () => {
      await t?.close();
    });

    const readyWith = (pred: (r: ReadinessReport) => boolean, what: string, timeoutMs = 8000): Promise<ReadinessReport> =>
      until(() => {
        const r = t.rig.readiness();
        return pred(r) ? r : undefined;
      }, what, timeoutMs);

    /** Waits until the board confirms the key light at `percent` (within one duty step). */
    const keyAt = (percent: number): Promise<true> =>
      until(() => (Math.abs((t.rig.readings().lights.key?.value ?? -100) - percent) < 0.5 ? true : undefined), `the key light at ${percent} %`);

    it('says which driver it is and becomes ready under the full scene in a dark, closed room', async () => {
      expect(t.rig.choice.driver).toBe(expectedDriver);
      await t.rig.scene('full', 200);
      const r = await readyWith((x) => x.ready, 'ready');
      expect(r.reasons).toEqual([]);
      const readings = t.rig.readings();
      expect(readings.door?.value).toBe('closed');
      expect(readings.subjectLux?.value).toBeGreaterThan(800);
      await keyAt(80);
      expect(t.rig.health()).toMatchObject({ firmware: 'rig-firmata', watchdogResets: 0, standby: false });
    });

    it('is not ready while the door is open, daylight comes in, or a lamp is weak; and says why', async () => {
      await t.rig.scene('full', 0);
      await readyWith((x) => x.ready, 'ready');
      t.room.setDoor('open');
      await readyWith((x) => x.reasons.includes('rig.door_open'), 'rig.door_open');
      t.room.setDoor('closed');
      await readyWith((x) => x.ready, 'ready again');
      t.room.setDaylight(2000);
      const day = await readyWith((x) => x.reasons.includes('rig.daylight'), 'rig.daylight');
      expect(day.daylight).toBe(true);
      t.room.setDaylight(0);
      t.room.setLampOutput('key', 0.5);
      await readyWith((x) => x.reasons.includes('rig.lights_low'), 'rig.lights_low');
    });

    it('judges the lights against the active scene: the modelling scene is not the calibrated still', async () => {
      await t.rig.scene('full', 0);
      await readyWith((x) => x.ready, 'ready');
      await t.rig.scene('modelling', 0);
      // Readiness is judged against the scene's own target, so modelling light is "ready" as modelling light.
      await readyWith((x) => x.ready && t.rig.readings().lights.key !== undefined && Math.round(t.rig.readings().lights.key?.value ?? 0) === 40, 'modelling light');
      await expect(t.rig.setLights({ key: 120 })).rejects.toThrow(RangeError);
    });

    it('notices a watchdog reset of the board, sets it up again and is ready once more', async () => {
      await t.rig.scene('full', 0);
      await readyWith((x) => x.ready, 'ready');
      (t.rig as RigPort & { wedgeFirmware(): void }).wedgeFirmware();
      await readyWith((x) => !x.ready, 'not ready while the board is wedged');
      await readyWith((x) => x.ready && (t.rig.health()?.watchdogResets ?? 0) >= 1, 'ready after the reset, with the reset counted', 10_000);
      await keyAt(80); // the still's level again, as the board confirms it
    });

    it('shows offline when the port vanishes, refuses commands, and reconnects when it comes back', async () => {
      const events: DeviceStatusEvent[] = [];
      t.rig.onStatus((e) => events.push(e));
      await t.rig.scene('full', 0);
      await readyWith((x) => x.ready, 'ready');
      await t.unplug();
      await readyWith((x) => !x.ready && x.reasons.includes('rig.offline'), 'rig.offline');
      const err = await t.rig.scene('full').catch((e: unknown) => e);
      expect(isDeviceError(err) && err.code === 'rig.offline' && err.transient).toBe(true);
      await t.plugIn();
      await readyWith((x) => x.ready, 'ready after reconnecting', 8000);
      expect(events.map((e) => e.status)).toEqual(expect.arrayContaining(['lost', 'reconnecting', 'connected']));
    });
  });
}
