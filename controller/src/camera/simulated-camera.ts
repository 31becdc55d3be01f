/**
 * The simulated camera: the demo subject (see demo-subject.ts) in front of the room's light-blue
 * background, lit by the simulated rig. The whole frame's brightness follows the light level the rig
 * reports (1 = calibrated), and each still has a small random pose (offset, scale, roll); a share
 * of stills tilt her head past the standard's limit so that the kiosk's failure path is exercised.
 *
 * Test handles in the manner of a mock binding: `queuePose()` fixes the next still's pose; `seed`
 * makes the random poses repeatable; `failNextCapture()` fails one capture with a code; `inject()`
 * keeps failing the way a real body does (times out, vanishes, busy, card full, cannot focus, live
 * view frozen) until `restore()`.
 */
import sharp from 'sharp';
import type { DeviceStatus, DeviceStatusEvent } from '../app/ports/device.ts';
import type { Camera, CameraInfo, CameraSettingKey, CameraSettings, CaptureOptions, PreviewFrame, Still } from '../app/ports/camera.ts';
import { CameraError, type CameraErrorCode } from '../app/ports/camera-error.ts';
import type { DemoSubject } from './demo-subject.ts';
import { seededRandom } from '../domain/seeded-random.ts';
import type { SceneLighting } from '../domain/calibration/scene-light.ts';
import { exposureFactor } from '../domain/calibration/camera-exposure.ts';
import { liveViewGuides } from '../domain/photo/live-view-guides.ts';
import { DEFAULT_PROFILE, PROFILES } from '../domain/photo/profiles.ts';

/** Where and how the subject sits in one still; offsets in still pixels, roll in degrees. */
export interface SimulatedPose {
  dx: number;
  dy: number;
  scale: number;
  roll: number;
}

export interface SimulatedCameraOptions {
  subject: DemoSubject;
  /** Light level relative to calibration (1 = as calibrated); read at every frame. */
  lightLevel?: () => number;
  /**
   * The room's light on the subject and backdrop (the virtual room's model), read at every frame:
   * when given, it replaces `lightLevel`, and the body's ISO, aperture, shutter and white balance
   * act on the image as they would on a sensor (in linear light).
   */
  lighting?: () => SceneLighting;
  /** Share of stills with a head tilt past the limit, 0..1. */
  failureRate?: number;
  /** A calibration dummy (or a print propped up) on the seat instead of a student: every frame and still in the same pose (no sway, no tilt). */
  steady?: boolean;
  seed?: number;
  stillSize?: { width: number; height: number };
  previewSize?: { width: number; height: number };
  previewFps?: number;
  /** Simulated time the body takes to fire and transfer a still. */
  captureDelayMs?: number;
  /** How long a capture waits for a body that does not answer before `camera.timeout` (the `timeout` fault). */
  captureTimeoutMs?: number;
  /** A live view that sends no frame for this long is frozen: it ends with `camera.disconnected`, as the gphoto2 actor's does (default 1500). */
  previewStallMs?: number;
}

/** Ways the simulated body keeps failing until `restore()`, named as the contract suite names them. */
export type SimulatedCameraFault = 'timeout' | 'disconnect' | 'busy' | 'storage-full' | 'focus-failed' | 'preview-freeze';

/** The simulated body's settings: the values a mid-range DSLR offers through gphoto2. */
function initialSettings(): CameraSettings {
  return {
    iso: { value: '100', choices: ['100', '200', '400', '800'], readOnly: false },
    aperture: { value: 'f/8', choices: ['f/4', 'f/5.6', 'f/8', 'f/11'], readOnly: false },
    shutter: { value: '1/125', choices: ['1/60', '1/125', '1/200', '1/250'], readOnly: false },
    whiteBalance: { value: 'Automatic', choices: ['Automatic', 'Daylight', 'Tungsten', 'Flash'], readOnly: false },
    imageSize: { value: '1200x1600', choices: ['1200x1600'], readOnly: false },
    quality: { value: 'JPEG Fine', choices: ['JPEG Fine'], readOnly: false },
    focusMode: { value: 'Automatic', choices: ['Manual', 'Automatic'], readOnly: false },
  };
}

