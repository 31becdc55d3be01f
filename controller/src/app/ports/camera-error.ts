/**
 * Camera failures as coded values (the shared DeviceError shape of app/ports/device.ts). The code
 * is stable: the kiosk maps it to its own student message (see kioskReasonForCameraError) and
 * technicians see it in `rig camera status`. `transient` says whether trying again can help.
 */
import { DeviceError } from './device.ts';
import type { KioskCode } from '../../domain/messages/kiosk.ts';

/** Every camera failure code, with whether a retry can succeed without a person acting. */
export const CAMERA_ERROR_CODES = {
  /** The body refused the command for now (PTP Device Busy, a capture already in flight). */
  'camera.busy': true,
  /** No answer within the command's time limit; the camera process was killed and restarted. */
  'camera.timeout': true,
  /** The body went away (unplugged, asleep, USB reset, connection dropped); reconnecting. */
  'camera.disconnected': true,
  /** Autofocus could not lock (too dark, no contrast); the next press may work. */
  'camera.focus_failed': true,
  /** The memory card is full: a technician must empty or change it. */
  'camera.storage_full': false,
  /** No camera found at open (nothing plugged in, wrong port, turned off). */
  'camera.not_found': false,
  /** Anything else a person must fix (unsupported body, bad setting). */
  'camera.permanent': false,
} as const satisfies Record<string, boolean>;

export type CameraErrorCode = keyof typeof CAMERA_ERROR_CODES;

export class CameraError extends DeviceError<CameraErrorCode> {
  constructor(code: CameraErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, CAMERA_ERROR_CODES[code], message, options);
    this.name = 'CameraError';
  }
}

export function isCameraError(err: unknown): err is CameraError {
  return err instanceof CameraError;
}

/**
 * The kiosk reason code (message catalogue key, `kiosk.camera.*`) for a camera failure: one
 * student-facing message per camera code. Anything that is not a CameraError (a bug, an abort)
 * maps to the generic `kiosk.camera.failed`.
 */
export function kioskReasonForCameraError(err: unknown): KioskCode {
  if (!isCameraError(err)) return 'kiosk.camera.failed';
  return `kiosk.${err.code}` as const;
}
