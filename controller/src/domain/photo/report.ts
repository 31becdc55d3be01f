/** What validating one photo produces: the verdict, every check, and the deliverable when one exists. */
import type { PhotoCode } from '../messages/photo.ts';
import type { PhotoCheck } from './checks.ts';
import type { BackgroundName } from './profiles.ts';

/** The file handed to the registry: 480x640 sRGB JPEG, 300 dpi, no metadata, inside the profile's size band. */
export interface Deliverable {
  jpeg: Buffer;
  width: 480;
  height: 640;
  bytes: number;
  quality: number;
  sha256: string;
}

/** What the identity checks read of a shot: its face descriptor and its presentation cues. */
export interface FaceCheck {
  /** the face's 128-number descriptor and the network that made it (domain/identity/face-match.ts compares them) */
  descriptor: { model: string; values: number[] };
  /** cues of a photo of a photo or of a screen (domain/identity/presentation.ts) */
  presentation: { moire: number | null };
  /** milliseconds the check took */
  ms: number;
}

export interface PhotoReport {
  verdict: 'pass' | 'fail' | 'error';
  profile: string;
  checks: PhotoCheck[];
  /** milliseconds per stage */
  timings: Record<string, number>;
  error?: { code: PhotoCode; message: { zh: string; en: string } };
  deliverable?: Deliverable;
  /** small JPEG of the oriented original, 512 px on its long side (the analysis image), for the review screen */
  preview?: Buffer;
  /** the background colour the checks used */
  background?: BackgroundName;
  /** oriented original size and the libjpeg shrink-on-load factor the single decode used */
  decoded?: { width: number; height: number; shrink: number };
  /** the one face found, its box normalised to the oriented original (calibration measures the light on it) */
  face?: { x: number; y: number; w: number; h: number };
  /** where the deliverable was cut, in oriented-original pixels */
  crop?: { x: number; y: number; w: number; h: number };
  /**
   * The identity checks' measurements of this shot, computed when called (the kiosk calls it when
   * the photo is stored, off the shutter -> review path); present when asked for and a deliverable exists.
   */
  faceCheck?: () => Promise<FaceCheck>;
}
