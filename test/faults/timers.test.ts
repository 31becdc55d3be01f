/**
 * Timers fault suite: the kiosk driven through every timed state 1,000 times with timers that fire
 * early, late and in bursts, and students who act or walk away at random. However the timers
 * misbehave, no state outlives its deadline by more than one timer period, and a timed state always
 * has a wake armed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, CameraInfo, CameraSettings, PreviewFrame, Still } from '../../controller/src/app/ports/camera.ts';
import { nextWakeAt, type KioskStateName, type SessionSettings } from '../../controller/src/domain/capture-session.ts';
import { localDate } from '../../controller/src/domain/local-time.ts';
import { KioskController } from '../../controller/src/app/kiosk/kiosk-controller.ts';
import type { PhotoValidatorPort, ValidationReport } from '../../controller/src/app/ports/kiosk.ts';
import { findProfile, type PhotoProfile } from '../../controller/src/domain/photo/profiles.ts';
import { CaptureRepository } from '../../controller/src/store/capture-repository.ts';
import { Database } from '../../controller/src/store/database.ts';
import { loadDemoDataIfEmpty } from '../../controller/src/store/demo-data.ts';
import { SqlStudentDirectory } from '../../controller/src/store/student-lookup.ts';
import { SimulatedRig } from '../../firmware-bridge/src/simulated-rig.ts';
import { seededRandom } from '../../controller/src/domain/seeded-random.ts';
import { VirtualTime } from './virtual-time.ts';

/** The late tail of a timer, ms: the allowance "one timer period" in the promise above. */
const LATE_MS = 40;
const settings: SessionSettings = {
  retakeLimit: 1,
  countdownMs: 3_000,
  sessionMs: 120_000,
  timeoutsMs: {
    identify: 5_000, confirm: 20_000, refused: 8_000, dress: 15_000, pose: 20_000, countdown: 10_000, capture: 6_000,
    validate: 6_000, review: 20_000, store: 8_000, receipt: 5_000, 'see-staff': 10_000,
  },
};

/** Camera and imaging twins whose answers come after virtual delays (sometimes after the state gave up). */
class SlowParts implements Camera, PhotoValidatorPort {
  readonly info: CameraInfo = { driver: 'simulated', model: 'virtual', simulated: true, serial: null, lens: null, batteryPercent: null, freeBytes: null, port: null };
  readonly status = 'connected' as const;
  onStatus(): () => void {
    return () => undefined;
  }
  async getSettings(): Promise<CameraSettings> {
    return {};
  }
  async setSettings(): Promise<CameraSettings> {
    return {};
  }
  async refresh(): Promise<CameraInfo> {
    return this.info;
  }
  /** Calls waiting for virtual time: the suite treats the kiosk as quiet when only these remain. */
  waiting = 0;
  constructor(private readonly time: VirtualTime, private readonly random: () => number) {}

  later<T>(maxMs: number, value: () => T): Promise<T> {
    this.waiting++;
    return new Promise<T>((resolve) => {
      this.time.set(() => { this.waiting--; resolve(value()); }, Math.floor(this.random() * maxMs));
    });
  }

  capture(): Promise<Still> {
    return this.later(9_000, () => ({ jpeg: Buffer.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]), width: 4, height: 3, capturedAt: new Date(this.time.now()) }));
  }

  preview(_onFrame: (frame: PreviewFrame) => void): () => void {
    return () => undefined;
  }

  profile(id?: string): PhotoProfile | undefined {
    return findProfile(id);
  }

  validate(): Promise<ValidationReport> {
    const pass = this.random() < 0.6;
    return this.later(9_000, () => ({
      verdict: pass ? 'pass' : 'fail', profile: 'chsi-2017', timings: {},
      checks: pass ? [] : [{ id: 'pose.roll', passed: false, severity: 'blocking', reason: 'photo.pose.roll', message: { zh: '头歪', en: 'Head tilted' } }],
      ...(pass ? { deliverable: { jpeg: Buffer.from([0xff, 0xd8, 9, 0xff, 0xd9]) } } : {}),
    } as ValidationReport));
  }

  async close(): Promise<void> {}
}

/** The real repository, with the archive write taking up to 10 s of virtual time (a slow disk). */
class SlowCaptures extends CaptureRepository {
  constructor(db: Database, dir: string, private readonly parts: SlowParts) {
    super(db, dir);
  }
  override async accept(input: Parameters<CaptureRepository['accept']>[0]): ReturnType<CaptureRepository['accept']> {
    await this.parts.later(10_000, () => null);
    return super.accept(input);
  }
}

const waitingStates: KioskStateName[] = ['confirm', 'refused', 'dress', 'pose', 'review', 'receipt', 'see-staff'];

