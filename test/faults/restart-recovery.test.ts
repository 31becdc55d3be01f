import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startKioskRuntime } from '../../controller/src/server/compose.ts';
import { CaptureRepository } from '../../controller/src/store/capture-repository.ts';
import { Database } from '../../controller/src/store/database.ts';
import { loadDemoDataIfEmpty } from '../../controller/src/store/demo-data.ts';
import { fastSession, sharedEngine } from '../support/kiosk-server.ts';
import { projectRoot } from '../support/paths.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rig-recovery-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const day = '2026-06-10';
const name = '0001-20220001.jpg';
const archiveDir = join(dataDir, 'archive', day, '10000', '计算机学院');

async function openSessionWithAttempt(db: Database): Promise<{ studentId: number; attemptId: number; sessionId: number }> {
  const repo = new CaptureRepository(db, dataDir);
  const student = await db.get<{ id: number }>('SELECT id FROM students ORDER BY id LIMIT 1');
  const studentId = student?.id ?? 0;
  const sessionId = await repo.startSession(studentId, 'DEMO0001', new Date());
  const attemptId = await repo.recordAttempt({
    sessionId, studentId, attemptNo: 1, takenAt: new Date(), profile: 'chsi-2017', verdict: 'pass', reasons: [], checks: [], timings: {}, original: Buffer.from('first original'),
  });
  return { studentId, attemptId, sessionId };
}

const acceptInput = (studentId: number, attemptId: number, tag: string) => ({
  attemptId, studentId, day, schoolCode: '10000', department: '计算机学院', studentNumber: '20220001', codeText: 'DEMO0001',
  original: `${tag} original`, deliverable: `${tag} deliverable`, acceptedAt: new Date().toISOString(),
});

describe('start-up recovery after a crash between the archive write and the commit', () => {
  it('moves the orphan files aside, closes the open session as interrupted, and the retry gets the same name', async () => {
    const db = await Database.open(join(dataDir, 'rig.db'));
    await loadDemoDataIfEmpty(db, { schoolCode: '10000', today: day, tomorrow: '2026-06-11', now: new Date(`${day}T02:00:00Z`) });
    const first = await openSessionWithAttempt(db);
    await db.close();

    // The crash: a real process, SIGKILLed after both files are on disk and before COMMIT.
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/faults/support/die-before-commit.ts'), dataDir, JSON.stringify(acceptInput(first.studentId, first.attemptId, 'crashed'))], {
      cwd: projectRoot, encoding: 'utf8', timeout: 60_000,
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(readFileSync(join(archiveDir, 'deliverables', name), 'utf8')).toBe('crashed deliverable');

    // The restart, through the same start path as `rig serve`.
    const runtime = await startKioskRuntime({
      dataDir, demo: false, projectRoot, logger: pino({ level: 'silent' }), validator: await sharedEngine(),
      school: { code: '10000', name: '演示大学' }, timeZone: 'Asia/Shanghai', profile: 'chsi-2017', session: fastSession,
      camera: { failureRate: 0, captureDelayMs: 0 },
    });
    try {
      expect(runtime.recovery.interruptedSessions).toBe(1);
      expect(runtime.recovery.quarantined.map((q) => q.from)).toEqual([
        `archive/${day}/10000/计算机学院/deliverables/${name}`,
        `archive/${day}/10000/计算机学院/originals/${name}`,
      ]);
      const session = await runtime.db.get<{ outcome: string; ended_at: string | null }>('SELECT outcome, ended_at FROM capture_sessions WHERE id = ?', [first.sessionId]);
      expect(session).toMatchObject({ outcome: 'interrupted' });
      expect(session?.ended_at).not.toBeNull();
      // Kept, never deleted: the student's photo is in the quarantine folder, byte for byte.
      for (const q of runtime.recovery.quarantined) {
        expect(readFileSync(join(dataDir, q.to), 'utf8')).toMatch(/^crashed (original|deliverable)$/);
      }
      expect(existsSync(join(archiveDir, 'originals', name))).toBe(false);

      // The student's retry takes the freed name and the first sequence number.
      const retry = await openSessionWithAttempt(runtime.db);
      const repo = new CaptureRepository(runtime.db, dataDir);
      const input = acceptInput(retry.studentId, retry.attemptId, 'retried');
      const photo = await repo.accept({ ...input, original: Buffer.from(input.original), deliverable: Buffer.from(input.deliverable), acceptedAt: new Date(input.acceptedAt) });
      expect(photo.sequence).toBe(1);
      expect(photo.deliverablePath).toBe(`archive/${day}/10000/计算机学院/deliverables/${name}`);
      expect(readFileSync(join(dataDir, photo.deliverablePath), 'utf8')).toBe('retried deliverable');
      expect(readdirSync(join(archiveDir, 'deliverables'))).toEqual([name]);
      const audit = await runtime.db.get<{ details: string }>(`SELECT details FROM audit_log WHERE action = 'recovery.start'`);
      expect(JSON.parse(audit?.details ?? '{}')).toMatchObject({ interruptedSessions: 1 });
    } finally {
      await runtime.close();
    }
  });
});
