/**
 * The Rig port: the capture room's lights and readiness sensors as the controller sees them (the
 * board running our firmware; the virtual board on a laptop and in tests). Types only.
 *
 * Failure behaviour, common to every adapter: `readiness()` never throws; a rig that lost its board
 * reports `ready: false` with reason `rig.offline` within 1 s, and a report older than its limit
 * counts as none (`rig.stale`): a stale report never lets a capture through. Commands
 * (`setLights`, `scene`) reject with a `DeviceError` (`rig.offline`, transient) while the board is
 * away. Listeners are called after every change, synchronously after the change is applied, and
 * a throwing listener does not stop the others. Adapters reconnect on their own within 5 s of the
 * port coming back.
 */
import type { DeviceStatusEvent, DriverChoice } from './device.ts';
import type { LightCalibration, LightChannelName, LightPercent, SceneName } from '../../domain/lighting.ts';
import type { SceneLighting } from '../../domain/calibration/scene-light.ts';

/** Light output measured at the subject, relative to the calibrated level (1 = as calibrated). */
export interface LightLevels {
  left: number;
  right: number;
}

/** 就绪报告: whether a photo may be taken now, and if not, the reason codes (texts in the catalogue). */
export interface ReadinessReport {
  ready: boolean;
  reasons: string[];
  door: 'open' | 'closed';
  /** Natural light detected at the window sensor (the room must be dark apart from the studio lights). */
  daylight: boolean;
  lights: LightLevels;
  /** ISO instant of the report. */
  at: string;
  simulated: boolean;
  /** The scene the lights were last asked for (absent: the adapter has no scenes). */
  scene?: SceneName;
  /**
   * The lights are still on their way to `scene` (the board has not yet confirmed every channel at
   * the scene's level, or no subject measurement begun after that has arrived). While settling,
   * light levels between the old and the new scene are not a reason; the shutter waits for it to end.
   */
  settling?: boolean;
}

/** How far the lights may drift from calibration before capture is refused. */
export interface ReadinessTolerance {
  /** Each light within 1 +- level. */
  level: number;
  /** |left - right| at most this. */
  balance: number;
}

/** What the kiosk needs from the rig: readiness now and when it changes. */
export interface Rig {
  readiness(): ReadinessReport;
  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (report: ReadinessReport) => void): () => void;
  close(): Promise<void>;
}

/** What the staff side can change on a simulated rig (the technician's test panel). */
export interface SimulatedRigControls {
  setDoor(door: 'open' | 'closed'): void;
  setDaylight(daylight: boolean): void;
  setLights(levels: Partial<LightLevels>): void;
  /** A lamp's output relative to new (0 = dead or unplugged, 0.6 = aged): the virtual room only. */
  setLampOutput?(channel: LightChannelName, factor: number): void;
  /** Daylight through the window (lux): the virtual room only. */
  setDaylightLux?(lux: number): void;
  /** The light on the subject and backdrop now, for the simulated camera: the virtual room only. */
  sceneLighting?(): SceneLighting;
}

/** One sensor value with the epoch ms it was read at. */
export interface Reading<T> {
  value: T;
  at: number;
}

/** Raw sensor readings, each with its time; null until the first arrives. */
export interface RigReadings {
  /** Illuminance at the subject (lux). */
  subjectLux: Reading<number> | null;
  door: Reading<'open' | 'closed'> | null;
  /** Window (daylight) sensor, raw ADC counts. */
  daylightRaw: Reading<number> | null;
  /** Output per light channel (percent) as the board confirms it. */
  lights: Partial<Record<LightChannelName, Reading<number>>>;
  /** Seat switch (pressure mat): is someone sitting in front of the camera. Not a readiness condition. */
  seat: Reading<'occupied' | 'empty'> | null;
  /** The board's own temperature (the MCU's internal sensor, degrees C, a few degrees rough). */
  boardTemperatureC: Reading<number> | null;
}

/** The firmware's own health. */
export interface BoardHealth {
  firmware: string;
  uptimeS: number;
  watchdogResets: number;
  /** Epoch ms the host's last heartbeat was acknowledged by the board's report. */
  lastHeartbeatAt: number;
  standby: boolean;
  at: number;
}

/** The studio lights as the kiosk drives them: one scene per kiosk state (domain/kiosk-scenes.ts). */
export interface SceneLights {
  /**
   * Ramps to a scene of the active calibration. While the board is away it rejects with a
   * DeviceError (`rig.offline`, transient) but keeps the scene: the board is lit for it once back.
   */
  scene(name: SceneName, rampMs?: number): Promise<void>;
}

export interface RigPort extends Rig, SceneLights {
  readonly choice: DriverChoice;
  /** Sets light channels (percent 0-100), ramped over `rampMs` by the firmware. */
  setLights(levels: LightPercent, rampMs?: number): Promise<void>;
  readings(): RigReadings;
  /** Replaces the calibration (levels per scene, the subject illuminance readiness expects) and re-lights the current scene. */
  calibrate?(calibration: LightCalibration): Promise<void>;
  health(): BoardHealth | null;
  onStatus(listener: (event: DeviceStatusEvent) => void): () => void;
  /** Present on the virtual board: the room it sits in, for demos and tests. */
  readonly controls?: SimulatedRigControls;
}
