/**
 * The Camera port: what the controller needs from the capture camera (a DSLR over gphoto2 in the
 * room; the simulated camera on a laptop or in tests). Types only; adapters (controller/src/camera/) implement it and all
 * run the contract suite in test/contract/camera.contract.ts. Adapters are built by
 * `openCamera(config)` (camera/open-camera.ts), which opens and probes the body before resolving.
 *
 * Failure behaviour, common to every adapter: the body may vanish in the middle of any command.
 * Every command then rejects with a `CameraError` (camera-error.ts) whose `code` is stable and whose
 * `transient` says whether a retry can help; callers map codes to messages and never parse texts.
 * After a loss the adapter reconnects by itself with backoff and reports it through status events;
 * commands issued while it is not connected reject at once with `camera.disconnected`.
 */
import type { DeviceStatus, DeviceStatusEvent } from './device.ts';

export interface CameraInfo {
  /** Which adapter: `gphoto2` or `simulated`. */
  driver: 'gphoto2' | 'simulated';
  model: string;
  /** True for the simulated camera: the kiosk shows the demo banner and staff see it in status. */
  simulated: boolean;
  serial: string | null;
  lens: string | null;
  /** 0..100, null when the body does not say. */
  batteryPercent: number | null;
  /** Free bytes on the card, null when unknown. */
  freeBytes: number | null;
  /** gphoto2 port (`usb:001,004`, `ptpip:HOST:PORT:PORT`), null for the simulated camera. */
  port: string | null;
}

/** One full-resolution still as the camera wrote it (JPEG, EXIF as the camera set it). */
export interface Still {
  jpeg: Buffer;
  width: number;
  height: number;
  capturedAt: Date;
}

/** One live-view frame: a small JPEG, numbered from 1 per preview stream. */
export interface PreviewFrame {
  jpeg: Buffer;
  width: number;
  height: number;
  seq: number;
}

/** The settings the port reads and writes, as the body names its values (`100`, `f/8`, `1/125`, `Automatic`, `2976x1984`). */
export const CAMERA_SETTING_KEYS = ['iso', 'aperture', 'shutter', 'whiteBalance', 'imageSize', 'quality', 'focusMode'] as const;
export type CameraSettingKey = (typeof CAMERA_SETTING_KEYS)[number];

export interface CameraSetting {
  value: string;
  /** Values the body accepts; empty when it does not list them. */
  choices: string[];
  readOnly: boolean;
}

export type CameraSettings = Partial<Record<CameraSettingKey, CameraSetting>>;

export interface CaptureOptions {
  /**
   * Aborting rejects the capture with the signal's reason. A capture not yet started is dropped;
   * one in progress is cut (the adapter restarts its connection to the body if it must).
   */
  signal?: AbortSignal;
}

export interface Camera {
  /** Identity and health as of the last probe (open, reconnect, `refresh()`). */
  readonly info: CameraInfo;

  /** Current connection status. */
  readonly status: DeviceStatus;

  /** Subscribes to status changes (`connected`, `lost`, `reconnecting`, `busy`); returns the unsubscribe function. */
  onStatus(listener: (event: DeviceStatusEvent) => void): () => void;

  /**
   * Takes one still. Resolves with a non-empty JPEG or rejects with a CameraError:
   * - `camera.busy` when another capture is still in flight (captures are never queued silently:
   *   the kiosk must not fire twice for one press) or the body says it is busy;
   * - `camera.timeout` when the body does not answer within the adapter's limit;
   * - `camera.disconnected` after `close()`, while reconnecting, or when the body went away;
   * - `camera.focus_failed`, `camera.storage_full`, `camera.permanent` as the body reports.
   * A running preview is paused for the still and resumed after it.
   */
  capture(options?: CaptureOptions): Promise<Still>;

  /**
   * Starts live view for one subscriber; `onFrame` is called for each frame until the returned stop
   * function is called (stop is idempotent). Several subscribers share one stream. When the stream
   * fails (the body went away, or it has no live view), `onError` is called once with a CameraError
   * and no more frames follow. Throws `camera.disconnected` synchronously after `close()`.
   */
  preview(onFrame: (frame: PreviewFrame) => void, onError?: (err: Error) => void): () => void;

  /** Reads the settings the body exposes (unknown ones are absent). */
  getSettings(): Promise<CameraSettings>;

  /** Changes settings; rejects with `camera.permanent` for a value the body refuses. Resolves with the settings after the change. */
  setSettings(changes: Partial<Record<CameraSettingKey, string>>): Promise<CameraSettings>;

  /** Probes battery and free storage again (a health check); resolves with the new info. */
  refresh(): Promise<CameraInfo>;

  /** Stops every preview and releases the body. Idempotent. */
  close(): Promise<void>;
}
