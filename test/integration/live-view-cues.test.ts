/**
 * The live-view presentation cues measured on real live-view JPEGs (the simulated camera's stream,
 * decoded with sharp): the demo subject swaying as a student does passes; a print of her propped up
 * on the seat is suspected on all three cues (no motion, flat light, a border); the same print
 * waved by hand still shows its flat ink and its edges; and a subject that keeps perfectly still (the
 * calibration dummy) is suspected of nothing but not moving.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoSubject, type DemoSubject } from '../../controller/src/camera/demo-subject.ts';
import { SimulatedCamera } from '../../controller/src/camera/simulated-camera.ts';
import type { PreviewFrame } from '../../controller/src/app/ports/camera.ts';
import { LiveViewCueTracker } from '../../controller/src/domain/identity/live-view-cues.ts';
import { DEFAULT_PRESENTATION_POLICY, judgePresentation } from '../../controller/src/domain/identity/presentation.ts';
import { liveViewGuides } from '../../controller/src/domain/photo/live-view-guides.ts';
import { PROFILES } from '../../controller/src/domain/photo/profiles.ts';
import { measureLiveViewFrame } from '../../controller/src/imaging/live-view-cues.ts';
import { heldUpPrint } from '../fixtures/held-up-print.ts';
import { projectRoot } from '../support/paths.ts';

const profile = PROFILES['chsi-2017'];
if (!profile) throw new Error('chsi-2017 profile missing');
const guides = liveViewGuides(profile.thresholds);
const policy = DEFAULT_PRESENTATION_POLICY;
let demo: DemoSubject;
let print: DemoSubject;
const cameras: SimulatedCamera[] = [];

/** Twelve samples of the live view, as the kiosk takes them (every third frame at 12 frames a second). */
async function liveViewCues(subject: DemoSubject, steady: boolean) {
  const camera = new SimulatedCamera({ subject, seed: 3, steady });
  cameras.push(camera);
  const frames: PreviewFrame[] = [];
  await new Promise<void>((resolve, reject) => {
    const stop = camera.preview((f) => {
      frames.push(f);
      if (frames.length === 36) {
        stop();
        resolve();
      }
    }, reject);
  });
  const tracker = new LiveViewCueTracker();
  for (let i = 0; i < frames.length; i += 3) tracker.add(await measureLiveViewFrame(frames[i] as PreviewFrame, guides));
  const cues = tracker.cues(policy.motionMinSamples);
  const verdict = judgePresentation({ moire: null, ...cues }, policy);
  return { cues, fired: verdict.kind === 'suspect' ? verdict.cues.map((c) => c.cue) : [] };
}

beforeAll(async () => {
  demo = await loadDemoSubject(join(projectRoot, 'config', 'demo-subject.png'));
  print = heldUpPrint(demo);
});
afterAll(async () => {
  await Promise.all(cameras.map((c) => c.close()));
});

describe('live-view cues of a photo held up', { timeout: 60_000 }, () => {
  it('passes the demo subject swaying as a student does', async () => {
    const { cues, fired } = await liveViewCues(demo, false);
    expect(fired).toEqual([]);
    expect(cues.motion).toBeGreaterThan(policy.motionMin * 2);
    expect(cues.flatLight).toBeLessThan(policy.flatLightLimit - 0.05);
    expect(cues.border).toBeLessThan(policy.borderLimit);
  });

  it('suspects a print propped up on the seat on all three cues', async () => {
    const { cues, fired } = await liveViewCues(print, true);
    expect(fired).toEqual(['no_motion', 'flat_light', 'border']);
    expect(cues.motion).toBe(0);
    expect(cues.flatLight).toBeGreaterThan(policy.flatLightLimit + 0.05);
  });

  it('still sees the flat ink and the edges of a print moved by hand', async () => {
    const { fired } = await liveViewCues(print, false);
    expect(fired).toEqual(['flat_light', 'border']);
  });

  it('sees a printed black as black when the print is not flat-lit, and then only its border and stillness', async () => {
    const { fired } = await liveViewCues(heldUpPrint(demo, { lift: 0 }), true);
    expect(fired).toEqual(['no_motion', 'border']);
  });

  it('measures a frame that came without its size the same, from its JPEG header', async () => {
    const camera = new SimulatedCamera({ subject: demo, seed: 5 });
    cameras.push(camera);
    const frame = await new Promise<PreviewFrame>((resolve, reject) => {
      const stop = camera.preview((f) => {
        stop();
        resolve(f);
      }, reject);
    });
    expect(frame.width).toBeGreaterThan(0);
    const sized = await measureLiveViewFrame(frame, guides);
    const sizeless = await measureLiveViewFrame({ jpeg: frame.jpeg, width: 0, height: 0 }, guides);
    expect(sizeless).toEqual(sized);
    await expect(measureLiveViewFrame({ jpeg: Buffer.from('not a jpeg'), width: 0, height: 0 }, guides)).rejects.toThrow();
  });

  it('suspects a subject that keeps perfectly still of nothing but that', async () => {
    const { fired } = await liveViewCues(demo, true);
    expect(fired).toEqual(['no_motion']);
  });
});
