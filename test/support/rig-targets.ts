/**
 * Where the rig firmware runs in tests: the virtual board (TypeScript) behind a virtual serial
 * port, or the real firmware ELF in simavr behind a PTY. Both sit in a room model the test drives.
 */
import { SerialPort } from 'serialport';
import type { RoomModel, RoomWiring } from '../../firmware-bridge/src/room-model.ts';
import { SimavrBoard, buildFirmwareAndHarness } from '../../firmware-bridge/src/simavr-board.ts';
import { VirtualSerialLine } from '../../firmware-bridge/src/virtual-serial.ts';
import type { SerialStream } from '../../firmware-bridge/src/rig-link.ts';
import type { RigSettings } from '../../firmware-bridge/src/open-rig.ts';

export const testWiring: RoomWiring = {
  lights: { key: 9, fill: 10, background: 11 }, doorPin: 2, doorClosedWhen: 'low', daylightPin: 14, seat: { pin: 4, occupiedWhen: 'low' },
};

export interface FirmwareTarget {
  readonly name: string;
  readonly room: RoomModel;
  /** A new serial stream to the board (opened). */
  openStream(): SerialStream;
  /** How many times the firmware booted (power-on counts as 1). */
  boots(): number;
  close(): Promise<void>;
}

export async function virtualTarget(): Promise<FirmwareTarget> {
  const line = new VirtualSerialLine('virtual:rig', testWiring);
  return {
    name: 'virtual board', room: line.room,
    openStream: () => line.openStream(),
    boots: () => line.board.bootCount,
    close: async () => line.board.stop(),
  };
}

let built: Promise<string> | null = null;
/** Builds the firmware and harness once per test process. */
export function ensureFirmwareBuilt(): Promise<string> {
  built ??= buildFirmwareAndHarness();
  return built;
}

export async function simavrTarget(): Promise<FirmwareTarget> {
  await ensureFirmwareBuilt();
  const sim = await SimavrBoard.start(testWiring);
  return {
    name: 'firmware in simavr', room: sim.room,
    openStream: () => new SerialPort({ path: sim.path, baudRate: 57_600 }),
    boots: () => sim.boots,
    close: () => sim.close(),
  };
}

/**
 * Waits until `check` returns a value other than undefined (polled every 10 ms); fails naming `what` after
 * `timeoutMs`. The wait bounds a board that never gets there, it does not time one: a loaded machine runs
 * the firmware in simavr slower than real time.
 */
export async function until<T>(check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The rig section of the default configuration, spelled out (the tests must not depend on a config file). */
export const testRigSettings: RigSettings = {
  driver: 'simulated', serialPort: null, baudRate: 57_600,
  lights: { key: { pin: 9 }, fill: { pin: 10 }, background: { pin: 11 } },
  sensors: { door: { pin: 2, closedWhen: 'low' }, daylight: { pin: 14, maxLevel: 120 }, seat: { pin: 4, occupiedWhen: 'low' } },
};