/** RGB(100,197,255): the standard's light blue (photo-spec.md section 1). */
const lightBlue = { r: 100, g: 197, b: 255 };
/**
 * Still pixels per subject pixel on a 1200 px wide frame: the face about 205 px wide, so the
 * deliverable crop is about 1:1. Measured against the validator: the demo subject passes from about
 * 0.98x to beyond 1.18x of 2.2, so 2.38 puts the random +-3 % sway in the middle of that range
 * (at 2.2 a sixth of demo shots were told to come closer).
 */
const subjectScale = 2.38;
/** Where the live-view guides put the top of the hair (middle of their band, default profile and framing), as a share of the frame's height. */
const hairTop = ((g) => (g.hairTop.from + g.hairTop.to) / 2)(liveViewGuides((PROFILES[DEFAULT_PROFILE] as NonNullable<(typeof PROFILES)[string]>).thresholds));
const referenceWidth = 1200;


export class SimulatedCamera implements Camera {
  readonly info: CameraInfo = {
    driver: 'simulated', model: 'Simulated camera (demo subject)', simulated: true,
    serial: 'SIM-0001', lens: 'Simulated 85mm', batteryPercent: 100, freeBytes: 16_000_000_000, port: null,
  };
  private currentStatus: DeviceStatus = 'connected';
  private readonly statusListeners = new Set<(e: DeviceStatusEvent) => void>();
  private fault: SimulatedCameraFault | null = null;
  private readonly settings = initialSettings();
  private readonly random: () => number;
  private readonly queued: SimulatedPose[] = [];
  private readonly subscribers = new Map<number, { onFrame: (f: PreviewFrame) => void; onError?: (e: Error) => void }>();
  private nextSubscriber = 1;
  private timer: NodeJS.Timeout | null = null;
  private rendering = false;
  private seq = 0;
  private busy = false;
  private closed = false;
  private readonly stillSize: { width: number; height: number };
  private readonly previewSize: { width: number; height: number };
  /**
   * The cut-out with its bottom rows repeated downwards: the portrait ends at her chest, and a tilted
   * shot would otherwise lift that edge into the frame.
   */
  private layerBase: Promise<{ data: Buffer; width: number; height: number }> | null = null;
  private previewSubject: Promise<{ data: Buffer; width: number; height: number }> | null = null;
  /** Last pose chosen for the preview sway: stills start from it so that what the student saw is what is shot. */
  private swayPhase = 0;
  /** When the live view last sent a frame (or started): the freeze watchdog measures from it. */
  private lastFrameAt = 0;

  constructor(private readonly options: SimulatedCameraOptions) {
    this.random = seededRandom(options.seed ?? Date.now());
    this.stillSize = options.stillSize ?? { width: 1200, height: 1600 };
    this.previewSize = options.previewSize ?? { width: 480, height: 640 };
  }

  private failures: CameraError[] = [];

  get status(): DeviceStatus {
    return this.currentStatus;
  }

