import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureRepository } from '../../controller/src/store/capture-repository.ts';
import { Database } from '../../controller/src/store/database.ts';
import { loadDemoDataIfEmpty } from '../../controller/src/store/demo-data.ts';
import type { VerifyReport } from '../../controller/src/store/verify.ts';
import { rigInProcess } from '../support/rig.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-verify-'));
const day = '2026-06-10';
const verify = async (...args: string[]) => {
  const r = await rigInProcess(['--data', dir, 'verify', ...args]);
  return { code: r.code, stdout: r.stdout, report: args.includes('--json') ? (JSON.parse(r.stdout) as VerifyReport) : null };
};
const codes = (r: VerifyReport | null) => (r?.problems ?? []).map((p) => `${p.code} ${p.path ?? ''}`.trim()).sort();

const paths: Array<{ original: string; deliverable: string }> = [];

beforeAll(async () => {
  const db = await Database.open(join(dir, 'rig.db'));
  await loadDemoDataIfEmpty(db, { schoolCode: '10000', today: day, tomorrow: '2026-06-11', now: new Date(`${day}T02:00:00Z`) });
  const repo = new CaptureRepository(db, dir);
  const students = await db.all<{ id: number; student_number: string }>('SELECT id, student_number FROM students ORDER BY id LIMIT 3');
  for (const s of students) {
    const session = await repo.startSession(s.id, s.student_number, new Date());
    const attemptId = await repo.recordAttempt({ sessionId: session, studentId: s.id, attemptNo: 1, takenAt: new Date(), profile: 'chsi-2017', verdict: 'pass', reasons: [], checks: [], timings: {}, original: Buffer.from('o') });
    const p = await repo.accept({
      attemptId, studentId: s.id, day, schoolCode: '10000', department: '计算机学院', studentNumber: s.student_number, codeText: s.student_number,
      original: Buffer.from(`original of ${s.id} `.repeat(50)), deliverable: Buffer.from(`deliverable of ${s.id} `.repeat(40)), acceptedAt: new Date(),
    });
    await repo.endSession(session, 'stored', new Date(), null);
    paths.push({ original: p.originalPath, deliverable: p.deliverablePath });
  }
  await db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rig verify', () => {
  it('finds a consistent store clean: exit 0, every file checked', async () => {
    const r = await verify('--json');
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ ok: true, checked: { photos: 3, files: 6, archiveFiles: 6, sequences: 1 }, problems: [] });
    const human = await verify();
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/数据库与照片存档一致：3 张照片，6 个文件/);
  });

  it('reports a damaged, a truncated and a missing file, and an orphan; exit 1', async () => {
    const [a, b, c] = paths as [typeof paths[0], typeof paths[0], typeof paths[0]];
    const deliverable = join(dir, a.deliverable);
    const bytes = readFileSync(deliverable);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    writeFileSync(deliverable, bytes);
    truncateSync(join(dir, b.original), 5);
    unlinkSync(join(dir, c.deliverable));
    writeFileSync(join(dir, 'archive', day, 'stray.jpg'), 'no row names me');
    const r = await verify('--json');
    expect(r.code).toBe(1);
    expect(r.report?.ok).toBe(false);
    expect(codes(r.report)).toEqual([
      `verify.archive.orphan archive/${day}/stray.jpg`,
      `verify.file.crc32 ${a.deliverable}`,
      `verify.file.missing ${c.deliverable}`,
      `verify.file.size ${b.original}`,
    ]);
    for (const p of r.report?.problems ?? []) expect(p.detail).not.toBe('');
    const human = await verify();
    expect(human.stdout).toMatch(/发现 4 处问题/);
    expect(human.stdout).toMatch(/文件校验值（CRC-32）与记录不符/);
  });

  it('with --repair moves the orphan into the quarantine folder (kept), leaving the other problems', async () => {
    const r = await verify('--repair', '--json');
    expect(r.code).toBe(1);
    expect(r.report?.repaired).toEqual([expect.objectContaining({ code: 'verify.archive.orphan', path: `archive/${day}/stray.jpg` })]);
    const moved = /moved to (.*)$/.exec(r.report?.repaired[0]?.detail ?? '')?.[1] ?? '';
    expect(moved).toMatch(new RegExp(`^quarantine/.+/archive/${day}/stray\\.jpg$`));
    expect(readFileSync(join(dir, moved), 'utf8')).toBe('no row names me');
    expect(existsSync(join(dir, 'archive', day, 'stray.jpg'))).toBe(false);
    expect(codes(r.report).some((c) => c.startsWith('verify.archive.orphan'))).toBe(false);
    expect(codes(r.report)).toHaveLength(3);
  });

  it('reports gaps in the sequence numbers and rows whose student is gone', async () => {
    const db = await Database.open(join(dir, 'rig.db'));
    await db.run('DELETE FROM accepted_photos WHERE sequence = 2');
    await db.exec('PRAGMA foreign_keys = OFF');
    await db.run(`INSERT INTO capture_sessions (student_id, code_text, started_at, ended_at, outcome) VALUES (99999, 'X', '2026-06-10T01:00:00Z', '2026-06-10T01:01:00Z', 'cancelled')`);
    await db.close();
    const r = await verify('--json');
    expect(r.code).toBe(1);
    const found = codes(r.report);
    expect(found).toContain('verify.sequence.gap');
    expect(found).toContain('verify.db.foreign_key');
    expect(r.report?.problems.find((p) => p.code === 'verify.sequence.gap')?.detail).toMatch(/missing 2 \(highest 3\)/);
    // The deleted row's files are now orphans.
    expect(found).toContain(`verify.archive.orphan ${paths[1]?.deliverable}`);
  });
});
