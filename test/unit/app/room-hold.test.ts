import { describe, expect, it } from 'vitest';
import { RoomHold, roomHoldReason } from '../../../controller/src/app/kiosk/room-hold.ts';
import { SimulatedRig } from '../../../firmware-bridge/src/simulated-rig.ts';

describe('RoomHold', () => {
  it('adds the hold to the rig’s readiness until released, telling listeners of each change', async () => {
    const rig = new SimulatedRig();
    const errors: unknown[] = [];
    const room = new RoomHold(rig, (err) => errors.push(err));
    const seen: Array<{ ready: boolean; reasons: string[] }> = [];
    room.onChange((r) => seen.push({ ready: r.ready, reasons: r.reasons }));
    room.onChange(() => { throw new Error('a bad listener'); });
    expect(room.readiness().ready).toBe(true);

    expect(room.hold(['photo.exposure.dark'], new Date('2026-12-01T01:00:00Z'), 3)).toBe(true);
    // A second fault while held adds its reasons, keeps the start, and changes nothing the kiosk sees.
    expect(room.hold(['photo.exposure.dark', 'photo.background.uneven'], new Date('2026-12-01T01:05:00Z'), 4)).toBe(false);
    expect(room.state()).toEqual({ reasons: ['photo.exposure.dark', 'photo.background.uneven'], since: '2026-12-01T01:00:00.000Z', attemptId: 3 });
    expect(room.readiness()).toMatchObject({ ready: false, reasons: [roomHoldReason] });

    // The sensors' own reasons come first and stay after the release.
    rig.setDoor('open');
    expect(room.readiness().reasons).toEqual(['rig.door_open', roomHoldReason]);
    expect(room.release()).toBe(true);
    expect(room.release()).toBe(false);
    expect(room.readiness()).toMatchObject({ ready: false, reasons: ['rig.door_open'] });
    rig.setDoor('closed');
    expect(room.readiness()).toMatchObject({ ready: true, reasons: [] });

    expect(seen).toEqual([
      { ready: false, reasons: [roomHoldReason] },
      { ready: false, reasons: ['rig.door_open', roomHoldReason] },
      { ready: false, reasons: ['rig.door_open'] },
      { ready: true, reasons: [] },
    ]);
    expect(errors).toHaveLength(4);
    await room.close();
    await rig.close();
  });
});
