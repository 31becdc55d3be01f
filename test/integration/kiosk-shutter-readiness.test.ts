/**
 * The kiosk reads the room again just before the shutter: the copy the session machine holds may
 * be older than the room (a door opened after the last report reached it). Here the rig's change
 * notices never reach the controller, so only the re-read at the shutter can see the door.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadinessReport, Rig } from '../../controller/src/app/ports/rig.ts';
import type { CaptureOptions, Still } from '../../controller/src/app/ports/camera.ts';
import { loadDemoSubject } from '../../controller/src/camera/demo-subject.ts';
import { SimulatedCamera } from '../../controller/src/camera/simulated-camera.ts';
import { KioskController } from '../../controller/src/app/kiosk/kiosk-controller.ts';
import { localDate } from '../../controller/src/domain/local-time.ts';
import { findProfile } from '../../controller/src/domain/photo/profiles.ts';
import { defaultSessionSettings } from '../../controller/src/server/compose.ts';
import { CaptureRepository } from '../../controller/src/store/capture-repository.ts';
import { Database } from '../../controller/src/store/database.ts';
import { loadDemoDataIfEmpty } from '../../controller/src/store/demo-data.ts';
import { SqlStudentDirectory } from '../../controller/src/store/student-lookup.ts';
import { SimulatedRig } from '../../firmware-bridge/src/simulated-rig.ts';
import { projectRoot } from '../support/paths.ts';
import { until } from '../support/rig-targets.ts';

/** The simulated room, whose change notices are lost on the way (readiness() still tells the truth). */
class SilentRig implements Rig {
  constructor(readonly room: SimulatedRig) {}
  readiness(): ReadinessReport {
    return this.room.readiness();
  }
  onChange(): () => void {
    return () => undefined;
  }
  async close(): Promise<void> {
    await this.room.close();
  }
}

class CountingCamera extends SimulatedCamera {
  shots = 0;
  override async capture(options?: CaptureOptions): Promise<Still> {
    this.shots += 1;
    return super.capture(options);
  }
}

describe('the shutter re-reads readiness', () => {
  let dir: string;
  let db: Database;
  let controller: KioskController;
  let camera: CountingCamera;
  let rig: SilentRig;
  let code: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rig-shutter-'));
    db = await Database.open(join(dir, 'rig.db'));
    const now = new Date();
    const r = await loadDemoDataIfEmpty(db, { schoolCode: '10000', today: localDate(now, 'Asia/Shanghai'), tomorrow: localDate(new Date(now.getTime() + 86_400_000), 'Asia/Shanghai'), now });
    code = r.students[0]!.idNumber;
    const subject = await loadDemoSubject(join(projectRoot, 'config', 'demo-subject.png'));
    camera = new CountingCamera({ subject, lightLevel: () => 1, failureRate: 0, captureDelayMs: 0 });
    rig = new SilentRig(new SimulatedRig());
    controller = new KioskController({
      camera, rig, lights: rig.room,
      validator: { validate: async () => { throw new Error('validation is not part of this test'); }, profile: (id) => findProfile(id), close: async () => undefined },
      directory: new SqlStudentDirectory(db),
      eligibility: { check: async () => ({ allowed: true }) },
      captures: new CaptureRepository(db, dir),
      logger: pino({ level: 'silent' }),
      drivers: { camera: { driver: 'simulated', simulated: true, reason: 'configured' }, rig: { driver: 'simulated', simulated: true, reason: 'configured' } },
      settings: { session: { ...defaultSessionSettings, countdownMs: 50 }, profile: 'chsi-2017', timeZone: 'Asia/Shanghai', schoolName: '演示大学', demo: true },
    });
  });
  afterEach(async () => {
    await controller.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function toPose(): Promise<void> {
    controller.dispatch({ type: 'scan', code });
    await controller.settled();
    controller.dispatch({ type: 'confirm' });
    controller.dispatch({ type: 'confirm' });
    expect(controller.current.name).toBe('pose');
  }

  it('refuses the shot when the door opened after the machine last heard from the room', async () => {
    await toPose();
    expect(controller.dispatch({ type: 'capture' }).state.name).toBe('countdown');
    rig.room.setDoor('open'); // the machine's copy still says ready
    expect(controller.current.rig.ready).toBe(true);
    await until(() => (controller.current.name === 'pose' && controller.current.notice ? true : undefined), 'back at pose with a notice', 5000);
    expect(controller.current.notice?.code).toBe('kiosk.rig.not_ready');
    // The reason the shutter saw is now the machine's (and the screen's) too.
    expect(controller.current.rig).toEqual({ ready: false, reasons: ['rig.door_open'] });
    expect(camera.shots).toBe(0);

    rig.room.setDoor('closed');
    controller.dispatch({ type: 'rig', readiness: { ready: true, reasons: [] } });
    expect(controller.dispatch({ type: 'capture' }).state.name).toBe('countdown');
    await until(() => (camera.shots === 1 ? true : undefined), 'the shot once the door is closed', 5000);
  });
});
