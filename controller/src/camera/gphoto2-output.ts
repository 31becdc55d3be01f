/**
 * Pure readers of gphoto2's text output and the rules that turn it into camera facts: config
 * widgets, storage info, saved file names, failure codes, and the settings locked on connect.
 */
import type { CameraErrorCode } from '../app/ports/camera-error.ts';
import type { CameraSetting, CameraSettingKey } from '../app/ports/camera.ts';

/** gphoto2 config names per port setting, most common first (Canon, Nikon and generic PTP differ). */
export const CONFIG_NAMES: Record<CameraSettingKey, readonly string[]> = {
  iso: ['iso', 'isospeed'],
  aperture: ['f-number', 'aperture'],
  shutter: ['shutterspeed', 'shutterspeed2'],
  whiteBalance: ['whitebalance'],
  imageSize: ['imagesize'],
  quality: ['imageformat', 'imagequality'],
  focusMode: ['focusmode'],
};

/** `get-config NAME` output: Label, Readonly, Type, Current, Choice lines. Null when the widget does not exist. */
export function parseConfig(out: string): CameraSetting | null {
  const current = /^Current: ?(.*)$/m.exec(out);
  if (!current) return null;
  const choices = [...out.matchAll(/^Choice: \d+ (.*)$/gm)].map((m) => (m[1] ?? '').trim());
  return { value: (current[1] ?? '').trim(), choices, readOnly: /^Readonly: 1$/m.test(out) };
}

/** Free bytes over every storage in `storage-info` output (`free=N KB` per storage); null when none is listed. */
export function parseFreeBytes(out: string): number | null {
  const frees = [...out.matchAll(/^free=(\d+) KB$/gm)].map((m) => Number(m[1]) * 1024);
  return frees.length ? frees.reduce((a, b) => a + b, 0) : null;
}

/** Battery percentage from a `batterylevel` value such as `87%` or `Full`. */
export function parseBattery(value: string | undefined): number | null {
  if (!value) return null;
  const m = /(\d{1,3})\s*%/.exec(value);
  if (m) return Math.min(100, Number(m[1]));
  if (/full/i.test(value)) return 100;
  return null;
}

/** Local file names from `Saving file as NAME` lines (a RAW+JPEG body saves two). */
export function savedFiles(out: string): string[] {
  return [...out.matchAll(/^Saving file as (.+)$/gm)].map((m) => (m[1] ?? '').trim());
}

/**
 * The failure code for gphoto2's error text, in order of precedence. `opening` is true while the
 * camera is being opened, where a refused or absent body means "not found" rather than "gone".
 */
export function classifyFailure(errors: readonly string[], opening: boolean): CameraErrorCode {
  const text = errors.join('\n');
  if (/0x2019|Device Busy/i.test(text)) return 'camera.busy';
  if (/0x200c|Store Full|storage.*full|card.*full/i.test(text)) return 'camera.storage_full';
  // Nikon answers Out of Focus (0xA002, shown without its name on a body without the vendor
  // extension); Canon's driver says "Perhaps no focus?".
  if (/focus|\(0xa002\)/i.test(text)) return 'camera.focus_failed';
  if (/Connection refused|Failed to connect|Could not detect|No camera found|Could not find the requested device|could not connect/i.test(text)) {
    return opening ? 'camera.not_found' : 'camera.disconnected';
  }
  if (/Model .* not supported|Unsupported|Bad parameters|not found|Invalid Device Prop|Property .* not/i.test(text)) return 'camera.permanent';
  return opening ? 'camera.not_found' : 'camera.disconnected';
}

/**
 * The deliverable is 480x640 (3:4) cut from the frame; at the marked standing distance the head-and-
 * shoulders crop spans well under half the frame, so the frame must be at least 2.5 times the
 * deliverable on each side to keep the crop at or above 480x640 without upscaling.
 */
export const DELIVERABLE = { width: 480, height: 640 } as const;
export const FRAME_MARGIN = 2.5;

/**
 * The smallest `WxH` choice whose short and long sides cover the deliverable's times `margin`
 * (a camera mounted upright or on its side gives the same frame turned); null when no choice is
 * a size, or none is large enough (then the largest stays).
 */
export function smallestFillingSize(choices: readonly string[], margin = FRAME_MARGIN): string | null {
  const needShort = Math.min(DELIVERABLE.width, DELIVERABLE.height) * margin;
  const needLong = Math.max(DELIVERABLE.width, DELIVERABLE.height) * margin;
  let best: { choice: string; pixels: number } | null = null;
  for (const choice of choices) {
    const m = /^(\d+)\s*x\s*(\d+)$/i.exec(choice.trim());
    if (!m) continue;
    const w = Number(m[1]), h = Number(m[2]);
    if (Math.min(w, h) < needShort || Math.max(w, h) < needLong) continue;
    if (!best || w * h < best.pixels) best = { choice, pixels: w * h };
  }
  return best?.choice ?? null;
}

/** A JPEG-only quality choice (no RAW/NEF/CR2 alongside), the finest one listed; null when no label says JPEG. */
export function jpegOnlyQuality(choices: readonly string[]): string | null {
  const jpeg = choices.filter((c) => /jpe?g|fine|normal|basic/i.test(c) && !/raw|nef|cr[23w]|arw|raf|orf|dng|\+/i.test(c));
  return jpeg.find((c) => /fine/i.test(c)) ?? jpeg.find((c) => /normal/i.test(c)) ?? jpeg[0] ?? null;
}
