/**
 * The Camera port: what the controller needs from the capture camera (a DSLR over gphoto2 in the
 * room; the simulated camera on a laptop or in tests). Types only; adapters live beside it and all
 * run the contract suite in test/contract/camera.contract.ts.
 *
 * Failure behaviour, common to every adapter: failures are `CameraError`s (camera-error.ts) with a
 * stable `code`; callers map codes to kiosk messages and never parse texts.
 */

export interface CameraInfo {
  model: string;
  /** True for the simulated camera: the kiosk shows the demo banner and staff see it in status. */
  simulated: boolean;
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

export interface Camera {
  readonly info: CameraInfo;

  /**
   * Takes one still. Resolves with a non-empty JPEG or rejects with:
   * - `camera.busy` when another capture is still in flight (captures are never queued silently:
   *   the kiosk must not fire twice for one press);
   * - `camera.timeout` when the body does not answer within the adapter's limit;
   * - `camera.disconnected` after `close()` or when the body went away.
   * A running preview keeps running across a capture (the adapter pauses and resumes it if the body
   * cannot do both).
   */
  capture(): Promise<Still>;

  /**
   * Starts live view for one subscriber; `onFrame` is called for each frame until the returned stop
   * function is called (stop is idempotent). Several subscribers share one stream. When the stream
   * fails, `onError` is called once and no more frames follow. Throws `camera.disconnected`
   * synchronously after `close()`.
   */
  preview(onFrame: (frame: PreviewFrame) => void, onError?: (err: Error) => void): () => void;

  /** Stops every preview and releases the body. Idempotent. */
  close(): Promise<void>;
}
