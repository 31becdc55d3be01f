/**
 * Picks and opens the rig adapter per `rig.driver`: `board` (our firmware on a real serial port),
 * `simulated` (the virtual board behind a virtual serial port, in a room model), or `auto` (the
 * board when one answers the Firmata handshake, otherwise the virtual board). The returned port's
 * `choice` says which and why.
 */
import { readdir } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { DeviceError, type DriverChoice } from '../../controller/src/app/ports/device.ts';
import type { RigPort, SimulatedRigControls } from '../../controller/src/app/ports/rig.ts';
import type { LightCalibration, SceneName } from '../../controller/src/domain/lighting.ts';
import { defaultReadinessLimits } from '../../controller/src/domain/readiness.ts';
import { BoardRig, type BoardWiring, type SensorChips } from './board-rig.ts';
import type { SerialStream } from './rig-link.ts';
import { VirtualSerialLine } from './virtual-serial.ts';

/** The configuration's `rig` section as the adapters read it (config/schema.ts validates it; the shapes agree by structure). */
export interface RigSettings {
  driver: 'auto' | 'simulated' | 'board';
  serialPort: string | null;
  baudRate: number;
  lights: Record<'key' | 'fill' | 'background', { pin: number }> & { hair?: { pin: number | null } };
  sensors: {
    door: { pin: number; closedWhen: 'low' | 'high' };
    daylight: { pin: number; maxLevel: number };
    /** Seat switch (pressure mat); absent or null pin: none fitted. */
    seat?: { pin: number | null; occupiedWhen: 'low' | 'high' };
  };
}

export interface OpenRigOptions {
  /** Serial devices to try when `rig.serialPort` is null (default: /dev/ttyACM* and /dev/ttyUSB*). */
  candidates?: () => Promise<string[]>;
  /** How long a candidate gets to answer the handshake. */
  probeTimeoutMs?: number;
  openPort?: (path: string, baudRate: number) => SerialStream;
  calibration?: LightCalibration;
  chips?: Partial<SensorChips>;
  heartbeatTimeoutMs?: number;
}

export function wiringFrom(cfg: RigSettings): BoardWiring {
  return {
    lights: {
      key: cfg.lights.key.pin, fill: cfg.lights.fill.pin, background: cfg.lights.background.pin,
      ...(cfg.lights.hair?.pin != null ? { hair: cfg.lights.hair.pin } : {}),
    },
    door: { pin: cfg.sensors.door.pin, closedWhen: cfg.sensors.door.closedWhen },
    daylight: { pin: cfg.sensors.daylight.pin },
    ...(cfg.sensors.seat && cfg.sensors.seat.pin !== null ? { seat: { pin: cfg.sensors.seat.pin, occupiedWhen: cfg.sensors.seat.occupiedWhen } } : {}),
  };
}

/** Serial devices that look like an Arduino-class board (serialport's list() needs udevadm, which a kiosk image may lack). */
export async function scanSerialDevices(): Promise<string[]> {
  const names = await readdir('/dev').catch(() => [] as string[]);
  return names.filter((n) => /^tty(ACM|USB)\d+$/.test(n)).sort().map((n) => `/dev/${n}`);
}

const nativePort = (path: string, baudRate: number): SerialStream => new SerialPort({ path, baudRate });

async function openBoard(cfg: RigSettings, o: OpenRigOptions, path: string, choice: DriverChoice, timeoutMs: number): Promise<BoardRig> {
  return BoardRig.open({
    path, baudRate: cfg.baudRate, wiring: wiringFrom(cfg), choice, openPort: o.openPort ?? nativePort,
    limits: { ...defaultReadinessLimits, daylightMax: cfg.sensors.daylight.maxLevel }, handshakeTimeoutMs: timeoutMs,
    ...(o.calibration ? { calibration: o.calibration } : {}), ...(o.chips ? { chips: o.chips } : {}),
    ...(o.heartbeatTimeoutMs ? { heartbeatTimeoutMs: o.heartbeatTimeoutMs } : {}),
  });
}

/** The virtual board in its room, with the technician's test-panel controls. */
export async function openVirtualRig(cfg: RigSettings, o: OpenRigOptions, reason: string): Promise<BoardRig & { line: VirtualSerialLine }> {
  const wiring = wiringFrom(cfg);
  const line = new VirtualSerialLine('virtual:rig', {
    lights: wiring.lights, doorPin: wiring.door.pin, doorClosedWhen: wiring.door.closedWhen, daylightPin: wiring.daylight.pin,
    ...(wiring.seat ? { seat: wiring.seat } : {}),
  });
  const controls: SimulatedRigControls = {
    setDoor: (door) => line.room.setDoor(door),
    // Bright overcast daylight through an uncovered window, or none.
    setDaylight: (daylight) => line.room.setDaylight(daylight ? 2000 : 0),
    setLights: (levels) => {
      for (const [side, channel] of [['left', 'key'], ['right', 'fill']] as const) {
        const v = levels[side];
        if (v === undefined) continue;
        if (!Number.isFinite(v) || v < 0 || v > 2) throw new RangeError(`light level ${side} must be within 0..2, got ${v}`);
        line.room.setLampOutput(channel, v);
      }
    },
    setLampOutput: (channel, factor) => {
      if (!Number.isFinite(factor) || factor < 0 || factor > 2) throw new RangeError(`lamp output ${channel} must be within 0..2, got ${factor}`);
      line.room.setLampOutput(channel, factor);
    },
    setDaylightLux: (lux) => line.room.setDaylight(lux),
    sceneLighting: () => line.room.sceneLighting(),
  };
  const rig = await BoardRig.open({
    path: line.path, baudRate: cfg.baudRate, wiring, openPort: (_p, baud) => line.openStream(baud), controls,
    choice: { driver: 'simulated', simulated: true, reason },
    limits: { ...defaultReadinessLimits, daylightMax: cfg.sensors.daylight.maxLevel },
    ...(o.calibration ? { calibration: o.calibration } : {}), ...(o.heartbeatTimeoutMs ? { heartbeatTimeoutMs: o.heartbeatTimeoutMs } : {}),
  });
  return Object.assign(rig, { line });
}

export async function openRig(cfg: RigSettings, o: OpenRigOptions = {}): Promise<RigPort> {
  if (cfg.driver === 'simulated') return openVirtualRig(cfg, o, 'configured');
  const candidates = cfg.serialPort ? [cfg.serialPort] : await (o.candidates ?? scanSerialDevices)();
  const failures: string[] = [];
  for (const path of candidates) {
    try {
      const reason = cfg.driver === 'board' ? 'configured' : `a board answered on ${path}`;
      return await openBoard(cfg, o, path, { driver: 'board', simulated: false, reason }, o.probeTimeoutMs ?? 3000);
    } catch (err) {
      failures.push(`${path}: ${err instanceof DeviceError ? err.code : err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (cfg.driver === 'board') {
    throw new DeviceError('rig.not_found', true, candidates.length ? `no rig board answered (${failures.join('; ')})` : 'no serial device found');
  }
  return openVirtualRig(cfg, o, candidates.length ? `no board answered (${failures.join('; ')})` : 'no serial device found');
}

/** Applies a scene and waits (at most `timeoutMs`) until the room reads ready; resolves either way. */
export async function settleRig(rig: RigPort, scene: SceneName, timeoutMs: number): Promise<void> {
  await rig.scene(scene, 0);
  if (rig.readiness().ready) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve();
    }, timeoutMs);
    const off = rig.onChange((r) => {
      if (!r.ready) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
