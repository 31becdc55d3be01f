/**
 * The gphoto2 camera actor driving the real Debian gphoto2 against the fake PTP/IP camera
 * (test/peers/ptpip-camera.ts): the shared contract with failures, 20 captures byte for byte, each
 * fault of the fake reported with its code and recovered, no gphoto2 process left behind, and
 * openCamera's driver choice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '../../controller/src/app/ports/camera.ts';
import { isCameraError } from '../../controller/src/app/ports/camera-error.ts';
import { Gphoto2Camera } from '../../controller/src/camera/gphoto2-camera.ts';
import { openCamera } from '../../controller/src/camera/open-camera.ts';
import { SimulatedCamera } from '../../controller/src/camera/simulated-camera.ts';
import type { PtpipCamera, PtpipFault } from '../peers/ptpip-camera.ts';
import { cameraContract, waitForStatus, type ContractFault } from '../contract/camera.contract.ts';
import { demoSubject } from '../support/demo-subject.ts';
import { cameraImages, gphoto2Children, gphoto2Env, ptpipPort, servedBytes, startFakeCamera } from '../support/fake-camera.ts';

const captureMs = 1500;
const fast = { timeouts: { captureMs, commandMs: 3000, openMs: 5000, previewMs: 1000 }, backoff: { initialMs: 100, maxMs: 400 } };

const faultFor: Record<ContractFault, PtpipFault> = {
  timeout: 'no-events', disconnect: 'refuse', busy: 'busy', 'storage-full': 'storage-full', 'focus-failed': 'focus-failed', 'preview-freeze': 'preview-freeze',
};
const previewMs = 1000;

cameraContract('gphoto2 against the fake PTP/IP camera', async () => {
  const fake = await startFakeCamera();
  const camera = await Gphoto2Camera.open({ port: ptpipPort(fake), env: await gphoto2Env(), ...fast });
  return {
    camera,
    inject: (fault) => fake.setFault(faultFor[fault]),
    restore: () => fake.setFault(null),
    livePreview: true,
    timeoutMs: captureMs + 2000,
    freezeMs: previewMs + 2000,
    close: async () => {
      await camera.close();
      await fake.close();
    },
  };
});

describe('gphoto2 camera actor against the fake PTP/IP camera', () => {
  let fake: PtpipCamera;
  let camera: Gphoto2Camera | null = null;
  let served: Map<string, Buffer>;

  beforeAll(async () => {
    served = await servedBytes(await cameraImages());
  });
  afterEach(async () => {
    await camera?.close();
    camera = null;
    await fake?.close();
  });
  afterAll(async () => {
    expect(await gphoto2Children()).toEqual([]);
  });

  async function open(): Promise<Gphoto2Camera> {
    fake = await startFakeCamera();
    camera = await Gphoto2Camera.open({ port: ptpipPort(fake), env: await gphoto2Env(), ...fast });
    return camera;
  }

  it('opens with model, serial, battery and free storage, and locks the smallest size that fills 480x640 with margin', async () => {
    const cam = await open();
    expect(cam.info).toMatchObject({ driver: 'gphoto2', model: 'Fake PTP/IP Camera', serial: 'FAKE0001', batteryPercent: 87, freeBytes: 16_000_000_000, simulated: false });
    // 1488x992 is too small (short side under 2.5 x 480), 2976x1984 is the smallest that fills.
    expect(fake.propValue(0x5003)).toBe('2976x1984');
    expect(cam.locked.imageSize).toBe('2976x1984');
  });

  it('takes 20 captures in a row through one gphoto2 session, each byte-identical to the file the camera served', async () => {
    const cam = await open();
    for (let i = 0; i < 20; i++) {
      const still = await cam.capture();
      const file = fake.served[i]?.file as string;
      expect(still.jpeg.equals(served.get(file) as Buffer), `capture ${i + 1} (${file})`).toBe(true);
    }
    expect(fake.served).toHaveLength(20);
    // One connection for the whole run: the session was never reopened.
    expect(fake.connections).toBe(1);
    expect(await gphoto2Children()).toHaveLength(1);
  });

  const faults: Array<[PtpipFault, string, boolean]> = [
    ['drop', 'camera.disconnected', true],
    ['no-events', 'camera.timeout', true],
    ['busy', 'camera.busy', true],
    ['slow', 'camera.timeout', true],
    ['refuse', 'camera.disconnected', true],
    ['storage-full', 'camera.storage_full', false],
    ['focus-failed', 'camera.focus_failed', true],
  ];
  for (const [fault, code, transient] of faults) {
    it(`fault ${fault}: reported as ${code} within its time limit, recovered, and the next capture is byte-identical`, async () => {
      const cam = await open();
      await cam.capture();
      await fake.setFault(fault);
      const started = Date.now();
      const err = await cam.capture().catch((e: unknown) => e);
      expect(isCameraError(err) && [err.code, err.transient]).toEqual([code, transient]);
      expect(Date.now() - started).toBeLessThan(captureMs + 2000);
      await fake.setFault(null);
      await waitForStatus(cam, 'connected', 10_000);
      const before = fake.served.length;
      const still = await cam.capture();
      expect(still.jpeg.equals(served.get(fake.served[before]?.file as string) as Buffer)).toBe(true);
      // Whatever was killed on the way has been reaped: one live gphoto2, no zombie.
      expect((await gphoto2Children()).map((c) => c.state).filter((s) => s === 'Z')).toEqual([]);
    });
  }

  it('cuts a capture when its signal aborts, restarts gphoto2, and shoots again', async () => {
    const cam = await open();
    await fake.setFault('no-events');
    const ac = new AbortController();
    const reason = new Error('session timed out');
    const pending = cam.capture({ signal: ac.signal });
    setTimeout(() => ac.abort(reason), 200);
    await expect(pending).rejects.toBe(reason);
    await fake.setFault(null);
    await waitForStatus(cam, 'connected', 10_000);
    expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
  });

  it('live view comes through gphoto2 from the PTP 1.1 stream; a body without it ends the stream with camera.permanent and still shoots', async () => {
    const cam = await open();
    const frame = await new Promise<{ jpeg: Buffer }>((resolve, reject) => {
      const stop = cam.preview((f) => { stop(); resolve(f); }, reject);
    });
    expect(frame.jpeg.equals(served.get('shot-01.jpg') as Buffer)).toBe(true);
    expect(fake.previewFrames).toBeGreaterThanOrEqual(1);
    await cam.close();
    await fake.close();
    fake = await startFakeCamera({ liveView: false });
    camera = await Gphoto2Camera.open({ port: ptpipPort(fake), env: await gphoto2Env(), ...fast });
    const err = await new Promise<Error>((resolve) => { camera?.preview(() => undefined, resolve); });
    expect(isCameraError(err) && err.code).toBe('camera.permanent');
    expect((await camera.capture()).jpeg.length).toBeGreaterThan(0);
  });

  it('a body slow to start live view is not a frozen one: the first frame may take longer than the per-frame limit', async () => {
    fake = await startFakeCamera({ liveViewStartMs: previewMs + 500 });
    camera = await Gphoto2Camera.open({ port: ptpipPort(fake), env: await gphoto2Env(), ...fast });
    const seen: string[] = [];
    camera.onStatus((e) => seen.push(e.status));
    const got: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const stop = camera?.preview((f) => {
        got.push(f.seq);
        if (got.length === 3) { stop?.(); resolve(); }
      }, reject);
    });
    expect(got).toEqual([1, 2, 3]);
    expect(seen).not.toContain('lost');
    expect(fake.connections).toBe(1);
  });

  it('notices a body that vanishes while idle (health check): lost without a shot being asked for, connected again when it returns', async () => {
    fake = await startFakeCamera();
    camera = await Gphoto2Camera.open({ port: ptpipPort(fake), env: await gphoto2Env(), ...fast, healthMs: 200 });
    const cam = camera;
    const lost = waitForStatus(cam, 'lost', 10_000);
    await fake.setFault('refuse');
    await lost;
    await fake.setFault(null);
    await waitForStatus(cam, 'connected', 10_000);
    expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
  });

  it('leaves no gphoto2 process behind after close', async () => {
    const cam = await open();
    await cam.capture();
    await cam.close();
    camera = null;
    expect(await gphoto2Children()).toEqual([]);
  });
});

describe('openCamera', () => {
  const cameras: Camera[] = [];
  afterEach(async () => {
    for (const c of cameras.splice(0)) await c.close();
  });
  const simulated = async (): Promise<Camera> => new SimulatedCamera({ subject: await demoSubject(), seed: 1 });

  it('auto takes gphoto2 when the configured port answers, and says so', async () => {
    const fake = await startFakeCamera();
    try {
      const { camera, choice } = await openCamera({ driver: 'auto', port: ptpipPort(fake) }, { simulated, gphoto2: { env: await gphoto2Env(), ...fast } });
      cameras.push(camera);
      expect(choice).toEqual({ driver: 'gphoto2', simulated: false, reason: `camera answered on ${ptpipPort(fake)}` });
      expect(camera.info.driver).toBe('gphoto2');
      await camera.close();
    } finally {
      await fake.close();
    }
  });

  it('auto falls back to the simulated camera when the configured port does not answer, and says why', async () => {
    const fake = await startFakeCamera();
    const port = ptpipPort(fake);
    await fake.close();
    const { camera, choice } = await openCamera({ driver: 'auto', port }, { simulated, gphoto2: { env: await gphoto2Env(), ...fast } });
    cameras.push(camera);
    expect(choice).toEqual({ driver: 'simulated', simulated: true, reason: `no camera answered on ${port} (camera.not_found)` });
    expect(camera.info.simulated).toBe(true);
  });

  it('gphoto2 insists: a port that does not answer is camera.not_found', async () => {
    const fake = await startFakeCamera();
    const port = ptpipPort(fake);
    await fake.close();
    const err = await openCamera({ driver: 'gphoto2', port }, { simulated, gphoto2: { env: await gphoto2Env(), ...fast } }).catch((e: unknown) => e);
    expect(isCameraError(err) && err.code).toBe('camera.not_found');
  });

  it('simulated is taken as configured', async () => {
    const { camera, choice } = await openCamera({ driver: 'simulated', port: null }, { simulated });
    cameras.push(camera);
    expect(choice).toEqual({ driver: 'simulated', simulated: true, reason: 'configured' });
  });
});
