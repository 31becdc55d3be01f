/**
 * The one way the composition root gets a camera: `openCamera(config)` picks the adapter from
 * `camera.driver` and says which and why (a DriverChoice for the log, the kiosk state and the staff
 * status page). `auto` takes gphoto2 when `camera.port` is set and the body answers there, or when
 * `gphoto2 --auto-detect` lists a camera; otherwise the simulated camera. `gphoto2` insists: a body
 * that does not answer is an error (camera.not_found), not a silent fallback.
 */
import { spawn } from 'node:child_process';
import type { DriverChoice } from '../app/ports/device.ts';
import type { Camera } from '../app/ports/camera.ts';
import { isCameraError } from '../app/ports/camera-error.ts';
import { Gphoto2Camera, type Gphoto2CameraOptions } from './gphoto2-camera.ts';

export interface CameraConfig {
  driver: 'auto' | 'simulated' | 'gphoto2';
  port: string | null;
}

export interface OpenCameraDeps {
  /** Builds the simulated camera (the composition root knows the demo subject and the rig's light). */
  simulated: () => Promise<Camera> | Camera;
  /** Extra options for the gphoto2 adapter (logger, timeouts, env, binary). */
  gphoto2?: Omit<Gphoto2CameraOptions, 'port'>;
}

export interface OpenedCamera {
  camera: Camera;
  choice: DriverChoice;
}

export async function openCamera(config: CameraConfig, deps: OpenCameraDeps): Promise<OpenedCamera> {
  if (config.driver === 'simulated') return { camera: await deps.simulated(), choice: { driver: 'simulated', simulated: true, reason: 'configured' } };
  const options = deps.gphoto2 ?? {};
  if (config.driver === 'gphoto2') {
    const port = config.port ?? (await detectCameraPort(options));
    const camera = await Gphoto2Camera.open({ ...options, port });
    return { camera, choice: { driver: 'gphoto2', simulated: false, reason: 'configured' } };
  }
  let port = config.port;
  let why: string;
  if (port === null) {
    port = await detectCameraPort(options).catch(() => null);
    why = port ? `gphoto2 --auto-detect found ${port}` : 'gphoto2 --auto-detect found no camera';
  } else {
    why = `camera answered on ${port}`;
  }
  if (port !== null) {
    try {
      const camera = await Gphoto2Camera.open({ ...options, port });
      return { camera, choice: { driver: 'gphoto2', simulated: false, reason: why } };
    } catch (err) {
      why = `no camera answered on ${port} (${isCameraError(err) ? err.code : String(err)})`;
    }
  }
  return { camera: await deps.simulated(), choice: { driver: 'simulated', simulated: true, reason: why } };
}

/**
 * The port of the first camera `gphoto2 --auto-detect` lists (USB bodies; PTP/IP ones must be
 * configured), or null. The child is killed after `timeoutMs` and always reaped.
 */
export function detectCameraPort(options: Pick<Gphoto2CameraOptions, 'binary' | 'env'> = {}, timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(options.binary ?? 'gphoto2', ['--auto-detect'], { env: { ...(options.env ?? process.env), LANG: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => undefined);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? parseAutoDetect(out)[0]?.port ?? null : null);
    });
  });
}

/** Rows of `gphoto2 --auto-detect`: a header, a dashed rule, then `MODEL   PORT` per camera. */
export function parseAutoDetect(out: string): Array<{ model: string; port: string }> {
  const lines = out.split('\n');
  const rule = lines.findIndex((l) => /^-{10,}/.test(l.trim()));
  if (rule < 0) return [];
  return lines.slice(rule + 1).map((l) => /^(.*?)\s{2,}(\S+)\s*$/.exec(l.trimEnd())).filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ model: (m[1] ?? '').trim(), port: m[2] ?? '' }));
}
