import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256, writeFileAtomic } from '../../../controller/src/store/atomic-file.ts';
import { CaptureRepository, safeSegment } from '../../../controller/src/store/capture-repository.ts';
import { Database } from '../../../controller/src/store/database.ts';
import { loadDemoDataIfEmpty } from '../../../controller/src/store/demo-data.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rig-capture-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('atomic archive writes', () => {
  it('writes the bytes with their hash and leaves no temp file', async () => {
    const dir = tempDir();
    const data = Buffer.from('a photo');
    const w = await writeFileAtomic(join(dir, 'a', 'b.jpg'), data);
    expect(readFileSync(w.path)).toEqual(data);
    expect(w.sha256).toBe(sha256(data));
    expect(readdirSync(join(dir, 'a'))).toEqual(['b.jpg']);
  });

  it('never replaces an archived file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.jpg'), 'first');
    await expect(writeFileAtomic(join(dir, 'x.jpg'), Buffer.from('second'))).rejects.toThrow(/exists/);
    expect(readFileSync(join(dir, 'x.jpg'), 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['x.jpg']);
  });

  it('keeps hostile roster text to one harmless path segment', () => {
    expect(safeSegment('../../etc')).toBe('__.._etc');
    expect(safeSegment('计算机/学院')).toBe('计算机_学院');
    expect(safeSegment('..')).toBe('_');
    expect(safeSegment('')).toBe('_');
    expect(safeSegment('a\u0000b')).toBe('a_b');
  });
});

describe('capture repository', () => {
  async function setup() {
    const dir = tempDir();
    const db = await Database.open(join(dir, 'rig.db'));
    await loadDemoDataIfEmpty(db, { schoolCode: '10000', today: '2026-06-10', tomorrow: '2026-06-11', now: new Date('2026-06-10T02:00:00Z') });
    const repo = new CaptureRepository(db, dir);
    const student = await db.get<{ id: number }>('SELECT id FROM students LIMIT 1');
    const sid = student?.id ?? 0;
    const session = await repo.startSession(sid, 'DEMO0001', new Date());
    const attempt = (n: number) => repo.recordAttempt({ sessionId: session, studentId: sid, attemptNo: n, takenAt: new Date(), profile: 'chsi-2017', verdict: 'pass', reasons: [], checks: [], timings: {}, original: Buffer.from(`o${n}`) });
    const accept = (attemptId: number, day: string, school = '10000') => repo.accept({
      attemptId, studentId: sid, day, schoolCode: school, department: '计算机学院', studentNumber: '20220001', codeText: 'DEMO0001',
      original: Buffer.from(`orig${attemptId}`), deliverable: Buffer.from(`deliv${attemptId}`), acceptedAt: new Date(),
    });
    return { db, dir, repo, sid, attempt, accept };
  }

  it('numbers accepted photos per day and per school, from 1', async () => {
    const { db, repo, sid, attempt, accept } = await setup();
    expect(await repo.hasAcceptedPhoto(sid)).toBe(false);
    const a = await accept(await attempt(1), '2026-06-10');
    const b = await accept(await attempt(2), '2026-06-10');
    const c = await accept(await attempt(3), '2026-06-11');
    const d = await accept(await attempt(4), '2026-06-10', '10001');
    expect([a.sequence, b.sequence, c.sequence, d.sequence]).toEqual([1, 2, 1, 1]);
    expect(a.deliverablePath).toBe('archive/2026-06-10/10000/计算机学院/deliverables/0001-20220001.jpg');
    expect(await repo.hasAcceptedPhoto(sid)).toBe(true);
    expect((await db.get<{ n: number }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'photo.accept'`))?.n).toBe(4);
    await db.close();
  });

  it('writes no row when the archive file cannot be written, and keeps the number free', async () => {
    const { db, dir, attempt, accept } = await setup();
    // A file squatting on the archive path: the write is refused, the transaction rolls back.
    const target = join(dir, 'archive', '2026-06-10', '10000', '计算机学院', 'originals');
    await writeFileAtomic(join(target, '0001-20220001.jpg'), Buffer.from('squatter'));
    await expect(accept(await attempt(1), '2026-06-10')).rejects.toThrow(/exists/);
    expect((await db.get<{ n: number }>('SELECT count(*) AS n FROM accepted_photos'))?.n).toBe(0);
    await db.close();
  });
});
