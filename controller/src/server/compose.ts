/**
 * Composition root of the kiosk service: opens the store, loads demo data when asked, opens the
 * camera through openCamera (gphoto2 or simulated per `camera.driver`), builds the simulated rig
 * (the real one arrives with its issue), the controller and the fastify app. Parts start in order
 * and stop in reverse.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Camera } from '../app/ports/camera.ts';
import { loadDemoSubject, type DemoSubject } from '../camera/demo-subject.ts';
import { openCamera, type CameraConfig } from '../camera/open-camera.ts';
import { SimulatedCamera } from '../camera/simulated-camera.ts';
import { SimulatedRig } from '../../../firmware-bridge/src/simulated-rig.ts';
import { openRig, settleRig, type RigSettings } from '../../../firmware-bridge/src/open-rig.ts';
import { DeviceError, type DevicesReport, type DriverChoice } from '../app/ports/device.ts';
import type { BoardHealth, Rig, RigPort, RigReadings, SceneLights, SimulatedRigControls } from '../app/ports/rig.ts';
import type { SessionSettings } from '../domain/capture-session.ts';
import type { DemoStudent } from '../domain/demo-roster.ts';
import { CaptureRepository } from '../store/capture-repository.ts';
import { Database } from '../store/database.ts';
import { stopSpareReader } from '../formats/spreadsheet/isolated-read.ts';
import { demoCalendar, ensureDemoSlots, loadDemoDataIfEmpty } from '../store/demo-data.ts';
import { recoverAtStart, type RecoveryReport } from '../store/recovery.ts';
import { appendAudit } from '../store/audit-log.ts';
import { freeBytes } from '../store/free-space.ts';
import { StorageGuardedRig } from './storage-guard.ts';
import { SqlStudentDirectory } from '../store/student-lookup.ts';
import { ScheduleEligibilityPolicy } from '../app/kiosk/eligibility-policy.ts';
import { sqlScheduleSource } from '../store/schedule-loader.ts';
import { buildKioskApp } from './kiosk-app.ts';
import type { RoomStatusSource } from './staff/room-status.ts';
import { KioskController } from '../app/kiosk/kiosk-controller.ts';
import { localDate } from '../domain/local-time.ts';
import type { PhotoValidatorPort } from '../app/ports/kiosk.ts';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_SAME_FACE_POLICY, type SameFacePolicy } from '../domain/identity/face-match.ts';
import { presentationPolicy, type PresentationPolicy } from '../domain/identity/presentation.ts';
import { IdentityRepository } from '../store/identity-repository.ts';
import { measureLiveViewFrame } from '../imaging/index.ts';
import { Calibration, type CalibrationSettings } from '../app/calibration/calibration.ts';
import { defaultCalibrationSettings } from '../app/calibration/defaults.ts';
import { SqlCalibrationProfiles } from '../store/calibration-repository.ts';
import { measureShot } from '../imaging/calibration-figures.ts';
import { BACKGROUND_COLOURS } from '../domain/photo/profiles.ts';
import { defaultCalibration, type LightCalibration } from '../domain/lighting.ts';
import type { CalibrationProfile } from '../domain/calibration/profile.ts';

export interface KioskRuntimeOptions {
  dataDir: string;
  demo: boolean;
  projectRoot: string;
  logger: Logger;
  validator: PhotoValidatorPort;
  school: { code: string; name: string };
  timeZone: string;
  /** The kiosk's room (configuration `room`); null or absent: no place check. */
  room?: string | null;
  profile: string;
  session: SessionSettings;
  camera?: {
    failureRate?: number; seed?: number; captureDelayMs?: number;
    /** Who sits before the simulated camera (tests: a print held up instead of the demo subject), and whether they keep still. */
    sitter?: { subject?: (demo: DemoSubject) => DemoSubject; steady?: boolean };
  };
  /** Capture is refused while the data folder has less free space than this (defaults: 256 MB, every 5 s). */
  storage?: { minFreeBytes?: number; checkMs?: number; measure?: (dir: string) => Promise<number> };
  /** `camera.driver` and `camera.port` of the configuration; the simulated camera when absent. */
  cameraConfig?: CameraConfig;
  /** Environment of the gphoto2 child (tests point HOME at a temp dir); the process's own when absent. */
  gphoto2Env?: NodeJS.ProcessEnv;
  uiDir?: string;
  now?: () => Date;
  /**
   * Same face, two identities (the validator must give face descriptors): threshold and what a match
   * does; default 'warn' in demo mode (one demo subject: every student looks alike), else 'hold'.
   * false: no check.
   */
  identity?: (Partial<SameFacePolicy> & { presentation?: Partial<PresentationPolicy> }) | false;
  /** The configuration's `rig` section: the rig is then chosen per `rig.driver` (board, or the virtual board). Without it, the in-process simulated rig. */
  rigConfig?: RigSettings;
  /** Calibration targets and limits (configuration `calibration`); the defaults when absent. */
  calibration?: Partial<CalibrationSettings>;
}

