/**
 * The auto-calibration rule (自动校准): one test shot's figures and the room's current settings in,
 * the next settings or a coded reason to stop out. Pure; the loop that shoots and applies is
 * app/calibration/auto-calibrate.ts.
 *
 * Each step corrects three things at once, each with its own knob: the face's exposure (key and
 * fill together), the face's left/right balance (key against fill: the key stands at camera left),
 * and the backdrop's exposure (the background channel). The knobs interact a little (light spills),
 * so the rule iterates rather than solves. When a light would have to go past its limits, the
 * camera's exposure moves one step (ISO, then aperture, then shutter) and every light is rescaled.
 */
import { exposureFactor, type ExposureSettings } from './camera-exposure.ts';
import { assessTargets, lightnessToY, type CalibrationTargets, type ShotFigures, type TargetId } from './figures.ts';

/** Percent (0-100) of the three channels calibration sets (hair, when wired, is left as it is). */
export interface CalibrationLights {
  key: number;
  fill: number;
  background: number;
}

export interface RoomSettings {
  lights: CalibrationLights;
  camera: ExposureSettings & { whiteBalance?: string };
}

/** Within what calibration may move things (configuration `calibration.limits`). */
export interface CalibrationLimits {
  /** Lowest and highest percent a channel may be set to. */
  light: { min: number; max: number };
  /** Values the camera may use, in the order the body lists them (any order is sorted by exposure). */
  iso: readonly string[];
  aperture: readonly string[];
  shutter: readonly string[];
  /** White balance the camera is set to before the first shot (the studio lamps' colour); null leaves it. */
  whiteBalance: string | null;
  maxShots: number;
}

export type StopReason =
  | 'calibration.converged'
  | 'calibration.shot_limit'
  | 'calibration.face_too_dark'
  | 'calibration.face_too_bright'
  | 'calibration.background_too_dark'
  | 'calibration.background_too_bright'
  | 'calibration.unbalanced'
  | 'calibration.channel_unresponsive'
  | 'calibration.background_uneven'
  | 'calibration.no_background'
  // Before the first shot: the room itself is not fit to calibrate in.
  | 'calibration.door_open'
  | 'calibration.daylight'
  | 'calibration.rig_offline'
  // The camera failed a shot (its code in the parameters).
  | 'calibration.camera_failed';

export type Decision =
  | { kind: 'adjust'; next: RoomSettings; failing: TargetId[] }
  | { kind: 'stop'; reason: StopReason; params: Record<string, string | number>; failing: TargetId[] };

/**
 * How much the face's left/right ratio follows the key/fill ratio (log-log): the lamps light both
 * halves, the near one more. 0.4 is the room model's figure and a typical 45-degree pair's.
 */
const BALANCE_SENSITIVITY = 0.4;
/** Largest factor one step may change a light by: a badly measured shot cannot throw the room far. */
const MAX_STEP = 4;
/** A knob moved by at least this factor (log) is expected to show in the figures. */
const NOTICEABLE = Math.log(1.4);
/**
 * The key/fill ratio must have moved at least this much (log) to judge the balance's response: the
 * background lamp and daylight light both halves alike and damp small moves below the noise.
 */
const NOTICEABLE_RATIO = Math.log(2);
/** The backdrop moved less than this share of the background lamp's own move: the lamp did not respond. */
const RESPONSE_SHARE = 0.15;
/**
 * The face's balance followed a clear key/fill move by less than this share of what the rule
 * expected: the lamp that was raised did not respond. How far the balance follows varies with spill
 * and daylight (a live lamp gives a third of the expectation or more), so the bar is low; a dead
 * lamp this misses ends the run at its limit (`unbalanced`).
 */
const BALANCE_RESPONSE_SHARE = 0.1;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round1 = (v: number): number => Math.round(v * 10) / 10;

function ordered(values: readonly string[], key: 'iso' | 'aperture' | 'shutter'): string[] {
  const base = { iso: '100', aperture: 'f/8', shutter: '1/125' };
  const f = (v: string): number => exposureFactor({ ...base, [key]: v }) ?? 0;
  return [...values].filter((v) => f(v) > 0).sort((a, b) => f(a) - f(b));
}

