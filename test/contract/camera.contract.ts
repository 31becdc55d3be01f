/**
 * The Camera port's contract (controller/src/app/ports/camera.ts), run against every adapter: the
 * simulated camera, and the gphoto2 actor driving real gphoto2 against the fake PTP/IP camera.
 * An adapter passes by calling `cameraContract(name, factory)` from its own test file; the
 * factory returns the camera with handles that make the body fail the way real bodies do.
 */
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus, DeviceStatusEvent } from '../../controller/src/app/ports/device.ts';
import type { Camera, PreviewFrame } from '../../controller/src/app/ports/camera.ts';
import { isCameraError } from '../../controller/src/app/ports/camera-error.ts';

/** Ways a body fails, as each harness can cause them. */
export type ContractFault = 'timeout' | 'disconnect' | 'busy' | 'storage-full' | 'focus-failed' | 'preview-freeze';

export interface CameraHarness {
  camera: Camera;
  /** The body keeps failing this way until `restore()`. */
  inject(fault: ContractFault): Promise<void>;
  restore(): Promise<void>;
  /**
   * True when the body streams live view; false when it has none (gphoto2 against the generic PTP
   * fake camera), in which case the stream must end at once with `camera.permanent`.
   */
  livePreview: boolean;
  /** Upper bound for one capture that times out, plus the time to say so. */
  timeoutMs: number;
  /** Upper bound for a frozen live view to end its stream (the adapter's frame limit), plus the time to say so. */
  freezeMs: number;
  close(): Promise<void>;
}

export async function rejectionCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isCameraError(err)) return err.code;
    throw err;
  }
  return 'resolved';
}

