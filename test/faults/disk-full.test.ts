/**
 * Disk full: the data folder on a small tmpfs mounted by the test (root needed; without it the suite
 * fails and says so). Capture is refused with a reason the student understands and staff can see,
 * a save that runs out of space leaves no file behind, and the kiosk recovers by itself when space
 * returns.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message } from '../../controller/src/domain/messages/index.ts';
import type { ApiError } from '../../controller/src/server/errors.ts';
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';
import { listArchiveFiles } from '../../controller/src/store/archive-files.ts';
import { CaptureRepository } from '../../controller/src/store/capture-repository.ts';
import { verifyStore } from '../../controller/src/store/verify.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';

const MB = 1048576;
const mountPoint = mkdtempSync(join(tmpdir(), 'rig-disk-full-'));
let mounted = false;
let k: TestKiosk;
const fillers: string[] = [];

function free(): number {
  const s = statfsSync(mountPoint);
  return s.bavail * s.bsize;
}

/** Writes zeros until only `leave` bytes are free (0: until the filesystem refuses). */
function fill(leave: number): void {
  const file = join(mountPoint, `filler-${fillers.length}`);
  fillers.push(file);
  const fd = openSync(file, 'w');
  try {
    for (const chunk of [MB, 4096, 512]) {
      const buf = Buffer.alloc(chunk);
      try {
        while (free() - chunk >= leave) writeSync(fd, buf);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

function unfill(): void {
  for (const f of fillers.splice(0)) unlinkSync(f);
}

async function waitRig(k: TestKiosk, full: boolean): Promise<KioskView> {
  for (let i = 0; i < 400; i++) {
    const v = (await k.api('GET', '/api/kiosk/state')).body;
    if (v.rig.reasons.includes('storage.full') === full) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the kiosk never reported storage ${full ? 'full' : 'available'}`);
}

async function toPose(code: string): Promise<void> {
  expect((await k.api('POST', '/api/kiosk/scan', { code })).status).toBe(200);
  await k.waitFor('confirm');
  expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('dress');
  expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');
}

/** Shoots until a photo passes (the simulated subject now and then sits too far back: a retake, as at the real kiosk). */
async function shoot(): Promise<void> {
  expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
  const review = (await k.waitFor('review')).session?.review;
  expect(review?.verdict, JSON.stringify(review?.findings.map((f) => f.reason))).toBe('pass');
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('the disk-full suite mounts a small tmpfs and needs root: run npm test as root');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=48m,mode=0700', 'rig-disk-full', mountPoint], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not mount a tmpfs for the disk-full suite: ${r.stderr || r.error?.message}`);
  mounted = true;
  k = await startTestKiosk({ dataDir: mountPoint, storage: { minFreeBytes: 16 * MB, checkMs: 50 }, session: { retakeLimit: 10 } });
});

afterAll(async () => {
  await k?.close();
  if (mounted) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

const student = (i: number) => k.runtime.demoStudents[i] as NonNullable<(typeof k.runtime.demoStudents)[number]>;

describe('disk full', () => {
  it('stores normally while there is room', async () => {
    await toPose(student(0).collectionCode);
    await shoot();
    await k.api('POST', '/api/kiosk/accept');
    expect((await k.waitFor('receipt')).session?.receipt?.sequence).toBe(1);
    await k.api('POST', '/api/kiosk/confirm');
    await k.waitFor('idle');
  });

  it('refuses capture when space runs low, with a reason for the student and an audit row for staff', async () => {
    fill(8 * MB);
    await waitRig(k, true);
    await toPose(student(1).collectionCode);
    const r = await k.api<ApiError>('POST', '/api/kiosk/capture');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('kiosk.rig.not_ready');
    expect(r.body.error.details).toMatchObject({ reasons: ['storage.full'] });
    expect(message('storage.full', 'zh')).toMatch(/存储空间已满.*请联系工作人员/);
    expect(message('storage.full', 'en')).toMatch(/storage is full/);
    const audit = await k.runtime.db.get<{ details: string }>(`SELECT details FROM audit_log WHERE action = 'storage.low' ORDER BY id DESC`);
    expect(JSON.parse(audit?.details ?? '{}')).toMatchObject({ dataDir: mountPoint });
    expect((await k.api('GET', '/api/kiosk/state')).body.state).toBe('pose');
  });

  it('allows capture again by itself once space returns', async () => {
    unfill();
    await waitRig(k, false);
    await shoot();
  });

  it('a save that runs out of space leaves no file, tells the student to see staff, and the retry succeeds', async () => {
    fill(0);
    expect((await k.api('POST', '/api/kiosk/accept')).status).toBe(200);
    const v = await k.waitFor('see-staff');
    expect(v.notice?.code).toBe('kiosk.store.failed');
    expect(await listArchiveFiles(k.dataDir)).toHaveLength(2);
    await k.api('POST', '/api/kiosk/cancel');
    await k.waitFor('idle');

    unfill();
    await waitRig(k, false);
    await toPose(student(1).collectionCode);
    await shoot();
    await k.api('POST', '/api/kiosk/accept');
    expect((await k.waitFor('receipt')).session?.receipt?.sequence).toBe(2);
    await k.api('POST', '/api/kiosk/confirm');
  });

  it('a second file that does not fit moves the first aside: the archive holds no file without a row', async () => {
    const repo = new CaptureRepository(k.runtime.db, k.dataDir);
    const s = await k.runtime.db.get<{ id: number }>('SELECT id FROM students WHERE student_number = ?', [student(2).studentNumber]);
    const sessionId = await repo.startSession(s?.id ?? 0, 'X', new Date());
    const attemptId = await repo.recordAttempt({ sessionId, studentId: s?.id ?? 0, attemptNo: 1, takenAt: new Date(), profile: 'chsi-2017', verdict: 'pass', reasons: [], checks: [], timings: {}, original: Buffer.from('o') });
    fill(3 * MB);
    const input = {
      attemptId, studentId: s?.id ?? 0, day: '2026-06-10', schoolCode: '10000', department: '计算机学院', studentNumber: student(2).studentNumber,
      codeText: 'X', original: Buffer.alloc(1 * MB, 1), deliverable: Buffer.alloc(4 * MB, 2), acceptedAt: new Date(),
    };
    await expect(repo.accept(input)).rejects.toMatchObject({ code: 'ENOSPC' });
    const files = await listArchiveFiles(k.dataDir);
    expect(files.filter((f) => f.includes('2026-06-10'))).toEqual([]);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    // The original that did fit is kept, aside: a student's photo is never deleted.
    const kept = readdirSync(join(k.dataDir, 'quarantine'), { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('originals') && f.endsWith('.jpg'));
    expect(kept).toHaveLength(1);
    expect(statSync(join(k.dataDir, 'quarantine', kept[0] ?? '')).size).toBe(MB);
    unfill();
    const report = await verifyStore(k.runtime.db, k.dataDir, { repair: false });
    expect(report.problems).toEqual([]);
    // Space back: the same name is free for the retry.
    expect((await repo.accept(input)).sequence).toBe(1);
  });
});