  onStatus(listener: (event: DeviceStatusEvent) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: DeviceStatus, code?: string): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    const e: DeviceStatusEvent = code ? { status, at: Date.now(), code } : { status, at: Date.now() };
    for (const l of [...this.statusListeners]) l(e);
  }

  /** Test handle: the next capture fails with this code (a body that times out, a cable pulled). */
  failNextCapture(code: CameraErrorCode = 'camera.permanent'): void {
    this.failures.push(new CameraError(code, `simulated ${code}`));
  }

  /** Test handle: fail the way a real body does until `restore()`. `disconnect` also ends previews. */
  async inject(fault: SimulatedCameraFault): Promise<void> {
    this.fault = fault;
    if (fault === 'disconnect') {
      this.failPreviews(new CameraError('camera.disconnected', 'simulated camera unplugged'));
      this.setStatus('lost', 'camera.disconnected');
      this.setStatus('reconnecting', 'camera.disconnected');
    }
    if (fault === 'storage-full') this.info.freeBytes = 0;
  }

  /** Test handle: the body is back to normal (reconnected, card emptied). */
  async restore(): Promise<void> {
    this.fault = null;
    this.info.freeBytes = 16_000_000_000;
    if (!this.closed) this.setStatus('connected');
  }

  /** Test handle: the live view fails (a frozen stream) as a disconnected body would. */
  failPreview(): void {
    this.failPreviews(new CameraError('camera.disconnected', 'simulated live view failure'));
  }

  private failPreviews(err: CameraError): void {
    for (const s of [...this.subscribers.values()]) s.onError?.(err);
    this.subscribers.clear();
    this.stopTimer();
  }

  async getSettings(): Promise<CameraSettings> {
    this.assertUsable();
    return structuredClone(this.settings);
  }

  async setSettings(changes: Partial<Record<CameraSettingKey, string>>): Promise<CameraSettings> {
    this.assertUsable();
    for (const [key, value] of Object.entries(changes) as Array<[CameraSettingKey, string]>) {
      const s = this.settings[key];
      if (!s || s.readOnly || !s.choices.includes(value)) throw new CameraError('camera.permanent', `the camera refuses ${key}=${value}`);
    }
    for (const [key, value] of Object.entries(changes) as Array<[CameraSettingKey, string]>) {
      const s = this.settings[key];
      if (s) s.value = value;
    }
    return structuredClone(this.settings);
  }

  async refresh(): Promise<CameraInfo> {
    this.assertUsable();
    return { ...this.info };
  }

  private assertUsable(): void {
    if (this.closed) throw new CameraError('camera.disconnected', 'camera closed');
    if (this.fault === 'disconnect') throw new CameraError('camera.disconnected', 'simulated camera unplugged');
  }

  /** Test handle: the next still uses exactly this pose. */
  queuePose(pose: Partial<SimulatedPose>): void {
    this.queued.push({ dx: 0, dy: 0, scale: 1, roll: 0, ...pose });
  }

  private randomPose(): SimulatedPose {
    const r = this.random;
    const tilted = r() < (this.options.failureRate ?? 0);
    const sign = r() < 0.5 ? -1 : 1;
    return {
      dx: (r() - 0.5) * 60,
      dy: (r() - 0.5) * 40,
      scale: 1 + (r() - 0.5) * 0.06,
      roll: sign * (tilted ? 13 + r() * 4 : r() * 2.5),
    };
  }

  private level(): number {
    const l = this.options.lightLevel?.() ?? 1;
    return Number.isFinite(l) ? Math.max(0, Math.min(2, l)) : 1;
  }

  /** Renders the subject at `scale` of its pixels, posed, lit by `level`, on a canvas of `size`. */
  private async render(size: { width: number; height: number }, scale: number, pose: SimulatedPose, level: number, quality: number): Promise<Buffer> {
    const s = this.options.subject;
    const base = await (this.layerBase ??= sharp(s.rgba, { raw: { width: s.width, height: s.height, channels: 4 } })
      .extend({ bottom: Math.round(s.height * 0.4), extendWith: 'copy' })
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => ({ data, width: info.width, height: info.height })));
    const k = scale * pose.scale;
    const w = Math.round(base.width * k);
    const h = Math.round(base.height * k);
    let layer = sharp(base.data, { raw: { width: base.width, height: base.height, channels: 4 } }).resize(w, h);
    if (Math.abs(pose.roll) > 0.05) {
      const { data, info } = await layer.raw().toBuffer({ resolveWithObject: true });
      layer = sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).rotate(pose.roll, { background: { r: 0, g: 0, b: 0, alpha: 0 } });
    }
    const { data: posed, info } = await layer.raw().toBuffer({ resolveWithObject: true });
    // Frame her as a student who follows the kiosk's guides sits: face centred, the top of her hair
    // in the middle of the guides' hair band (the subject's bottom edge then lies below the frame).
    const left = Math.round(size.width / 2 - s.faceCentreX * k - (info.width - w) / 2 + pose.dx * (size.width / referenceWidth));
    const top = Math.round(size.height * hairTop - s.headTopY * k - (info.height - h) / 2 + pose.dy * (size.width / referenceWidth));
    const light = this.sceneLight();
    if (light) {
      // The face centre sits at the frame's centre plus the sway; the key/fill gradient runs across it.
      const faceX = size.width / 2 + pose.dx * (size.width / referenceWidth);
      // Key and fill meet along the nose: the light turns from one to the other over the face's middle.
      const faceW = 0.4 * 2 * 82 * k;
      const lit = light.neutral ? posed : litSubject(posed, info.width, info.height, left, faceX, faceW, light);
      const clipped = await clipToCanvas(lit, info.width, info.height, left, top, size);
      return sharp(litBackdrop(size, light), { raw: { width: size.width, height: size.height, channels: 3 } })
        .composite(clipped ? [{ input: clipped.data, raw: { width: clipped.width, height: clipped.height, channels: 4 }, left: clipped.left, top: clipped.top }] : [])
        .jpeg({ quality })
        .toBuffer();
    }
    const bg = { r: Math.min(255, Math.round(lightBlue.r * level)), g: Math.min(255, Math.round(lightBlue.g * level)), b: Math.min(255, Math.round(lightBlue.b * level)) };
    const lit = level === 1 ? posed : applyGain(posed, level);
    const clipped = await clipToCanvas(lit, info.width, info.height, left, top, size);
    return sharp({ create: { width: size.width, height: size.height, channels: 3, background: bg } })
      .composite(clipped ? [{ input: clipped.data, raw: { width: clipped.width, height: clipped.height, channels: 4 }, left: clipped.left, top: clipped.top }] : [])
      .jpeg({ quality })
      .toBuffer();
  }

  /** The room's light times the body's exposure and white balance, per colour channel; null without a room model. */
  private sceneLight(): RenderLight | null {
    const lighting = this.options.lighting?.();
    if (!lighting) return null;
    const v = (k: CameraSettingKey): string => this.settings[k]?.value ?? '';
    const e = exposureFactor({ iso: v('iso'), aperture: v('aperture'), shutter: v('shutter') }) ?? 1;
    const wb = whiteBalanceGain[v('whiteBalance')] ?? [1, 1, 1];
    const { subject: s, backdrop: b } = lighting;
    const all = [s.left, s.right, b.left, b.centre, b.right];
    // Within half a percent of the reference (a dimmer step) the portrait is shown as it is.
    const neutral = Math.abs(e - 1) < 1e-9 && wb.every((x) => x === 1) && all.every((x) => Math.abs(x - 1) < 0.005);
    return { subject: { left: s.left * e, right: s.right * e }, backdrop: { left: b.left * e, centre: b.centre * e, right: b.right * e }, wb, neutral };
  }

  async capture(options: CaptureOptions = {}): Promise<Still> {
    const signal = options.signal;
    if (signal?.aborted) throw signal.reason;
    this.assertUsable();
    if (this.busy) throw new CameraError('camera.busy', 'a capture is in flight');
    this.busy = true;
    try {
      const failure = this.failures.shift();
      if (failure) throw failure;
      if (this.fault === 'busy') throw new CameraError('camera.busy', 'simulated body busy');
      if (this.fault === 'storage-full') throw new CameraError('camera.storage_full', 'simulated card full');
      if (this.fault === 'focus-failed') throw new CameraError('camera.focus_failed', 'simulated autofocus could not lock');
      if (this.fault === 'timeout') {
        await abortableDelay(this.options.captureTimeoutMs ?? 2000, signal);
        throw new CameraError('camera.timeout', 'simulated body did not answer');
      }
      const pose = this.queued.shift() ?? (this.options.steady ? { dx: 0, dy: 0, scale: 1, roll: 0 } : this.randomPose());
      const delay = this.options.captureDelayMs ?? 0;
      const [jpeg] = await Promise.all([
        this.render(this.stillSize, subjectScale * (this.stillSize.width / referenceWidth), pose, this.level(), 92),
        abortableDelay(delay, signal),
      ]);
      if (this.closed) throw new CameraError('camera.disconnected', 'camera closed during capture');
      return { jpeg, width: this.stillSize.width, height: this.stillSize.height, capturedAt: new Date() };
    } finally {
      this.busy = false;
    }
  }

  preview(onFrame: (frame: PreviewFrame) => void, onError?: (err: Error) => void): () => void {
    if (this.closed) throw new CameraError('camera.disconnected', 'camera closed');
    if (this.fault === 'disconnect') {
      const err = new CameraError('camera.disconnected', 'simulated camera unplugged');
      queueMicrotask(() => onError?.(err));
      return () => undefined;
    }
    const id = this.nextSubscriber++;
    this.subscribers.set(id, onError ? { onFrame, onError } : { onFrame });
    if (!this.timer) {
      this.seq = 0;
      this.lastFrameAt = Date.now();
      const period = Math.round(1000 / (this.options.previewFps ?? 12));
      this.timer = setInterval(() => { this.frame().catch((err: unknown) => this.renderFailed(err)); }, period);
    }
    return () => {
      this.subscribers.delete(id);
      if (this.subscribers.size === 0) this.stopTimer();
    };
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async frame(): Promise<void> {
    // Skip a tick rather than pile up renders when the machine is busy.
    if (this.rendering) return;
    if (this.fault === 'preview-freeze') {
      // No frame comes; once none has for the stall limit, the stream ends as the actor's does.
      if (Date.now() - this.lastFrameAt >= (this.options.previewStallMs ?? 1500)) this.frozen();
      return;
    }
    this.rendering = true;
    try {
      this.swayPhase += 0.15;
      const sway = this.options.steady ? 0 : 1;
      const pose: SimulatedPose = { dx: sway * Math.sin(this.swayPhase) * 12, dy: sway * Math.sin(this.swayPhase * 0.7) * 6, scale: 1, roll: 0 };
      const scale = subjectScale * (this.previewSize.width / referenceWidth);
      const jpeg = await this.render(this.previewSize, scale, pose, this.level(), 70);
      if (!this.timer) return;
      const frame: PreviewFrame = { jpeg, width: this.previewSize.width, height: this.previewSize.height, seq: ++this.seq };
      this.lastFrameAt = Date.now();
      for (const s of [...this.subscribers.values()]) s.onFrame(frame);
    } finally {
      this.rendering = false;
    }
  }

  /** A frozen live view: the stream ends with camera.disconnected and the body is reconnected (until `restore()`). */
  private frozen(): void {
    this.failPreviews(new CameraError('camera.disconnected', 'simulated live view froze'));
    this.setStatus('lost', 'camera.timeout');
    this.setStatus('reconnecting', 'camera.timeout');
  }

  /** A failed render ends the stream: each subscriber hears once, and no more frames follow. */
  private renderFailed(err: unknown): void {
    this.failPreviews(new CameraError('camera.permanent', err instanceof Error ? err.message : String(err)));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    this.stopTimer();
    this.statusListeners.clear();
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface RenderLight extends SceneLighting {
  /** Per colour channel: what the body's white balance does to the studio lamps' light. */
  wb: readonly [number, number, number];
  /** Exactly the reference room: the portrait as it is. */
  neutral: boolean;
}

/** The lamps are flash-coloured: white balance for flash or daylight (or automatic) leaves them neutral; tungsten turns them blue. */
const whiteBalanceGain: Record<string, readonly [number, number, number]> = {
  Automatic: [1, 1, 1], Daylight: [1, 1, 1], Flash: [1, 1, 1], Tungsten: [0.6, 0.85, 1.5],
};

/** sRGB 8-bit to linear light. */
const toLinear = (() => {
  const t = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    t[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return t;
})();
const ENCODE_STEPS = 16384;
/** Linear light (0..1 in ENCODE_STEPS steps) to sRGB 8-bit. */
const toSrgb = (() => {
  const t = new Uint8Array(ENCODE_STEPS + 1);
  for (let i = 0; i <= ENCODE_STEPS; i++) {
    const c = i / ENCODE_STEPS;
    t[i] = Math.round(255 * (c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055));
  }
  return t;
})();
const encode = (linear: number): number => (linear >= 1 ? 255 : linear <= 0 ? 0 : toSrgb[Math.round(linear * ENCODE_STEPS)] as number);

/** The backdrop under the room's light: brightest where the background lamp aims, the lamps' spill at the sides. */
function litBackdrop(size: { width: number; height: number }, light: RenderLight): Buffer {
  const { left: L, centre: C, right: R } = light.backdrop;
  const row = Buffer.alloc(size.width * 3);
  const base = [toLinear[lightBlue.r] as number, toLinear[lightBlue.g] as number, toLinear[lightBlue.b] as number];
  for (let x = 0; x < size.width; x++) {
    const t = size.width > 1 ? x / (size.width - 1) : 0.5;
    // The parabola through the three measured points (left edge, centre, right edge).
    const g = L * 2 * (t - 0.5) * (t - 1) - C * 4 * t * (t - 1) + R * 2 * t * (t - 0.5);
    for (let c = 0; c < 3; c++) row[x * 3 + c] = encode((base[c] as number) * g * (light.wb[c] as number));
  }
  const out = Buffer.alloc(size.width * size.height * 3);
  for (let y = 0; y < size.height; y++) row.copy(out, y * row.length);
  return out;
}

/** The subject under the room's light: the key's side to the fill's side across the face, in linear light. */
function litSubject(rgba: Buffer, width: number, height: number, left: number, faceX: number, faceW: number, light: RenderLight): Buffer {
  const out = Buffer.from(rgba);
  const { left: gl, right: gr } = light.subject;
  const gains = new Float64Array(width * 3);
  for (let x = 0; x < width; x++) {
    const u = Math.min(1, Math.max(0, (left + x - (faceX - faceW / 2)) / faceW));
    const s = u * u * (3 - 2 * u);
    const g = gl + (gr - gl) * s;
    for (let c = 0; c < 3; c++) gains[x * 3 + c] = g * (light.wb[c] as number);
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (out[i + 3] === 0) continue;
      for (let c = 0; c < 3; c++) out[i + c] = encode((toLinear[out[i + c] as number] as number) * (gains[x * 3 + c] as number));
    }
  }
  return out;
}

/** Scales RGB (not alpha) by `gain`, saturating: what more or less light does to a sensor, roughly. */
function applyGain(rgba: Buffer, gain: number): Buffer {
  const out = Buffer.from(rgba);
  for (let i = 0; i < out.length; i += 4) {
    out[i] = Math.min(255, Math.round((out[i] as number) * gain));
    out[i + 1] = Math.min(255, Math.round((out[i + 1] as number) * gain));
    out[i + 2] = Math.min(255, Math.round((out[i + 2] as number) * gain));
  }
  return out;
}

/** sharp refuses overlays that stick out of the canvas: cut the layer to the part inside. */
async function clipToCanvas(
  rgba: Buffer, width: number, height: number, left: number, top: number, size: { width: number; height: number },
): Promise<{ data: Buffer; width: number; height: number; left: number; top: number } | null> {
  const x0 = Math.max(0, left), y0 = Math.max(0, top);
  const x1 = Math.min(size.width, left + width), y1 = Math.min(size.height, top + height);
  if (x1 <= x0 || y1 <= y0) return null;
  if (x0 === left && y0 === top && x1 - x0 === width && y1 - y0 === height) return { data: rgba, width, height, left, top };
  const data = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .extract({ left: x0 - left, top: y0 - top, width: x1 - x0, height: y1 - y0 })
    .raw()
    .toBuffer();
  return { data, width: x1 - x0, height: y1 - y0, left: x0, top: y0 };
}