/** Resolves once the camera reports `status` (at once if it already does); rejects after `ms`. */
export function waitForStatus(camera: Camera, status: DeviceStatus, ms: number): Promise<void> {
  if (camera.status === status) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`camera did not become ${status} within ${ms} ms (is ${camera.status})`));
    }, ms);
    const off = camera.onStatus((e) => {
      if (e.status !== status) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

function frames(camera: Camera, n: number): Promise<PreviewFrame[]> {
  return new Promise((resolve, reject) => {
    const got: PreviewFrame[] = [];
    const stop = camera.preview((f) => {
      got.push(f);
      if (got.length === n) {
        stop();
        resolve(got);
      }
    }, reject);
  });
}

export function cameraContract(name: string, factory: () => Promise<CameraHarness>): void {
  describe(`Camera contract: ${name}`, () => {
    let harness: CameraHarness | null = null;
    const open = async (): Promise<Camera> => (harness = await factory()).camera;
    afterEach(async () => {
      await harness?.close();
      harness = null;
    });

    it('opens connected, saying what body it is', async () => {
      const cam = await open();
      expect(cam.status).toBe('connected');
      expect(cam.info.model.length).toBeGreaterThan(0);
      expect(['gphoto2', 'simulated']).toContain(cam.info.driver);
      expect(cam.info.simulated).toBe(cam.info.driver === 'simulated');
    });

    it('takes a still: a decodable JPEG of the stated size', async () => {
      const still = await (await open()).capture();
      expect(still.jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
      const meta = await sharp(still.jpeg).metadata();
      expect(meta.format).toBe('jpeg');
      expect([meta.width, meta.height]).toEqual([still.width, still.height]);
      expect(still.capturedAt).toBeInstanceOf(Date);
    });

    it('refuses a second capture while one is in flight, with camera.busy', async () => {
      const cam = await open();
      const first = cam.capture();
      const second = cam.capture();
      expect(await rejectionCode(second)).toBe('camera.busy');
      expect((await first).jpeg.length).toBeGreaterThan(0);
      expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
    });

    it('rejects a capture whose signal is already aborted with the signal reason, and still shoots after', async () => {
      const cam = await open();
      const ac = new AbortController();
      const reason = new Error('student walked away');
      ac.abort(reason);
      await expect(cam.capture({ signal: ac.signal })).rejects.toBe(reason);
      expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
    });

    it('reads settings and changes one to a listed value; refuses an unlisted one with camera.permanent', async () => {
      const cam = await open();
      const before = await cam.getSettings();
      const iso = before.iso;
      expect(iso?.choices.length).toBeGreaterThan(1);
      const other = iso?.choices.find((c) => c !== iso.value) as string;
      const after = await cam.setSettings({ iso: other });
      expect(after.iso?.value).toBe(other);
      expect(await rejectionCode(cam.setSettings({ iso: '123456' }))).toBe('camera.permanent');
    });

    it('reports battery and free storage on refresh', async () => {
      const info = await (await open()).refresh();
      expect(info.batteryPercent).toBeGreaterThanOrEqual(0);
      expect(info.freeBytes).toBeGreaterThan(0);
    });

    it('live view: streams numbered frames to several subscribers, or ends at once with camera.permanent when the body has none', async () => {
      const cam = await open();
      if (!harness?.livePreview) {
        const err = await new Promise<Error>((resolve) => { cam.preview(() => undefined, resolve); });
        expect(isCameraError(err) && err.code).toBe('camera.permanent');
        expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
        return;
      }
      const [a, b] = await Promise.all([frames(cam, 3), frames(cam, 2)]);
      expect(new Set(a.map((f) => f.seq)).size).toBe(3);
      expect(a.map((f) => f.seq)).toEqual([...a.map((f) => f.seq)].sort((x, y) => x - y));
      expect(b).toHaveLength(2);
      const meta = await sharp(a[0]?.jpeg).metadata();
      expect([meta.width, meta.height]).toEqual([a[0]?.width, a[0]?.height]);
      // Preview keeps running across a capture.
      let n = 0;
      const stop = cam.preview(() => n++);
      await cam.capture();
      const before = n;
      await frames(cam, 2);
      stop();
      stop();
      expect(n).toBeGreaterThan(before);
    });

    it('a body that never answers: camera.timeout (transient) within its limit, then the next capture works', async () => {
      const cam = await open();
      await harness?.inject('timeout');
      const started = Date.now();
      const err = await cam.capture().catch((e: unknown) => e);
      expect(isCameraError(err) && [err.code, err.transient]).toEqual(['camera.timeout', true]);
      expect(Date.now() - started).toBeLessThan(harness?.timeoutMs ?? 0);
      await harness?.restore();
      await waitForStatus(cam, 'connected', 10_000);
      expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
    });

    it('a body that vanishes: camera.disconnected, lost then reconnecting, live view ends; back to connected when it returns', async () => {
      const cam = await open();
      const seen: DeviceStatusEvent[] = [];
      cam.onStatus((e) => seen.push(e));
      await harness?.inject('disconnect');
      const err = await cam.capture().catch((e: unknown) => e);
      expect(isCameraError(err) && [err.code, err.transient]).toEqual(['camera.disconnected', true]);
      expect(seen.map((e) => e.status)).toContain('lost');
      expect(await rejectionCode(cam.capture())).toBe('camera.disconnected');
      const previewErr = await new Promise<Error>((resolve) => { cam.preview(() => undefined, resolve); });
      expect(isCameraError(previewErr) && previewErr.code).toBe('camera.disconnected');
      await harness?.restore();
      await waitForStatus(cam, 'connected', 10_000);
      expect(seen.map((e) => e.status)).toContain('reconnecting');
      expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
    });

    it('a busy body: camera.busy (transient), then the next capture works', async () => {
      const cam = await open();
      await harness?.inject('busy');
      const err = await cam.capture().catch((e: unknown) => e);
      expect(isCameraError(err) && [err.code, err.transient]).toEqual(['camera.busy', true]);
      await harness?.restore();
      await waitForStatus(cam, 'connected', 10_000);
      expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
    });

    it('a full card: camera.storage_full (a person must act), then the next capture works once emptied', async () => {
      const cam = await open();
      await harness?.inject('storage-full');
      const err = await cam.capture().catch((e: unknown) => e);
      expect(isCameraError(err) && [err.code, err.transient]).toEqual(['camera.storage_full', false]);
      await harness?.restore();
      await waitForStatus(cam, 'connected', 10_000);
      expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
    });

    it('a body that cannot focus: camera.focus_failed (transient), never lost, then the next capture works', async () => {
      const cam = await open();
      const seen: DeviceStatusEvent[] = [];
      cam.onStatus((e) => seen.push(e));
      await harness?.inject('focus-failed');
      const err = await cam.capture().catch((e: unknown) => e);
      expect(isCameraError(err) && [err.code, err.transient]).toEqual(['camera.focus_failed', true]);
      await harness?.restore();
      await waitForStatus(cam, 'connected', 10_000);
      expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
      // The body never went away: only the shot failed.
      expect(seen.map((e) => e.status)).not.toContain('lost');
    });

    it('a live view that freezes ends with camera.disconnected within its limit (no frozen frame), and comes back with stills', async () => {
      const cam = await open();
      const h = harness;
      if (!h) throw new Error('no harness');
      // Only a body with live view can freeze it; one without is covered by the live-view test above.
      if (!h.livePreview) throw new Error('the freeze fault needs a harness with live view');
      // The stream runs, then freezes under it.
      let seen = 0;
      let frozenAt = 0;
      let after = 0;
      const err = await new Promise<Error>((resolve) => {
        cam.preview(() => {
          seen++;
          if (frozenAt) after++;
          if (seen === 2) {
            frozenAt = Date.now();
            h.inject('preview-freeze').catch(resolve);
          }
        }, resolve);
      });
      expect(isCameraError(err) && err.code).toBe('camera.disconnected');
      expect(Date.now() - frozenAt).toBeLessThan(h.freezeMs);
      // At most a frame already on its way when the body froze; none after that.
      expect(after).toBeLessThanOrEqual(1);
      await h.restore();
      await waitForStatus(cam, 'connected', 10_000);
      expect(await frames(cam, 2)).toHaveLength(2);
      expect((await cam.capture()).jpeg.length).toBeGreaterThan(0);
    });

    it('answers camera.disconnected after close, and close is idempotent', async () => {
      const cam = await open();
      await cam.close();
      await cam.close();
      expect(await rejectionCode(cam.capture())).toBe('camera.disconnected');
      let code = '';
      try {
        cam.preview(() => undefined);
      } catch (err) {
        code = isCameraError(err) ? err.code : 'other';
      }
      expect(code).toBe('camera.disconnected');
    });
  });
}
