// Its own module: the camera and its session helpers both log through it (they would import each other).

/** The part of a pino logger the gphoto2 camera uses. */
export interface CameraLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}
