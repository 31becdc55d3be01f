/**
 * What the gphoto2 actor asks of an open shell, as plain functions: probing the body on connect,
 * locking the settings, reading and writing settings. Each runs inside one queue turn of the actor.
 */
import { CameraError } from '../app/ports/camera-error.ts';
import { CAMERA_SETTING_KEYS, type CameraInfo, type CameraSettingKey, type CameraSettings } from '../app/ports/camera.ts';
import type { CameraLogger } from './camera-logger.ts';
import { CONFIG_NAMES, classifyFailure, jpegOnlyQuality, parseBattery, parseConfig, parseFreeBytes, smallestFillingSize } from './gphoto2-output.ts';
import type { Gphoto2Shell } from './gphoto2-shell.ts';

/** The first of `names` the body has, or null. A connect failure in the reply rejects with its code. */
async function readConfig(shell: Gphoto2Shell, names: readonly string[], timeoutMs: () => number, opening: boolean): Promise<ReturnType<typeof parseConfig>> {
  for (const name of names) {
    const r = await shell.run(`get-config ${name}`, timeoutMs());
    if (/Failed to connect|Connection refused|I\/O problem|Could not detect|No camera/i.test(r.errors.join('\n'))) {
      throw new CameraError(classifyFailure(r.errors, opening), r.errors.join(' | '));
    }
    const c = parseConfig(r.out);
    if (c) return c;
  }
  return null;
}

/** Identity and health of the body: the first commands of a session, which also make gphoto2 open it. */
export async function probeBody(shell: Gphoto2Shell, left: () => number, opening: boolean): Promise<Pick<CameraInfo, 'model' | 'serial' | 'lens' | 'batteryPercent' | 'freeBytes'>> {
  const model = await readConfig(shell, ['cameramodel', 'model'], left, opening);
  if (!model) throw new CameraError('camera.not_found', 'the camera did not say its model');
  const serial = await readConfig(shell, ['serialnumber', 'eosserialnumber'], left, opening);
  const lens = await readConfig(shell, ['lensname'], left, opening);
  const battery = await readConfig(shell, ['batterylevel'], left, opening);
  const storage = await shell.run('storage-info', left());
  return {
    model: model.value,
    serial: serial?.value || null,
    lens: lens?.value || null,
    batteryPercent: parseBattery(battery?.value),
    freeBytes: parseFreeBytes(storage.out),
  };
}

/** `set-config-index` when the value is one of the listed choices (labels may hold spaces the shell would split), else `set-config`. */
function setConfigCommand(name: string, value: string, choices: readonly string[]): string {
  const i = choices.indexOf(value);
  return i >= 0 ? `set-config-index ${name}=${i}` : `set-config ${name}=${value}`;
}

/** JPEG only, and the smallest image size that fills the deliverable with margin; returns what was locked. */
export async function lockSettings(shell: Gphoto2Shell, left: () => number, log: CameraLogger): Promise<Partial<Record<CameraSettingKey, string>>> {
  const done: Partial<Record<CameraSettingKey, string>> = {};
  for (const key of ['quality', 'imageSize'] as const) {
    for (const name of CONFIG_NAMES[key]) {
      const c = parseConfig((await shell.run(`get-config ${name}`, left())).out);
      if (!c) continue;
      const want = key === 'quality' ? jpegOnlyQuality(c.choices) : smallestFillingSize(c.choices);
      if (!want) {
        log.warn({ setting: name, value: c.value, choices: c.choices }, 'camera setting left as it is: no choice fits');
        break;
      }
      if (want !== c.value) {
        const r = await shell.run(setConfigCommand(name, want, c.choices), left());
        if (r.errors.length) {
          log.warn({ setting: name, want, errors: r.errors }, 'camera refused a locked setting');
          break;
        }
      }
      done[key] = want;
      break;
    }
  }
  return done;
}

/** Every port setting the body has (those it lacks are absent). */
export async function readSettings(shell: Gphoto2Shell, timeoutMs: number): Promise<CameraSettings> {
  const out: CameraSettings = {};
  for (const key of CAMERA_SETTING_KEYS) {
    const c = await readConfig(shell, CONFIG_NAMES[key], () => timeoutMs, false);
    if (c) out[key] = c;
  }
  return out;
}

/** Applies each change after checking it against the body's choices; a refused one rejects with `camera.permanent`. */
export async function writeSettings(shell: Gphoto2Shell, changes: Partial<Record<CameraSettingKey, string>>, timeoutMs: number): Promise<void> {
  for (const [key, value] of Object.entries(changes) as Array<[CameraSettingKey, string]>) {
    let done = false;
    for (const name of CONFIG_NAMES[key]) {
      const c = parseConfig((await shell.run(`get-config ${name}`, timeoutMs)).out);
      if (!c) continue;
      if (c.readOnly || (c.choices.length > 0 && !c.choices.includes(value))) {
        throw new CameraError('camera.permanent', `the camera refuses ${key}=${value} (choices: ${c.choices.join(', ')})`);
      }
      const r = await shell.run(setConfigCommand(name, value, c.choices), timeoutMs);
      if (r.errors.length) throw new CameraError('camera.permanent', `the camera refuses ${key}=${value}: ${r.errors.join(' | ')}`);
      done = true;
      break;
    }
    if (!done) throw new CameraError('camera.permanent', `this camera has no ${key} setting`);
  }
}
