/** `rig camera status | settings | capture` against real gphoto2 and the fake PTP/IP camera. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PtpipCamera } from '../peers/ptpip-camera.ts';
import { cameraImages, gphoto2Children, gphoto2Env, ptpipPort, startFakeCamera } from '../support/fake-camera.ts';
import { rigInProcess } from '../support/rig.ts';

let fake: PtpipCamera;
let out: string;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await startFakeCamera();
  out = await mkdtemp(join(tmpdir(), 'rig-camera-cli-'));
  // The CLI reads the configuration from the environment and gphoto2 inherits it (HOME: its GUID file).
  Object.assign(process.env, { HOME: (await gphoto2Env()).HOME, RIG_CAMERA_DRIVER: 'gphoto2', RIG_CAMERA_PORT: ptpipPort(fake) });
});
afterAll(async () => {
  process.env = saved;
  await fake?.close();
  await rm(out, { recursive: true, force: true });
  expect(await gphoto2Children()).toEqual([]);
});

describe('rig camera', () => {
  it('status --json says which driver and what body', async () => {
    const r = await rigInProcess(['camera', 'status', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      choice: { driver: 'gphoto2', simulated: false, reason: 'configured' },
      info: { model: 'Fake PTP/IP Camera', serial: 'FAKE0001', batteryPercent: 87, freeBytes: 16_000_000_000 },
      status: 'connected',
    });
  });

  it('settings --set changes a value the body lists and refuses one it does not (exit 1, coded)', async () => {
    const r = await rigInProcess(['camera', 'settings', '--set', 'iso=400', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).iso.value).toBe('400');
    expect(fake.propValue(0x500f)).toBe(400);
    expect((await rigInProcess(['camera', 'settings', '--set', 'iso=12'])).code).toBe(1);
    expect((await rigInProcess(['camera', 'settings', '--set', 'colour=red'])).code).toBe(64);
  });

  it('capture --out writes the file the camera served, byte for byte', async () => {
    const file = join(out, 'shot.jpg');
    const r = await rigInProcess(['camera', 'capture', '--out', file, '--json']);
    expect(r.code).toBe(0);
    const served = fake.served[fake.served.length - 1]?.file as string;
    expect((await readFile(file)).equals(await readFile(join(await cameraImages(), served)))).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ file, driver: 'gphoto2' });
  });

  it('a busy camera: exit 1 with the code', async () => {
    await fake.setFault('busy');
    try {
      expect((await rigInProcess(['camera', 'capture', '--out', join(out, 'x.jpg')])).code).toBe(1);
    } finally {
      await fake.setFault(null);
    }
  });
});
