/** Stable codes of camera failures (see camera.ts for when each is raised). */
export type CameraErrorCode = 'camera.busy' | 'camera.timeout' | 'camera.disconnected' | 'camera.failed';

export class CameraError extends Error {
  constructor(readonly code: CameraErrorCode, message: string) {
    super(message);
    this.name = 'CameraError';
  }
}

export function isCameraError(err: unknown): err is CameraError {
  return err instanceof CameraError;
}