/** One exposure step up (more light on the sensor) or down within the limits: ISO first (cheapest to image quality at these levels), then aperture, then shutter. */
export function exposureStep(camera: ExposureSettings, limits: CalibrationLimits, direction: 1 | -1): ExposureSettings | null {
  for (const key of ['iso', 'aperture', 'shutter'] as const) {
    const list = ordered(limits[key], key);
    const i = list.indexOf(camera[key]);
    const j = i < 0 ? (direction > 0 ? 0 : list.length - 1) : i + direction;
    const v = list[j];
    if (v === undefined || v === camera[key]) continue;
    const next = { ...camera, [key]: v };
    const a = exposureFactor(camera), b = exposureFactor(next);
    if (a !== null && b !== null && (direction > 0 ? b > a : b < a)) return next;
  }
  return null;
}

function faceExposure(f: ShotFigures): number {
  return Math.sqrt(Math.max(1e-6, f.face.left) * Math.max(1e-6, f.face.right));
}

function balanceRatio(f: ShotFigures): number {
  return Math.max(1e-6, f.face.left) / Math.max(1e-6, f.face.right);
}

/**
 * Linear luminance above which a face half is near clipping (L* 92): its mean no longer follows
 * the light, so neither the balance nor a channel's response can be read from it.
 */
const FACE_MEASURABLE = 0.8;
const faceMeasurable = (f: ShotFigures): boolean => f.face.left < FACE_MEASURABLE && f.face.right < FACE_MEASURABLE;

/** Did a knob moved last step move its figure? Names the first channel that did not. */
function unresponsive(prev: { settings: RoomSettings; figures: ShotFigures }, now: { settings: RoomSettings; figures: ShotFigures }): string | null {
  const camera = Math.log((exposureFactor(now.settings.camera) ?? 1) / (exposureFactor(prev.settings.camera) ?? 1));
  const ratio = (a: number, b: number): number => Math.log(Math.max(a, 0.01) / Math.max(b, 0.01));
  const pb = prev.figures.background, nb = now.figures.background;
  const bgMoved = ratio(now.settings.lights.background, prev.settings.lights.background);
  const keyMoved = ratio(now.settings.lights.key, prev.settings.lights.key);
  const fillMoved = ratio(now.settings.lights.fill, prev.settings.lights.fill);
  // The key and fill spill onto the backdrop: only a step where the background lamp moved most can be read.
  const bgAlone = Math.max(Math.abs(keyMoved), Math.abs(fillMoved)) <= Math.abs(bgMoved) / 2;
  if (pb && nb && bgAlone && Math.abs(bgMoved) >= NOTICEABLE) {
    const seen = Math.log(nb.exposure / pb.exposure) - camera;
    if (seen * Math.sign(bgMoved) < RESPONSE_SHARE * Math.abs(bgMoved)) return 'background';
  }
  const expected = BALANCE_SENSITIVITY * (keyMoved - fillMoved);
  if (Math.abs(expected) >= BALANCE_SENSITIVITY * NOTICEABLE_RATIO && faceMeasurable(prev.figures) && faceMeasurable(now.figures)) {
    const seen = Math.log(balanceRatio(now.figures) / balanceRatio(prev.figures));
    if (seen * Math.sign(expected) < BALANCE_RESPONSE_SHARE * Math.abs(expected)) return expected > 0 ? 'key' : 'fill';
  }
  return null;
}

export interface DecideInput {
  /** Shots taken so far, this one included. */
  shots: number;
  settings: RoomSettings;
  figures: ShotFigures;
  previous?: { settings: RoomSettings; figures: ShotFigures };
  targets: CalibrationTargets;
  limits: CalibrationLimits;
}

