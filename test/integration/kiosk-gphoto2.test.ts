/**
 * The kiosk flow end to end with `camera.driver: gphoto2`: real gphoto2 against the fake PTP/IP
 * camera serving a compliant generated photo. The stored original must be the file the camera
 * served, byte for byte.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_DIR } from '../fixtures/generate.ts';
import type { PtpipCamera } from '../peers/ptpip-camera.ts';
import { startPtpipCamera } from '../peers/ptpip-camera.ts';
import { gphoto2Children, gphoto2Env, ptpipPort } from '../support/fake-camera.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';

let k: TestKiosk;
let fake: PtpipCamera;
let images: string;

beforeAll(async () => {
  images = await mkdtemp(join(tmpdir(), 'kiosk-camera-'));
  await copyFile(join(GENERATED_DIR, 'compliant-blue.jpg'), join(images, 'compliant-blue.jpg'));
  fake = await startPtpipCamera({ images });
  k = await startTestKiosk({ camera: { config: { driver: 'gphoto2', port: ptpipPort(fake) }, env: await gphoto2Env() } });
});
afterAll(async () => {
  await k?.close();
  await fake?.close();
  await rm(images, { recursive: true, force: true });
  expect(await gphoto2Children()).toEqual([]);
});

describe('kiosk with camera.driver gphoto2 against the fake PTP/IP camera', () => {
  it('says which camera runs', () => {
    expect(k.runtime.cameraChoice).toEqual({ driver: 'gphoto2', simulated: false, reason: 'configured' });
    expect(k.runtime.camera.info.model).toBe('Fake PTP/IP Camera');
    expect(k.runtime.simulatedCamera).toBeNull();
  });

  it('takes a student from scan to receipt; the stored original is byte-identical to what the camera served', async () => {
    const s = k.runtime.demoStudents[0];
    expect((await k.api('POST', '/api/kiosk/scan', { code: s?.collectionCode })).status).toBe(200);
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    const review = await k.waitFor('review');
    expect(review.session?.review?.verdict).toBe('pass');
    expect((await k.api('POST', '/api/kiosk/accept')).status).toBe(200);
    await k.waitFor('receipt');
    const photo = await k.runtime.db.get<{ original_path: string }>('SELECT original_path FROM accepted_photos');
    const stored = await readFile(join(k.dataDir, photo?.original_path ?? 'missing'));
    expect(fake.served).toHaveLength(1);
    expect(stored.equals(await readFile(join(images, 'compliant-blue.jpg')))).toBe(true);
  });
});