/** The rig as the kiosk runtime holds it: readiness, the chosen driver, the room controls (simulated rigs only) and the light level the simulated camera exposes with. */
export type KioskRig = Rig & SimulatedRigControls & SceneLights & {
  readonly choice: DriverChoice;
  lightLevel(): number;
  /** Raw sensor readings and the firmware's health, for the staff status page. */
  readings(): RigReadings;
  health(): BoardHealth | null;
};

function kioskRig(port: RigPort): KioskRig {
  const controls = port.controls;
  const only = (): SimulatedRigControls => {
    if (!controls) throw new DeviceError('rig.not_simulated', false, 'only the virtual board can be set by hand');
    return controls;
  };
  return {
    choice: port.choice,
    readiness: () => port.readiness(),
    onChange: (listener) => port.onChange(listener),
    close: () => port.close(),
    scene: (name, rampMs) => port.scene(name, rampMs),
    readings: () => port.readings(),
    health: () => port.health(),
    lightLevel: () => port.readiness().lights.left,
    setDoor: (door) => only().setDoor(door),
    setDaylight: (daylight) => only().setDaylight(daylight),
    setLights: (levels) => only().setLights(levels),
  };
}

export interface KioskRuntime {
  app: FastifyInstance;
  controller: KioskController;
  camera: Camera;
  /** Which camera adapter runs and why (log, kiosk state, staff status). */
  cameraChoice: DriverChoice;
  /** Test extra: the simulated camera's handles, null when a real camera runs. */
  simulatedCamera: SimulatedCamera | null;
  rig: KioskRig;
  /** The room for the staff status page: readiness as the kiosk judges it, readings, firmware health. */
  roomStatus: RoomStatusSource;
  db: Database;
  demoStudents: DemoStudent[];
  /** What start-up recovery put right (a previous run that was killed). */
  recovery: RecoveryReport;
  /** The rig port when one was opened from `rigConfig` (board or virtual board), null for the in-process simulated rig. */
  rigPort: RigPort | null;
  /** The technician's calibration, null without a rig port (nothing to set lights on). */
  calibration: Calibration | null;
  /** Camera and rig: the driver chosen and why, and how each is now (the staff status page). */
  devices(): DevicesReport;
  close(): Promise<void>;
}

/** Default session limits (ms); the configuration's `timeouts` and `capture.retakeLimit` override them. */
export const defaultSessionSettings: SessionSettings = {
  retakeLimit: 3,
  countdownMs: 3000,
  timeoutsMs: {
    identify: 60_000, confirm: 60_000, refused: 20_000, dress: 45_000, pose: 90_000, countdown: 15_000, capture: 30_000,
    validate: 30_000, review: 90_000, store: 60_000, receipt: 15_000, 'see-staff': 60_000,
  },
};