export function decide(input: DecideInput): Decision {
  const { settings, figures, targets, limits } = input;
  const results = assessTargets(figures, targets);
  const failing = results.filter((r) => !r.passed).map((r) => r.id);
  const stop = (reason: StopReason, params: Record<string, string | number> = {}): Decision => ({ kind: 'stop', reason, params, failing });
  if (failing.length === 0) return stop('calibration.converged', { shots: input.shots });
  if (!figures.background) return stop('calibration.no_background');
  if (input.previous) {
    const channel = unresponsive(input.previous, { settings, figures });
    if (channel) return stop('calibration.channel_unresponsive', { channel });
  }
  const { min, max } = limits.light;
  const l = settings.lights;
  const faceOff = failing.includes('face.exposure');
  const balanceOff = failing.includes('face.balance');
  const backdropOff = failing.includes('background.colour');
  // Stuck at a limit since the last step, and the figure still on the wrong side: the room cannot get there.
  const faceTarget = lightnessToY(targets.faceLightness);
  const fFace = clamp(faceTarget / faceExposure(figures), 1 / MAX_STEP, MAX_STEP);
  const fBg = clamp(1 / Math.max(1e-6, figures.background.exposure), 1 / MAX_STEP, MAX_STEP);
  const m = faceMeasurable(figures) ? clamp(balanceRatio(figures) ** (-1 / BALANCE_SENSITIVITY), 1 / MAX_STEP, MAX_STEP) : 1;
  const cameraUp = exposureStep(settings.camera, limits, 1);
  const cameraDown = exposureStep(settings.camera, limits, -1);
  if (faceOff && fFace > 1 && l.key >= max && l.fill >= max && !cameraUp) return stop('calibration.face_too_dark', { level: max });
  if (faceOff && fFace < 1 && l.key <= min && l.fill <= min && !cameraDown) return stop('calibration.face_too_bright', { level: min });
  if (backdropOff && fBg > 1 && l.background >= max && !cameraUp) return stop('calibration.background_too_dark', { level: max });
  if (backdropOff && fBg < 1 && l.background <= min && !cameraDown) return stop('calibration.background_too_bright', { level: min });
  if (balanceOff && ((m > 1 && l.key >= max && l.fill <= min) || (m < 1 && l.fill >= max && l.key <= min))) {
    return stop('calibration.unbalanced', { channel: m > 1 ? 'key' : 'fill' });
  }
  if (input.shots >= limits.maxShots) return stop('calibration.shot_limit', { shots: input.shots });
  if (!faceOff && !balanceOff && !backdropOff) return stop('calibration.background_uneven', { spread: round1(figures.background.spread) });

  const from = (v: number): number => Math.max(v, min);
  let key = from(l.key) * fFace * Math.sqrt(m);
  let fill = from(l.fill) * fFace / Math.sqrt(m);
  let background = from(l.background) * fBg;
  let camera: RoomSettings['camera'] = { ...settings.camera };
  // Lights out of range: move the camera a step at a time and rescale every light to keep the image.
  for (let i = 0; i < 6; i++) {
    const hi = Math.max(key, fill, background), lo = Math.min(key, fill);
    const dir: 1 | -1 | 0 = hi > max && lo * 2 > min ? 1 : lo < min && hi / 2 < max ? -1 : 0;
    if (dir === 0) break;
    const step = exposureStep(camera, limits, dir);
    if (!step) break;
    const c = (exposureFactor(step) ?? 1) / (exposureFactor(camera) ?? 1);
    key /= c;
    fill /= c;
    background /= c;
    camera = { ...camera, ...step };
  }
  const next: RoomSettings = {
    lights: { key: round1(clamp(key, min, max)), fill: round1(clamp(fill, min, max)), background: round1(clamp(background, min, max)) },
    camera,
  };
  // Nothing left to move (the wanted levels are all past the limits): say which limit holds the room back.
  const stalled = (['key', 'fill', 'background'] as const).every((ch) => Math.abs(next.lights[ch] - l[ch]) < 1)
    && (['iso', 'aperture', 'shutter'] as const).every((k) => next.camera[k] === settings.camera[k]);
  if (stalled) {
    if (balanceOff) return stop('calibration.unbalanced', { channel: m > 1 ? 'key' : 'fill' });
    if (faceOff) return fFace > 1 ? stop('calibration.face_too_dark', { level: max }) : stop('calibration.face_too_bright', { level: min });
    return fBg > 1 ? stop('calibration.background_too_dark', { level: max }) : stop('calibration.background_too_bright', { level: min });
  }
  return { kind: 'adjust', next, failing };
}
