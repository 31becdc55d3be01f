/**
 * Capture records: sessions, attempts and accepted photos, and the ordered image archive on disk.
 * An accepted photo's files are written (atomically) inside the transaction that assigns its
 * sequence number, so a number is never given to a photo whose files are not on disk; if the
 * commit then fails the files are orphans that `rig verify` reports, never rows without files.
 */
import { join, relative } from 'node:path';
import type { AcceptInput, AttemptRecord, CaptureLog, SessionOutcome, StoredPhoto } from '../app/ports/capture-log.ts';
import type { Database } from './database.ts';
import { writeFileAtomic, sha256 } from './atomic-file.ts';
import { moveAside } from './archive-files.ts';
import { recordDiscrepancy } from './discrepancy-repository.ts';
import { insertFaceDescriptor } from './identity-repository.ts';
import type { DiscrepancyField } from '../domain/discrepancy.ts';

export type { AcceptInput, AttemptRecord, SessionOutcome, StoredPhoto };

/** Roster text ends up in paths: keep it to one harmless path segment (hostile input is assumed). */
export function safeSegment(text: string): string {
  const cleaned = text
    .normalize('NFKC')
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^\.+/, '_')
    .trim()
    .slice(0, 64);
  return cleaned || '_';
}

export class CaptureRepository implements CaptureLog {
  constructor(private readonly db: Database, private readonly dataDir: string) {}

  async startSession(studentId: number | null, codeText: string, at: Date): Promise<number> {
    const r = await this.db.run('INSERT INTO capture_sessions (student_id, code_text, started_at) VALUES (?, ?, ?)', [studentId, codeText, at.toISOString()]);
    return r.lastID;
  }

  async setSessionStudent(sessionId: number, studentId: number): Promise<void> {
    await this.db.run('UPDATE capture_sessions SET student_id = ? WHERE id = ?', [studentId, sessionId]);
  }

  async endSession(sessionId: number, outcome: SessionOutcome, at: Date, reason: string | null): Promise<void> {
    await this.db.run('UPDATE capture_sessions SET ended_at = ?, outcome = ?, reason = ? WHERE id = ? AND ended_at IS NULL', [at.toISOString(), outcome, reason, sessionId]);
  }

  async recordAttempt(a: AttemptRecord): Promise<number> {
    const r = await this.db.run(
      `INSERT INTO capture_attempts (session_id, student_id, attempt_no, taken_at, profile, verdict, reasons, checks, timings, original_sha256, original_bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [a.sessionId, a.studentId, a.attemptNo, a.takenAt.toISOString(), a.profile, a.verdict, JSON.stringify(a.reasons), JSON.stringify(a.checks), JSON.stringify(a.timings), sha256(a.original), a.original.length],
    );
    return r.lastID;
  }

  /** 信息不符 reported at the confirm step (see discrepancy-repository.ts). */
  async recordDiscrepancy(d: { studentId: number; sessionId: number | null; fields: readonly DiscrepancyField[]; at: Date }): Promise<number> {
    return recordDiscrepancy(this.db, d);
  }

  /** Whether the student already has a photo that counts (not superseded by a staff override). */
  async hasAcceptedPhoto(studentId: number): Promise<boolean> {
    const row = await this.db.get<{ n: number }>('SELECT count(*) AS n FROM accepted_photos WHERE student_id = ? AND superseded_at IS NULL', [studentId]);
    return (row?.n ?? 0) > 0;
  }

  /**
   * Stores an accepted photo. When it fails after a file was written (disk full at the second file,
   * the commit refused), the written files are moved aside into `quarantine/` once the transaction
   * has rolled back, so the archive holds no file without a row and the retry finds its name free.
   */
  async accept(input: AcceptInput): Promise<StoredPhoto> {
    const rel = (p: string): string => relative(this.dataDir, p).split('\\').join('/');
    const written: string[] = [];
    try {
      return await this.insertAccepted(input, written);
    } catch (err) {
      // Best effort: what cannot be moved now, start-up recovery or `rig verify --repair` will move.
      if (written.length) await moveAside(this.dataDir, written.map(rel), input.acceptedAt).catch(() => undefined);
      throw err;
    }
  }

  private async insertAccepted(input: AcceptInput, written: string[]): Promise<StoredPhoto> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ next: number }>('SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM accepted_photos WHERE day = ? AND school_code = ?', [input.day, input.schoolCode]);
      const sequence = row?.next ?? 1;
      const dir = join(this.dataDir, 'archive', input.day, safeSegment(input.schoolCode), safeSegment(input.department));
      const name = `${String(sequence).padStart(4, '0')}-${safeSegment(input.studentNumber)}.jpg`;
      const original = await writeFileAtomic(join(dir, 'originals', name), input.original);
      written.push(original.path);
      const deliverable = await writeFileAtomic(join(dir, 'deliverables', name), input.deliverable);
      written.push(deliverable.path);
      const rel = (p: string): string => relative(this.dataDir, p).split('\\').join('/');
      const r = await tx.run(
        `INSERT INTO accepted_photos (attempt_id, student_id, day, school_code, sequence, code_text, original_path, original_sha256, original_bytes,
           deliverable_path, deliverable_sha256, deliverable_crc32, deliverable_bytes, accepted_at, makeup_certificate_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [input.attemptId, input.studentId, input.day, input.schoolCode, sequence, input.codeText, rel(original.path), original.sha256, original.bytes,
          rel(deliverable.path), deliverable.sha256, deliverable.crc32, deliverable.bytes, input.acceptedAt.toISOString(), input.makeupCertificateId ?? null],
      );
      if (input.faceDescriptor) await insertFaceDescriptor(tx, r.lastID, input.faceDescriptor);
      await tx.run(`INSERT INTO audit_log (at, actor, origin, action, target, details) VALUES (?, 'kiosk', 'local', 'photo.accept', ?, ?)`, [
        input.acceptedAt.toISOString(), String(input.studentId), JSON.stringify({ day: input.day, sequence, attemptId: input.attemptId }),
      ]);
      return { id: r.lastID, sequence, day: input.day, originalPath: rel(original.path), deliverablePath: rel(deliverable.path), originalSha256: original.sha256, deliverableSha256: deliverable.sha256 };
    });
  }
}
