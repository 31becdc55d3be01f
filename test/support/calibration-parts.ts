/** A calibration use case over the simulated camera in the virtual room, with a store in memory or SQLite as the test picks. */
import { join } from 'node:path';
import { Calibration, type CalibrationSettings } from '../../controller/src/app/calibration/calibration.ts';
import type { CalibrationProfileStore } from '../../controller/src/app/ports/calibration.ts';
import { SimulatedCamera } from '../../controller/src/camera/simulated-camera.ts';
import { loadDemoSubject, type DemoSubject } from '../../controller/src/camera/demo-subject.ts';
import { measureShot } from '../../controller/src/imaging/calibration-figures.ts';
import { defaultCalibrationSettings } from '../../controller/src/app/calibration/defaults.ts';
import { RoomRig } from './room-rig.ts';

let subject: Promise<DemoSubject> | null = null;

export async function calibrationInRoom(store: CalibrationProfileStore, o: { seed?: number; steady?: boolean; stillSize?: { width: number; height: number }; settings?: Partial<CalibrationSettings> } = {}) {
  subject ??= loadDemoSubject(join(import.meta.dirname, '..', '..', 'config', 'demo-subject.png'));
  const rig = new RoomRig();
  const camera = new SimulatedCamera({
    subject: await subject, lighting: () => rig.room.sceneLighting(), failureRate: 0, seed: o.seed ?? 1, steady: o.steady ?? true,
    // A smaller frame keeps hundreds of shots quick; the framing scales with it.
    stillSize: o.stillSize ?? { width: 600, height: 800 },
  });
  const calibration = new Calibration({
    camera, rig, store,
    measure: (jpeg, face, grey) => measureShot(jpeg, { background: [100, 197, 255], face, grey }),
    settings: { ...defaultCalibrationSettings, settleMs: 200, validateEachStep: false, ...o.settings },
  });
  return { rig, camera, calibration };
}
