import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../controller/src/camera/simulated-camera.ts';
import { cameraContract } from '../../contract/camera.contract.ts';
import { demoSubject } from '../../support/demo-subject.ts';

const small = { stillSize: { width: 600, height: 800 }, previewSize: { width: 240, height: 320 }, previewFps: 20 };

cameraContract('simulated', async () => {
  const camera = new SimulatedCamera({ subject: await demoSubject(), seed: 7, captureTimeoutMs: 300, previewStallMs: 500, ...small });
  return {
    camera,
    inject: (fault) => camera.inject(fault),
    restore: () => camera.restore(),
    livePreview: true,
    timeoutMs: 5000,
    freezeMs: 500 + 2000,
    close: () => camera.close(),
  };
});

/** Mean RGB of the top-left corner: always background in this framing. */
async function cornerColour(jpeg: Buffer): Promise<number[]> {
  // stats() reads the input, not the pipeline: extract into a buffer first.
  const corner = await sharp(jpeg).extract({ left: 0, top: 0, width: 40, height: 40 }).png().toBuffer();
  const { channels } = await sharp(corner).stats();
  return channels.slice(0, 3).map((c) => Math.round(c.mean));
}

describe('simulated camera', () => {
  it('shoots the subject on the light-blue background RGB(100,197,255) at calibrated light', async () => {
    const cam = new SimulatedCamera({ subject: await demoSubject(), seed: 1, ...small });
    const [r, g, b] = await cornerColour((await cam.capture()).jpeg);
    expect(Math.abs((r ?? 0) - 100)).toBeLessThanOrEqual(3);
    expect(Math.abs((g ?? 0) - 197)).toBeLessThanOrEqual(3);
    expect(Math.abs((b ?? 0) - 255)).toBeLessThanOrEqual(3);
    await cam.close();
  });

  it('darkens the whole frame when the lights are dimmed', async () => {
    let level = 1;
    const cam = new SimulatedCamera({ subject: await demoSubject(), seed: 1, lightLevel: () => level, ...small });
    const bright = await sharp((await cam.capture()).jpeg).stats();
    level = 0.5;
    const dim = await sharp((await cam.capture()).jpeg).stats();
    expect(dim.channels[1]?.mean ?? 0).toBeLessThan((bright.channels[1]?.mean ?? 0) * 0.6);
    await cam.close();
  });

  it('uses a queued pose for the next still and random poses after it', async () => {
    // Two cameras whose random poses differ (other seeds): a queued pose makes their next stills the same.
    const one = new SimulatedCamera({ subject: await demoSubject(), seed: 3, ...small });
    const two = new SimulatedCamera({ subject: await demoSubject(), seed: 11, ...small });
    const unqueued = [await one.capture(), await two.capture()];
    expect(unqueued[0]!.jpeg.equals(unqueued[1]!.jpeg)).toBe(false);
    one.queuePose({ roll: 15 });
    two.queuePose({ roll: 15 });
    const [tiltedOne, tiltedTwo] = [await one.capture(), await two.capture()];
    expect(tiltedOne.jpeg.equals(tiltedTwo.jpeg)).toBe(true);
    // and the queued pose is the one asked for: not the upright pose
    two.queuePose({ roll: 0 });
    expect((await two.capture()).jpeg.equals(tiltedOne.jpeg)).toBe(false);
    // after the queue, random poses again
    const [a, b] = [await one.capture(), await one.capture()];
    expect(a.jpeg.equals(b.jpeg)).toBe(false);
    expect(a.jpeg.equals(tiltedOne.jpeg)).toBe(false);
    await one.close();
    await two.close();
  });
});
