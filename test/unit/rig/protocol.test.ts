import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeStatus, Firmata, FIRMWARE_NAME, PinMode, RigSysex, StatusFlag } from '../../../firmware-bridge/src/protocol.ts';
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
  });
});
