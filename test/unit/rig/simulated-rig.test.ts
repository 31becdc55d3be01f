import { describe, expect, it } from 'vitest';
import { assessReadiness, SimulatedRig } from '../../../firmware-bridge/src/simulated-rig.ts';

describe('simulated rig', () => {
  it('starts ready: door closed, dark, lights as calibrated', () => {
    const r = new SimulatedRig().readiness();
    expect(r).toMatchObject({ ready: true, reasons: [], door: 'closed', daylight: false, lights: { left: 1, right: 1 }, simulated: true });
  });

  it('reports every reason the room is not ready, and tells listeners', () => {
    const rig = new SimulatedRig();
    const seen: string[][] = [];
    rig.onChange((r) => seen.push(r.reasons));
    rig.onChange(() => {
      throw new Error('a broken listener');
    });
    rig.setDoor('open');
    rig.setDaylight(true);
    rig.setLights({ left: 0.5 });
    expect(rig.readiness().ready).toBe(false);
    expect(seen).toEqual([
      ['rig.door_open'],
      ['rig.door_open', 'rig.daylight'],
      ['rig.door_open', 'rig.daylight', 'rig.lights_low', 'rig.lights_unbalanced'],
    ]);
    rig.setDoor('closed');
    rig.setDaylight(false);
    rig.setLights({ left: 1 });
    expect(rig.readiness().ready).toBe(true);
  });

  it('refuses impossible light levels', () => {
    expect(() => new SimulatedRig().setLights({ right: -1 })).toThrow(RangeError);
  });

  it('is never ready while the board is offline', () => {
    const rig = new SimulatedRig();
    rig.setOnline(false);
    expect(rig.readiness()).toMatchObject({ ready: false, reasons: ['rig.offline'] });
  });

  it('applies the tolerance at its edges', () => {
    const room = (left: number, right: number) => ({ door: 'closed' as const, daylight: false, lights: { left, right }, online: true });
    expect(assessReadiness(room(0.9, 0.9))).toEqual([]);
    expect(assessReadiness(room(0.89, 0.89))).toEqual(['rig.lights_low']);
    expect(assessReadiness(room(1.11, 1.05))).toEqual(['rig.lights_high']);
  });
});

describe('simulated rig scenes and readings', () => {
  it('switches scenes at once, reports the channel levels of the scene, and refuses while offline', async () => {
    const rig = new SimulatedRig();
    const scenes: Array<string | undefined> = [];
    rig.onChange((r) => scenes.push(r.scene));
    expect(rig.readiness()).toMatchObject({ scene: 'standby', settling: false });
    await rig.scene('full');
    expect(rig.readings().lights.key?.value).toBe(80);
    await rig.scene('modelling');
    expect(rig.readings().lights.key?.value).toBe(40);
    expect(scenes).toEqual(['full', 'modelling']);
    rig.setOnline(false);
    await expect(rig.scene('full')).rejects.toMatchObject({ code: 'rig.offline', transient: true });
    expect(rig.readings().lights).toEqual({});
    rig.setOnline(true);
    expect(rig.readings().lights.key?.value).toBe(80);
  });

  it('reads the seat and the board temperature, which do not decide readiness', () => {
    const rig = new SimulatedRig();
    expect(rig.readings().seat?.value).toBe('empty');
    rig.setSeat('occupied');
    rig.setBoardTemperature(51);
    expect(rig.readings()).toMatchObject({ seat: { value: 'occupied' }, boardTemperatureC: { value: 51 } });
    expect(rig.readiness().ready).toBe(true);
  });
});
