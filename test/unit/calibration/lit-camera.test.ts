/** The simulated camera in the virtual room: the lamps, daylight and the body's exposure and white balance act on the image. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../controller/src/camera/simulated-camera.ts';
import { loadDemoSubject, type DemoSubject } from '../../../controller/src/camera/demo-subject.ts';
import { measureShot } from '../../../controller/src/imaging/calibration-figures.ts';
import type { SceneLighting } from '../../../controller/src/domain/calibration/scene-light.ts';
import { RoomRig } from '../../support/room-rig.ts';
import { cameraContract } from '../../contract/camera.contract.ts';
import { demoSubject } from '../../support/demo-subject.ts';

// The lit twin honours the same contract as the plain one (failures included).
cameraContract('simulated, lit by the virtual room', async () => {
  const rig = new RoomRig();
  await rig.setLights({ key: 60, fill: 70, background: 50 });
  const camera = new SimulatedCamera({
    subject: await demoSubject(), seed: 7, captureTimeoutMs: 300, previewStallMs: 500, lighting: () => rig.room.sceneLighting(),
    stillSize: { width: 600, height: 800 }, previewSize: { width: 240, height: 320 }, previewFps: 20,
  });
  return { camera, inject: (fault) => camera.inject(fault), restore: () => camera.restore(), livePreview: true, timeoutMs: 5000, freezeMs: 500 + 2000, close: () => camera.close() };
});

let subject: DemoSubject;
beforeAll(async () => {
  subject = await loadDemoSubject(join(import.meta.dirname, '..', '..', '..', 'config', 'demo-subject.png'));
});

const guide = { x: 0.35, y: 0.32, w: 0.3, h: 0.26 };
async function shoot(lighting: () => SceneLighting, settings: Record<string, string> = {}) {
  const camera = new SimulatedCamera({ subject, lighting, steady: true, stillSize: { width: 600, height: 800 } });
  await camera.setSettings(settings);
  const still = await camera.capture();
  await camera.close();
  return measureShot(still.jpeg, { background: [100, 197, 255], face: { region: guide, placedBy: 'guide' } });
}
const even = (s: number, b: number): SceneLighting => ({ subject: { left: s, right: s }, backdrop: { left: b, centre: b, right: b } });

describe('the simulated camera lit by the room', () => {
  it('shows the reference room as the portrait is: backdrop on the profile colour', async () => {
    const f = await shoot(() => even(1, 1));
    expect(f.background!.deltaE).toBeLessThan(1);
    expect(f.background!.exposure).toBeCloseTo(1, 1);
  });

  it('halves the linear light on the face and backdrop at half the light, and doubles it at ISO 200', async () => {
    const ref = await shoot(() => even(1, 1));
    const half = await shoot(() => even(0.5, 0.5));
    const iso = await shoot(() => even(0.5, 0.5), { iso: '200' });
    expect(half.face.left / ref.face.left).toBeCloseTo(0.5, 1);
    expect(half.background!.exposure).toBeCloseTo(0.5, 1);
    expect(iso.face.left / ref.face.left).toBeCloseTo(1, 1);
  });

  it('darkens the key\'s half of the face when the key light is weaker', async () => {
    const ref = await shoot(() => even(1, 1));
    const weakKey = await shoot(() => ({ subject: { left: 0.5, right: 1 }, backdrop: { left: 1, centre: 1, right: 1 } }));
    expect(weakKey.face.halvesL).toBeLessThan(ref.face.halvesL - 5);
  });

  it('casts blue with the tungsten white balance under the flash-coloured lamps', async () => {
    const flash = await shoot(() => even(1, 1), { whiteBalance: 'Automatic' });
    const tungsten = await shoot(() => even(1, 1), { whiteBalance: 'Tungsten' });
    expect(tungsten.background!.deltaE).toBeGreaterThan(flash.background!.deltaE + 4);
  });

  it('follows the virtual room: a dead background lamp darkens the backdrop, daylight brightens everything', async () => {
    const rig = new RoomRig();
    await rig.setLights({ key: 80, fill: 60, background: 70 });
    const ref = await shoot(() => rig.room.sceneLighting());
    rig.room.setLampOutput('background', 0);
    const dead = await shoot(() => rig.room.sceneLighting());
    rig.room.setLampOutput('background', 1);
    rig.room.setDaylight(2000);
    const day = await shoot(() => rig.room.sceneLighting());
    expect(dead.background!.exposure).toBeLessThan(ref.background!.exposure * 0.4);
    expect(day.face.lightness).toBeGreaterThan(ref.face.lightness + 5);
  });
});
