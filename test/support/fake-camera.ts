/**
 * The fake PTP/IP camera for tests: JPEGs generated from the shared fixtures (never committed),
 * the fake started in-process, the gphoto2 port string and environment to reach it, and a check
 * that no gphoto2 child is left behind.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startPtpipCamera, type PtpipCamera, type PtpipCameraOptions } from '../peers/ptpip-camera.ts';
import { sharedFixtures } from './paths.ts';

let images: Promise<string> | null = null;

/** A folder of `count` distinct camera JPEGs (different sizes and qualities of the astronaut portrait), built once per process. */
export function cameraImages(count = 5): Promise<string> {
  return (images ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-camera-images-'));
    const source = await readFile(join(sharedFixtures, 'faces', 'astronaut.png'));
    for (let i = 0; i < count; i++) {
      const jpeg = await sharp(source).resize(900 + i * 150).jpeg({ quality: 70 + i * 5 }).toBuffer();
      await writeFile(join(dir, `shot-${String(i + 1).padStart(2, '0')}.jpg`), jpeg);
    }
    return dir;
  })());
}

/** Bytes of each served file by name, for byte-for-byte comparison. */
export async function servedBytes(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of await readdir(dir)) out.set(f, await readFile(join(dir, f)));
  return out;
}

export async function startFakeCamera(options: Partial<PtpipCameraOptions> = {}): Promise<PtpipCamera> {
  return startPtpipCamera({ images: await cameraImages(), ...options });
}

/** The gphoto2 port for the fake: the event channel on the same TCP port as the command channel. */
export function ptpipPort(cam: PtpipCamera): string {
  const port = cam.address.split(':')[1] ?? '';
  return `ptpip:${cam.address}:${port}`;
}

let home: Promise<string> | null = null;
/** Environment for gphoto2 with HOME in a temp dir (libgphoto2 writes its PTP/IP GUID to ~/.gphoto). */
export async function gphoto2Env(): Promise<NodeJS.ProcessEnv> {
  const h = await (home ??= mkdtemp(join(tmpdir(), 'gphoto2-home-')).then(async (d) => {
    await mkdir(join(d, '.gphoto'), { recursive: true });
    return d;
  }));
  return { ...process.env, HOME: h };
}

/** gphoto2 processes whose parent is this process, with their state (`Z` is a zombie). */
export async function gphoto2Children(): Promise<Array<{ pid: number; state: string }>> {
  const out: Array<{ pid: number; state: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(join('/proc', entry, 'stat'), 'utf8').catch(() => '');
    const m = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat);
    if (m && m[1] === 'gphoto2' && Number(m[3]) === process.pid) out.push({ pid: Number(entry), state: m[2] ?? '?' });
  }
  return out;
}
