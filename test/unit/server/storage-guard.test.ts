import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../../../firmware-bridge/src/rig.ts';
import { SimulatedRig } from '../../../firmware-bridge/src/simulated-rig.ts';
import { StorageGuardedRig } from '../../../controller/src/server/storage-guard.ts';

const MB = 1048576;

function guard(free: { bytes: number | Error }, lows: number[] = []) {
  const rig = new SimulatedRig();
  const measured: number[] = [];
  const g = new StorageGuardedRig(rig, {
    dataDir: '/data', minFreeBytes: 10 * MB, checkMs: 5, logger: pino({ level: 'silent' }),
    measure: async () => {
      measured.push(Date.now());
      if (free.bytes instanceof Error) throw free.bytes;
      return free.bytes;
    },
    onLow: async (bytes) => void lows.push(bytes),
  });
  const next = (pred: (r: ReadinessReport) => boolean) => new Promise<ReadinessReport>((resolve) => {
    const off = g.onChange((r) => {
      if (pred(r)) {
        off();
        resolve(r);
      }
    });
  });
  return { rig, g, next, measured };
}

describe('free space as a readiness condition', () => {
  it('is ready with room, adds storage.full below the minimum (told once), and is ready again when space returns', async () => {
    const free = { bytes: 100 * MB as number | Error };
    const lows: number[] = [];
    const { g, next } = guard(free, lows);
    await g.start();
    expect(g.readiness()).toMatchObject({ ready: true, reasons: [] });
    const low = next((r) => r.reasons.includes('storage.full'));
    free.bytes = 3 * MB;
    expect(await low).toMatchObject({ ready: false, reasons: ['storage.full'] });
    const back = next((r) => r.ready);
    free.bytes = 50 * MB;
    await back;
    expect(lows).toEqual([3 * MB]);
    await g.close();
  });

  it('keeps the rig\'s own reasons beside its own, and passes the rig\'s changes on', async () => {
    const { rig, g, next } = guard({ bytes: 1 * MB });
    await g.start();
    const open = next((r) => r.reasons.includes('rig.door_open'));
    rig.setDoor('open');
    expect((await open).reasons).toEqual(['rig.door_open', 'storage.full']);
    await g.close();
  });

  it('keeps its last answer when the space cannot be measured', async () => {
    const free = { bytes: 1 * MB as number | Error };
    const { g, measured } = guard(free);
    await g.start();
    free.bytes = new Error('EIO');
    const n = measured.length;
    while (measured.length < n + 3) await new Promise((r) => setTimeout(r, 5));
    expect(g.readiness().reasons).toEqual(['storage.full']);
    await g.close();
  });

  it('stops measuring when closed', async () => {
    const { g, measured } = guard({ bytes: 100 * MB });
    await g.start();
    await g.close();
    const n = measured.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(measured.length).toBeLessThanOrEqual(n + 1);
  });
});
