import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atmegaTemperatureC, atmegaTemperatureMv, decodeStatus, Firmata, FIRMWARE_NAME, PinMode, readinessConfigMessage, RigSysex, StatusFlag } from '../../../firmware-bridge/src/protocol.ts';
import { projectRoot } from '../../support/paths.ts';

/** #define NAME VALUE pairs of the firmware's protocol header. */
function headerDefines(): Map<string, number> {
  const text = readFileSync(join(projectRoot, 'firmware-bridge', 'firmware', 'protocol.h'), 'utf8');
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^#define\s+(\w+)\s+(0x[0-9A-Fa-f]+|\d+)\s*$/gm)) out.set(m[1] ?? '', Number(m[2]));
  return out;
}

describe('wire protocol', () => {
  it('is the same in the firmware header and in TypeScript', () => {
    const h = headerDefines();
    const pairs: Array<[string, number]> = [
      ...Object.entries(Firmata).map(([k, v]): [string, number] => [`FM_${k}`, v]),
      ...Object.entries(PinMode).map(([k, v]): [string, number] => [`FM_MODE_${k}`, v]),
      ...Object.entries(RigSysex).map(([k, v]): [string, number] => [`RIG_${k}`, v]),
      ...Object.entries(StatusFlag).map(([k, v]): [string, number] => [`RIG_FLAG_${k}`, v]),
    ];
    for (const [name, value] of pairs) expect([name, h.get(name)]).toEqual([name, value]);
    const firmware = readFileSync(join(projectRoot, 'firmware-bridge', 'firmware', 'rig.c'), 'utf8');
    expect(firmware).toContain(`firmware_name[] = "${FIRMWARE_NAME}"`);
  });

  it('decodes a status reply and refuses a short one', () => {
    const s = decodeStatus([5, 1, 0, 2, 0, 8, StatusFlag.READY | StatusFlag.DOOR_CLOSED | StatusFlag.DAYLIGHT_OK, 0x10, 0x01, 21, 0, 0]);
    expect(s).toMatchObject({ uptimeS: 133, watchdogResets: 2, bootCause: 8, ready: true, doorClosed: true, standby: false, msSinceHeartbeat: 144, daylightRaw: 21 });
    expect(decodeStatus([1, 2, 3])).toBeNull();
    // A firmware without the temperature bytes: no temperature, not a wrong one.
    expect(s?.temperatureRaw).toBeNull();
    expect(s?.seatOccupied).toBe(false);
  });

  it('decodes the seat flag and the temperature sensor, and converts it with the datasheet curve', () => {
    const s = decodeStatus([0, 0, 0, 0, 0, 1, StatusFlag.SEAT_OCCUPIED, 0, 0, 0, 0, 0, 292 & 0x7f, 292 >> 7]);
    expect(s).toMatchObject({ seatOccupied: true, temperatureRaw: 292 });
    // 292 counts of 1.1 V = 314 mV: 25 C (datasheet's typical point).
    expect(atmegaTemperatureC(292)).toBeCloseTo(25, 0);
    for (const c of [-20, 0, 25, 47, 80]) expect(atmegaTemperatureC((atmegaTemperatureMv(c) * 1024) / 1100)).toBeCloseTo(c, 6);
  });

  it('sends the seat in the readiness configuration only when one is fitted', () => {
    expect(readinessConfigMessage(2, 0, 0, 120)).toEqual([RigSysex.READINESS_CONFIG, 2, 0, 0, 120, 0]);
    expect(readinessConfigMessage(2, 0, 0, 120, { pin: 4, occupiedLevel: 0 })).toEqual([RigSysex.READINESS_CONFIG, 2, 0, 0, 120, 0, 4, 0]);
  });
});
