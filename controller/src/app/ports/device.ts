/**
 * What every hardware port (camera, rig) shares: an async open that probes the device and may fail,
 * status events, and failures as coded values with a `transient` flag.
 *
 * Failure behaviour, common to every device adapter: a device may vanish in the middle of any
 * command. Every command then rejects with a `DeviceError` whose `transient` is true when trying
 * again later can succeed (busy, timeout, disconnected) and false when a person must act (storage
 * full, not found, permanent). Callers map `code` to a message in the catalogue; they never parse
 * `message`, which is for logs.
 */

/** Connection status of a device as the supervisor sees it. */
export type DeviceStatus = 'connected' | 'lost' | 'reconnecting' | 'busy';

export interface DeviceStatusEvent {
  status: DeviceStatus;
  /** Epoch milliseconds of the change. */
  at: number;
  /** The failure code behind `lost` / `reconnecting`, if any. */
  code?: string;
}

/** A device failure: `code` is stable (catalogue key), `transient` says whether a retry can help. */
export class DeviceError<C extends string = string> extends Error {
  constructor(readonly code: C, readonly transient: boolean, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeviceError';
  }
}

export function isDeviceError(err: unknown): err is DeviceError {
  return err instanceof DeviceError;
}

/** Which adapter the composition root chose for a port, and why (shown in the log, kiosk state and staff status). */
export interface DriverChoice {
  driver: string;
  simulated: boolean;
  /** Why this driver: `configured`, or for `auto` what was (not) found. */
  reason: string;
}

/** The driver each hardware port runs with (the kiosk state and the staff status page show both). */
export interface DeviceDrivers {
  camera: DriverChoice;
  rig: DriverChoice;
}

/** The room's devices as the staff status page shows them: which driver and why, and how each is now. */
export interface DevicesReport {
  camera: DriverChoice & { status: DeviceStatus; model: string };
  rig: DriverChoice & { ready: boolean; reasons: string[] };
}
