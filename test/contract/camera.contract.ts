/**
 * The Camera port's contract (controller/src/camera/camera.ts), run against every adapter: the
 * simulated camera now, the gphoto2 adapter against the fake PTP/IP camera later. An adapter passes
 * by calling `cameraContract(name, factory)` from its own test file.
 */
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Camera, PreviewFrame } from '../../controller/src/camera/camera.ts';
import { isCameraError } from '../../controller/src/camera/camera-error.ts';

async function rejectionCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isCameraError(err)) return err.code;
    throw err;
  }
  return 'resolved';
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

export function cameraContract(name: string, factory: () => Promise<Camera>): void {
  describe(`Camera contract: ${name}`, () => {
    let camera: Camera | null = null;
    const open = async (): Promise<Camera> => (camera = await factory());
    afterEach(async () => {
      await camera?.close();
      camera = null;
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

    it('streams numbered preview frames to several subscribers and stops when asked', async () => {
      const cam = await open();
      const [a, b] = await Promise.all([frames(cam, 3), frames(cam, 2)]);
      expect(a.map((f) => f.seq)).toEqual([...a.map((f) => f.seq)].sort((x, y) => x - y));
      expect(new Set(a.map((f) => f.seq)).size).toBe(3);
      expect(b).toHaveLength(2);
      const meta = await sharp(a[0]?.jpeg).metadata();
      expect([meta.width, meta.height]).toEqual([a[0]?.width, a[0]?.height]);
      let late = 0;
      const stop = cam.preview(() => late++);
      stop();
      stop();
      await new Promise((r) => setTimeout(r, 250));
      expect(late).toBe(0);
    });

    it('keeps the preview running across a capture', async () => {
      const cam = await open();
      let n = 0;
      const stop = cam.preview(() => n++);
      await cam.capture();
      const before = n;
      await frames(cam, 2);
      stop();
      expect(n).toBeGreaterThan(before);
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
