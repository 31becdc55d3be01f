/**
 * A failed write or lookup must not end the kiosk service: the session ends or resumes with a coded
 * notice, the failure is logged, and the next student is served. (An unawaited session insert once
 * ended `rig serve` with an unhandled rejection; vitest fails a file on any unhandled rejection.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskStateName } from '../../controller/src/domain/capture-session.ts';
import { localDate } from '../../controller/src/domain/local-time.ts';
import type { SessionOutcome } from '../../controller/src/domain/capture-session-types.ts';
import { defaultSessionSettings } from '../../controller/src/server/compose.ts';
import { KioskController } from '../../controller/src/app/kiosk/kiosk-controller.ts';
import { CaptureRepository } from '../../controller/src/store/capture-repository.ts';
import { Database } from '../../controller/src/store/database.ts';
import { loadDemoDataIfEmpty } from '../../controller/src/store/demo-data.ts';
import { findProfile } from '../../controller/src/domain/photo/profiles.ts';
import { SqlStudentDirectory } from '../../controller/src/store/student-lookup.ts';
import { SimulatedRig } from '../../firmware-bridge/src/simulated-rig.ts';
import { SimulatedCamera } from '../../controller/src/camera/simulated-camera.ts';
import { loadDemoSubject } from '../../controller/src/camera/demo-subject.ts';
import { projectRoot } from '../support/paths.ts';

/** The real repository with switches that make its writes fail the way a full or broken disk does. */
class FlakyCaptures extends CaptureRepository {
  failStart = false;
  failEnd = false;
  override async startSession(studentId: number | null, code: string, at: Date): Promise<number> {
    if (this.failStart) throw Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });
    return super.startSession(studentId, code, at);
  }
  override async endSession(id: number, outcome: SessionOutcome, at: Date, reason: string | null): Promise<void> {
    if (this.failEnd) throw new Error('SQLITE_IOERR');
    return super.endSession(id, outcome, at, reason);
  }
}

describe('kiosk effects that fail', () => {
  let dir: string;
  let db: Database;
  let captures: FlakyCaptures;
  let controller: KioskController;
  let code: string;
  let logLines: string[];
  let eligibilityThrows = false;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rig-effects-'));
    db = await Database.open(join(dir, 'rig.db'));
    const now = new Date();
    const r = await loadDemoDataIfEmpty(db, { schoolCode: '10000', today: localDate(now, 'Asia/Shanghai'), tomorrow: localDate(new Date(now.getTime() + 86_400_000), 'Asia/Shanghai'), now });
    code = r.students[0]!.idNumber;
    captures = new FlakyCaptures(db, dir);
    logLines = [];
    eligibilityThrows = false;
    const subject = await loadDemoSubject(join(projectRoot, 'config', 'demo-subject.png'));
    controller = new KioskController({
      camera: new SimulatedCamera({ subject, lightLevel: () => 1, failureRate: 0, captureDelayMs: 0 }),
      rig: new SimulatedRig(),
      validator: { validate: async () => { throw new Error('not used'); }, profile: (id) => findProfile(id), close: async () => undefined },
      directory: new SqlStudentDirectory(db),
      eligibility: { check: async () => { if (eligibilityThrows) throw new Error('schedule table locked'); return { allowed: true }; } },
      captures,
      logger: pino({ level: 'info' }, { write: (line: string) => { logLines.push(line); } }),
      drivers: { camera: { driver: 'simulated', simulated: true, reason: 'configured' }, rig: { driver: 'simulated', simulated: true, reason: 'configured' } },
      settings: { session: defaultSessionSettings, profile: 'chsi-2017', timeZone: 'Asia/Shanghai', schoolName: '演示大学', demo: true },
    });
  });
  afterEach(async () => {
    await controller.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settle = async (): Promise<KioskStateName> => {
    await controller.settled();
    return controller.current.name;
  };

  it('a session row that cannot be written refuses the scan with a notice, and the next scan works', async () => {
    captures.failStart = true;
    controller.dispatch({ type: 'scan', code });
    expect(await settle()).toBe('refused');
    expect(controller.view()).toMatchObject({ state: 'refused' });
    expect(controller.current.notice?.code).toBe('kiosk.identify.failed');
    expect(logLines.join('')).toContain('SQLITE_FULL');
    controller.dispatch({ type: 'cancel' });
    captures.failStart = false;
    controller.dispatch({ type: 'scan', code });
    expect(await settle()).toBe('confirm');
  });

  it('eligibility rules that throw end in the same refusal, not a frozen identify screen', async () => {
    eligibilityThrows = true;
    controller.dispatch({ type: 'scan', code });
    expect(await settle()).toBe('refused');
    expect(controller.current.notice?.code).toBe('kiosk.identify.failed');
  });

  it('a session end that cannot be written is logged and the kiosk serves the next student', async () => {
    controller.dispatch({ type: 'scan', code });
    expect(await settle()).toBe('confirm');
    captures.failEnd = true;
    controller.dispatch({ type: 'cancel' });
    expect(await settle()).toBe('idle');
    expect(logLines.join('')).toContain('SQLITE_IOERR');
    captures.failEnd = false;
    controller.dispatch({ type: 'scan', code });
    expect(await settle()).toBe('confirm');
  });

  it('close() waits for an effect started while closing', async () => {
    controller.dispatch({ type: 'scan', code });
    // The lookup is still running when close begins; its answer ends in a write of its own.
    const closing = controller.close();
    await closing;
    expect(controller.pendingEffects).toBe(0);
  });
});