/** A profile as the rig's calibration: its levels are the full scene, its measured illuminance what readiness expects. */
function lightCalibrationOf(p: CalibrationProfile): LightCalibration {
  return { levels: { ...p.settings.lights }, subjectLux: p.subjectLux ?? defaultCalibration.subjectLux };
}

export async function startKioskRuntime(o: KioskRuntimeOptions): Promise<KioskRuntime> {
  const now = o.now ?? (() => new Date());
  const db = await Database.open(join(o.dataDir, 'rig.db'));
  const stops: Array<() => Promise<void>> = [() => db.close(), stopSpareReader];
  try {
    // Before the first student: what a killed run left behind (orphan files, open sessions).
    const recovery = await recoverAtStart(db, o.dataDir, now());
    if (recovery.interruptedSessions || recovery.quarantined.length) o.logger.warn({ ...recovery }, 'recovered from an interrupted run');
    let demoStudents: DemoStudent[] = [];
    if (o.demo) {
      const t = now();
      const today = localDate(t, o.timeZone);
      const tomorrow = localDate(new Date(t.getTime() + 86_400_000), o.timeZone);
      const r = await loadDemoDataIfEmpty(db, { schoolCode: o.school.code, today, tomorrow, now: t });
      // Started again on another day: the demo's slots for today and tomorrow.
      if (!r.loaded) await ensureDemoSlots(db, today, tomorrow);
      demoStudents = r.students;
      if (r.loaded) o.logger.info({ students: r.students.length }, 'demo roster loaded');
    }
    let rig: KioskRig;
    let rigPort: RigPort | null = null;
    const profiles = new SqlCalibrationProfiles(db);
    const active = await profiles.active();
    if (o.rigConfig) {
      // The active calibration profile's levels are the calibrated scene (the defaults until a technician saves one).
      const port = await openRig(o.rigConfig, active ? { calibration: lightCalibrationOf(active) } : {});
      rigPort = port;
      rig = kioskRig(port);
      stops.unshift(() => rig.close());
      o.logger.info({ rig: port.choice }, 'rig driver chosen');
      // Idle's scene (the kiosk controller takes over from here), and the first readings.
      await settleRig(port, 'standby', 3000);
    } else {
      rig = new SimulatedRig();
      stops.unshift(() => rig.close());
    }
    const guarded = new StorageGuardedRig(rig, {
      dataDir: o.dataDir, minFreeBytes: o.storage?.minFreeBytes ?? 256 * 1048576, checkMs: o.storage?.checkMs ?? 5000,
      logger: o.logger, measure: o.storage?.measure ?? freeBytes,
      // The audit log is where staff see it (dashboard, `rig audit`), not only the kiosk screen.
      onLow: async (free) => {
        await appendAudit(db, { actor: 'kiosk', origin: 'local', action: 'storage.low', details: { freeMB: Math.floor(free / 1048576), dataDir: o.dataDir } }, now());
      },
    });
    await guarded.start();
    stops.unshift(() => guarded.close());
    let simulatedCamera: SimulatedCamera | null = null;
    const { camera, choice: cameraChoice } = await openCamera(o.cameraConfig ?? { driver: 'simulated', port: null }, {
      simulated: async () => {
        const demo = await loadDemoSubject(join(o.projectRoot, 'config', 'demo-subject.png'));
        const sitter = o.camera?.sitter;
        const subject = sitter?.subject ? sitter.subject(demo) : demo;
        // The virtual room lights the simulated camera's subject when there is one (lamps, daylight, exposure).
        const lighting = rigPort?.controls?.sceneLighting?.bind(rigPort.controls);
        return (simulatedCamera = new SimulatedCamera({ subject, lightLevel: () => rig.lightLevel(), ...(lighting ? { lighting } : {}), failureRate: o.camera?.failureRate ?? 0.25, ...(o.camera?.seed === undefined ? {} : { seed: o.camera.seed }), captureDelayMs: o.camera?.captureDelayMs ?? 150, ...(sitter?.steady ? { steady: true } : {}) }));
      },
      gphoto2: { logger: o.logger.child({ component: 'camera' }), ...(o.gphoto2Env ? { env: o.gphoto2Env } : {}) },
    });
    stops.unshift(() => camera.close());
    o.logger.info({ camera: cameraChoice, model: camera.info.model }, 'camera chosen');
    if (active) {
      const { iso, aperture, shutter, whiteBalance } = active.settings.camera;
      await camera.setSettings({ iso, aperture, shutter, ...(whiteBalance ? { whiteBalance } : {}) })
        .catch((err: unknown) => o.logger.warn({ err, profile: active.name }, 'the camera refused the active calibration profile\'s settings'));
    }
    const port = rigPort;
    const calibration = port ? new Calibration({
      camera, rig: port, store: profiles, validator: { validate: (jpeg) => o.validator.validate(jpeg, { profile: o.profile }) },
      measure: (jpeg, face, grey) => measureShot(jpeg, { background: BACKGROUND_COLOURS.blue, face, grey }),
      settings: { ...defaultCalibrationSettings, ...o.calibration },
      onActivate: async (p) => {
        const lux = port.readings().subjectLux?.value ?? null;
        await port.calibrate?.(lightCalibrationOf(lux === null || p.subjectLux !== null ? p : { ...p, subjectLux: lux }));
      },
      now,
    }) : null;
    const captures = new CaptureRepository(db, o.dataDir);
    const stored = sqlScheduleSource(db, o.timeZone);
    const schedules = o.demo ? demoCalendar(db, o.timeZone, now, stored, (added, day) => o.logger.info({ added, day }, 'demo slots added for a new day')) : stored;
    const controller = new KioskController({
      camera, rig: guarded, lights: rig, validator: o.validator, captures, logger: o.logger,
      directory: new SqlStudentDirectory(db),
      eligibility: new ScheduleEligibilityPolicy(schedules, captures, o.room ?? null),
      drivers: { camera: cameraChoice, rig: rig.choice },
      settings: { session: o.session, profile: o.profile, timeZone: o.timeZone, schoolName: o.school.name, demo: o.demo },
      ...(o.identity === false ? {} : {
        identity: {
          faces: new IdentityRepository(db),
          policy: {
            threshold: o.identity?.threshold ?? DEFAULT_SAME_FACE_POLICY.threshold, onMatch: o.identity?.onMatch ?? (o.demo ? 'warn' : 'hold'),
            referenceThreshold: o.identity?.referenceThreshold ?? DEFAULT_SAME_FACE_POLICY.referenceThreshold,
          },
          presentation: presentationPolicy(o.identity?.presentation),
          liveView: { measure: measureLiveViewFrame },
        },
      }),
      // The staff and technician pages see the hold (GET /api/room) and the audit log keeps it.
      onRoomFault: async (hold) => {
        await appendAudit(db, { actor: 'kiosk', origin: 'local', action: 'room.photo_fault', target: 'room', details: { reasons: hold.reasons, attemptId: hold.attemptId } }, now());
      },
    });
    stops.unshift(() => controller.close());
    const app = await buildKioskApp({ controller, logger: o.logger, ...(o.uiDir ? { uiDir: o.uiDir } : {}), demoStudents });
    stops.unshift(() => app.close());
    return {
      app, controller, camera, cameraChoice, simulatedCamera, rig, db, demoStudents, recovery, rigPort, calibration,
      roomStatus: { choice: rig.choice, readiness: () => guarded.readiness(), readings: () => rig.readings(), health: () => rig.health() },
      devices() {
        const r = guarded.readiness();
        return {
          camera: { ...cameraChoice, status: camera.status, model: camera.info.model },
          rig: { ...rig.choice, ready: r.ready, reasons: [...r.reasons] },
        };
      },
      async close() {
        for (const stop of stops.splice(0)) await stop().catch((err: unknown) => o.logger.error({ err }, 'stop failed'));
      },
    };
  } catch (err) {
    for (const stop of stops.splice(0)) await stop().catch(() => undefined);
    throw err;
  }
}
