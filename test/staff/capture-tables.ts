/** Accepted photos in the capture tables (migration 002), with their sessions and attempts, for the staff tests. */
import type { Database } from '../../controller/src/store/database.ts';
import type { AcceptedPhoto } from '../../controller/src/app/ports/accepted-photos.ts';

async function studentId(db: Database, idNumber: string): Promise<number> {
  const row = await db.get<{ id: number }>('SELECT id FROM students WHERE id_number = ?', [idNumber]);
  if (!row) throw new Error(`student ${idNumber} not on the roster`);
  return row.id;
}

/** One session and attempt per failure, then the passing attempt and its accepted photo. */
export async function recordCaptures(db: Database, photos: AcceptedPhoto[], schoolCode: string, failuresEach = 0): Promise<void> {
  for (const p of photos) {
    const sid = await studentId(db, p.student.idNumber);
    const session = await db.run('INSERT INTO capture_sessions (student_id, code_text, started_at) VALUES (?, ?, ?)', [sid, p.codeText ?? '', p.acceptedAt]);
    let attemptId = 0;
    for (let n = 1; n <= failuresEach + 1; n++) {
      const r = await db.run(
        `INSERT INTO capture_attempts (session_id, student_id, attempt_no, taken_at, profile, verdict, reasons, checks, timings, original_sha256, original_bytes)
         VALUES (?, ?, ?, ?, 'chsi-2017', ?, '[]', '{}', '{}', ?, 1)`,
        [session.lastID, sid, n, p.acceptedAt, n <= failuresEach ? 'fail' : 'pass', p.sha256],
      );
      attemptId = r.lastID;
    }
    await db.run(
      `INSERT INTO accepted_photos (attempt_id, student_id, day, school_code, sequence, code_text, original_path, original_sha256, original_bytes,
         deliverable_path, deliverable_sha256, deliverable_crc32, deliverable_bytes, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [attemptId, sid, p.date, schoolCode, p.sequence, p.codeText ?? '', p.deliverablePath, p.sha256, p.bytes, p.deliverablePath, p.sha256, p.crc32, p.bytes, p.acceptedAt],
    );
  }
}