describe('kiosk timers under early, late and bursty wakes', () => {
  let dir: string;
  let db: Database;
  let codes: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rig-timers-'));
    db = await Database.open(join(dir, 'rig.db'));
    const now = new Date();
    const r = await loadDemoDataIfEmpty(db, { schoolCode: '10000', today: localDate(now, 'Asia/Shanghai'), tomorrow: localDate(new Date(now.getTime() + 86_400_000), 'Asia/Shanghai'), now });
    codes = r.students.map((s) => s.idNumber);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never leaves a timed state stuck, over 1,000 students', { timeout: 600_000 }, async () => {
    const random = seededRandom(20261201);
    const time = new VirtualTime(Date.now(), { early: 0.3, late: LATE_MS, burst: 0.2 }, random);
    const parts = new SlowParts(time, random);
    const directory = new SqlStudentDirectory(db);
    const controller = new KioskController({
      camera: parts, validator: parts, rig: new SimulatedRig(),
      // The roster answers after up to 7 s of virtual time: sometimes after the identify screen gave up.
      directory: { findByCode: async (code) => { await parts.later(7_000, () => null); return directory.findByCode(code); } },
      eligibility: { check: async () => ({ allowed: true }) }, captures: new SlowCaptures(db, dir, parts),
      logger: pino({ level: 'silent' }), clock: time, timers: time,
      drivers: { camera: { driver: 'simulated', simulated: true, reason: 'configured' }, rig: { driver: 'simulated', simulated: true, reason: 'configured' } },
      settings: { session: settings, profile: 'chsi-2017', timeZone: 'Asia/Shanghai', schoolName: '演示大学', demo: true },
    });
    /** Waits (in real time) until every effect still running is one waiting for virtual time. */
    const quiet = async (): Promise<void> => {
      for (let i = 0; controller.pendingEffects > parts.waiting; i++) {
        if (i > 5_000) throw new Error(`effects never settled in ${controller.current.name}`);
        await new Promise((r) => setTimeout(r, 1));
      }
    };

    const visited = new Map<KioskStateName, number>();
    let worstOverstay = 0;
    let entered: { name: KioskStateName; deadline: number | null; countdown: number | null } | null = null;
    const note = (): void => {
      const s = controller.current;
      if (entered && entered.name === s.name && entered.deadline === s.deadline) return;
      // The state just left: how long past its own deadline (or countdown) did it live?
      if (entered) {
        const due = Math.min(entered.deadline ?? Infinity, entered.countdown ?? Infinity);
        if (Number.isFinite(due)) worstOverstay = Math.max(worstOverstay, time.now() - due);
      }
      entered = { name: s.name, deadline: s.deadline, countdown: s.countdownEndsAt };
      visited.set(s.name, (visited.get(s.name) ?? 0) + 1);
    };

    let students = 0;
    for (let step = 0; students < 1_000; step++) {
      if (step > 400_000) throw new Error('the run did not finish');
      await quiet();
      note();
      const s = controller.current;
      const due = nextWakeAt(s);
      // The promise under test: a timed state always has its wake armed, never later than it is due.
      if (due !== null) {
        expect(controller.wakeAt, `no wake armed in ${s.name}`).not.toBeNull();
        expect(controller.wakeAt!).toBeLessThanOrEqual(due);
      }
      if (due !== null) expect(time.now() - due, `${s.name} outlived its deadline`).toBeLessThanOrEqual(LATE_MS);

      if (s.name === 'idle') {
        students++;
        // One scan in twenty is a code that is not on the roster (the refused screen).
        controller.dispatch({ type: 'scan', code: random() < 0.05 ? `NOPE${students}` : codes[students % codes.length]! });
        continue;
      }
      // A student on a waiting screen usually acts (after dawdling a little); otherwise they walk away.
      if (waitingStates.includes(s.name) && random() < 0.85) {
        time.pass(Math.floor(random() * 2_000));
        const pick = random();
        if (s.name === 'confirm' || s.name === 'dress' || s.name === 'receipt') controller.dispatch({ type: pick < 0.9 ? 'confirm' : 'cancel' });
        else if (s.name === 'pose') controller.dispatch({ type: pick < 0.85 ? 'capture' : 'cancel' });
        else if (s.name === 'review') controller.dispatch({ type: pick < 0.4 ? 'accept' : pick < 0.95 ? 'retake' : 'cancel' });
        else controller.dispatch({ type: 'cancel' });
        continue;
      }
      if (!time.fireNext()) throw new Error(`nothing pending in ${s.name}`);
    }
    await quiet();
    while (parts.waiting > 0) {
      time.fireNext();
      await quiet();
    }
    await controller.close();

    expect(worstOverstay).toBeLessThanOrEqual(LATE_MS);
    for (const name of ['identify', 'confirm', 'refused', 'dress', 'pose', 'countdown', 'capture', 'validate', 'review', 'store', 'receipt', 'see-staff'] as const) {
      expect(visited.get(name) ?? 0, `never visited ${name}`).toBeGreaterThan(0);
    }
  });
});
