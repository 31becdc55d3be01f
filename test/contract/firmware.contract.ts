/**
 * The rig firmware's contract, run against the virtual board and against the real firmware in
 * simavr: the same bytes must get the same behaviour from both. The host side is firmata-io (the IO
 * johnny-five uses) plus our sysex link. Inputs come from the room model; outputs are read back
 * from it (the harness reports PWM, the virtual board drives the room directly).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atmegaTemperatureC, PinMode, type FirmwareStatus } from '../../firmware-bridge/src/protocol.ts';
import { RigLink } from '../../firmware-bridge/src/rig-link.ts';
import { until, type FirmwareTarget } from '../support/rig-targets.ts';

const KEY = 9;

export function firmwareContract(factory: () => Promise<FirmwareTarget>): void {
  describe('rig firmware contract', () => {
    let target: FirmwareTarget;
    let link: RigLink;

    beforeEach(async () => {
      target = await factory();
      link = await RigLink.connect(target.openStream(), { timeoutMs: 10_000 });
    });
    afterEach(async () => {
      await link?.close();
      await target?.close();
    });

    const duty = (pin: number): number => target.room.duty(pin);

    it('answers the Firmata handshake with its name, version, capabilities and analog mapping', () => {
      expect(link.firmwareName).toBe('rig-firmata');
      expect(link.io.version).toMatchObject({ major: 2, minor: 5 });
      expect(link.io.pins).toHaveLength(20);
      expect(link.io.analogPins).toEqual([14, 15, 16, 17, 18, 19]);
      expect(link.io.pins[KEY]?.supportedModes).toContain(PinMode.PWM);
      expect(link.io.pins[2]?.supportedModes).not.toContain(PinMode.PWM);
      expect(link.io.pins[0]?.supportedModes).toEqual([]); // the UART's pins are not for use
    });

    it('sets pin modes, refuses modes a pin lacks, and reports them back', async () => {
      link.io.pinMode(KEY, PinMode.PWM);
      link.io.pinMode(2, PinMode.PWM); // pin 2 has no timer: stays as it was
      const state = (pin: number): Promise<number | undefined> => new Promise((resolve) => link.io.queryPinState(pin, () => resolve(link.io.pins[pin]?.mode)));
      expect(await state(KEY)).toBe(PinMode.PWM);
      expect(await state(2)).toBe(PinMode.OUTPUT);
      link.io.analogWrite(KEY, 77);
      await until(() => (duty(KEY) === 77 ? true : undefined), 'PWM 77 on the key light');
    });

    it('ramps a light up softly (intermediate levels) and lands exactly on the target', async () => {
      link.io.pinMode(KEY, PinMode.PWM);
      const seen = new Set<number>();
      const off = target.room.onChange(() => seen.add(duty(KEY)));
      link.ramp(KEY, 200, 400);
      await until(() => (duty(KEY) === 200 ? true : undefined), 'the ramp to reach 200');
      off();
      expect([...seen].some((v) => v > 0 && v < 200)).toBe(true);
    });

    it('reports the daylight sensor and the door switch as the room changes', async () => {
      const analog: number[] = [];
      const door: number[] = [];
      link.io.on('analog-read-0', (v: number) => analog.push(v));
      link.io.reportAnalogPin(0, 1);
      link.io.pinMode(2, PinMode.INPUT);
      link.io.on('digital-read-2', (v: number) => door.push(v));
      link.io.reportDigitalPin(2, 1);
      target.room.setDaylight(2000); // 500 counts at the window
      await until(() => (analog.some((v) => Math.abs(v - 500) <= 1) ? true : undefined), 'a daylight reading near 500');
      target.room.setDoor('open'); // reed switch to ground: open reads high
      await until(() => (door.at(-1) === 1 ? true : undefined), 'the door-open level');
      target.room.setDoor('closed');
      await until(() => (door.at(-1) === 0 ? true : undefined), 'the door-closed level');
    });

    it('reads the BH1750 at the subject over I2C, and answers nothing for an absent device', async () => {
      link.io.pinMode(KEY, PinMode.PWM);
      link.io.analogWrite(KEY, 255);
      await until(() => (duty(KEY) === 255 ? true : undefined), 'the key light at full');
      link.io.i2cConfig({ delay: 0 });
      link.io.i2cWrite(0x23, [0x10]); // continuous H-resolution mode
      const data = await new Promise<number[]>((resolve) => link.io.i2cReadOnce(0x23, 2, resolve));
      expect(((data[0] ?? 0) << 8) | (data[1] ?? 0)).toBe(target.room.inputs().bh1750Raw);
      let answered = false;
      link.io.i2cReadOnce(0x40, 2, () => { answered = true; });
      await link.status(STATUS_WAIT_MS); // a later reply has come back, so the absent device's would have too
      expect(answered).toBe(false);
    });

    it('summarises readiness in its status: door, daylight, ready', async () => {
      link.io.pinMode(2, PinMode.INPUT);
      link.configureReadiness(2, 0, 0, 120);
      const ready = await waitStatus(link, (s) => s.ready);
      expect(ready).toMatchObject({ doorClosed: true, daylightOk: true });
      target.room.setDoor('open');
      const open = await waitStatus(link, (s) => !s.doorClosed);
      expect(open.ready).toBe(false);
    });

    it('reports the seat in its status and its own temperature, and the seat does not decide ready', async () => {
      link.io.pinMode(2, PinMode.INPUT);
      link.io.pinMode(4, PinMode.INPUT);
      link.configureReadiness(2, 0, 0, 120, { pin: 4, occupiedLevel: 0 });
      const empty = await waitStatus(link, (s) => s.ready && !s.seatOccupied);
      expect(empty.temperatureRaw).not.toBeNull();
      target.room.setSeat('occupied');
      target.room.setBoardTemperature(60);
      const seated = await waitStatus(link, (s) => s.seatOccupied && s.temperatureRaw !== null && Math.abs(atmegaTemperatureC(s.temperatureRaw) - 60) <= 2);
      expect(seated.ready).toBe(true);
    });

    it('ramps the lights to standby when the host goes silent, and says so', async () => {
      link.io.pinMode(KEY, PinMode.PWM);
      link.io.analogWrite(KEY, 200);
      await until(() => (duty(KEY) === 200 ? true : undefined), 'the key light at 200');
      link.configureHeartbeat(500, 25, 200);
      const standby = await waitStatus(link, (s) => s.standby);
      expect(standby.heartbeatArmed).toBe(true);
      await until(() => (duty(KEY) === 25 ? true : undefined), 'the key light at standby (25)');
      link.heartbeat();
      const alive = await link.status(STATUS_WAIT_MS);
      expect(alive.standby).toBe(false);
    });

    it('keeps the lights up while the host keeps beating', async () => {
      link.io.pinMode(KEY, PinMode.PWM);
      link.io.analogWrite(KEY, 180);
      link.configureHeartbeat(500, 0, 0);
      for (let i = 0; i < 12; i++) {
        link.heartbeat();
        await new Promise((r) => setTimeout(r, 100));
      }
      const s = await link.status(STATUS_WAIT_MS);
      expect(s.standby).toBe(false);
      expect(duty(KEY)).toBe(180);
    });

    it('is reset by its watchdog when the main loop wedges, counts the reset and comes back dark', async () => {
      link.io.pinMode(KEY, PinMode.PWM);
      link.io.analogWrite(KEY, 150);
      await until(() => (duty(KEY) === 150 ? true : undefined), 'the key light at 150');
      const before = await link.status(STATUS_WAIT_MS);
      const boots = target.boots();
      link.hang();
      await until(() => (target.boots() > boots ? true : undefined), 'a watchdog reset', 10_000);
      // A request sent while the board is still booting is lost with the boot: ask until it answers.
      const after = await waitStatus(link, (s) => s.watchdogResets !== before.watchdogResets || s.bootCause !== before.bootCause);
      expect(after.watchdogResets).toBe(before.watchdogResets + 1);
      expect(after.bootCause & 0x08).toBe(0x08);
      expect(duty(KEY)).toBe(0); // after a reset every pin is an input again: the dimmers see no signal
    });

    it('ignores garbage and truncated frames and keeps answering', async () => {
      const before = await link.status(STATUS_WAIT_MS);
      link.writeRaw([0x00, 0x12, 0x7f, 0x33]); // data bytes outside any message
      link.writeRaw([0xf0, 0x79]); // truncated sysex ...
      link.writeRaw([0xe9, 0x05]); // ... cut by a truncated analog write ...
      link.writeRaw([0xf0, ...Array.from({ length: 200 }, (_, i) => i & 0x7f), 0xf7]); // an oversized sysex
      link.writeRaw([0xa3, 0xb1, 0x01, 0xf7, 0xf7]); // unknown commands and stray ends
      const after = await link.status(STATUS_WAIT_MS);
      expect(after.watchdogResets).toBe(before.watchdogResets);
      expect(after.bootCause).toBe(before.bootCause);
      expect(after.uptimeS).toBeGreaterThanOrEqual(before.uptimeS);
      const firmware = await new Promise<string | undefined>((resolve) => link.io.queryFirmware(() => resolve(link.io.firmware.name)));
      expect(firmware).toBe('rig-firmata');
    });
  });
}

/**
 * How long a test waits for the board's answer. It bounds a board that never answers, it does not time
 * one: on a loaded machine simavr runs slower than real time (the link's own default, 1 s, is the
 * driver's figure for a board that is gone).
 */
const STATUS_WAIT_MS = 10_000;

function waitStatus(link: RigLink, match: (s: FirmwareStatus) => boolean, timeoutMs = 30_000): Promise<FirmwareStatus> {
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      link.status(1000).catch(() => undefined);
    }, 100);
    const timer = setTimeout(() => {
      clearInterval(poll);
      off();
      reject(new Error('timed out waiting for a matching status'));
    }, timeoutMs);
    const off = link.onStatus((s) => {
      if (!match(s)) return;
      clearInterval(poll);
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}
