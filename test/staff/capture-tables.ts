/**
 * Accepted photos in the real capture tables, for the staff tests. Before the kiosk's migration 002
 * is merged this creates the columns the staff service reads (IF NOT EXISTS: a no-op afterwards).
 */
import type { Database } from '../../controller/src/store/database.ts';
import type { AcceptedPhoto } from '../../controller/src/store/export/accepted-photos.ts';

export async function ensureCaptureTables(db: Database): Promise<void> {
  await db.exec(`
CREATE TABLE IF NOT EXISTS capture_sessions (id INTEGER PRIMARY KEY, student_id INTEGER, code_text TEXT NOT NULL, started_at TEXT NOT NULL,
  ended_at TEXT, outcome TEXT, reason TEXT);
CREATE TABLE IF NOT EXISTS capture_attempts (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, student_id INTEGER NOT NULL,
  attempt_no INTEGER NOT NULL, taken_at TEXT NOT NULL, profile TEXT NOT NULL, verdict TEXT NOT NULL, reasons TEXT NOT NULL,
  checks TEXT NOT NULL, timings TEXT NOT NULL, original_sha256 TEXT NOT NULL, original_bytes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accepted_photos (id INTEGER PRIMARY KEY, attempt_id INTEGER NOT NULL UNIQUE, student_id INTEGER NOT NULL,
  day TEXT NOT NULL, school_code TEXT NOT NULL, sequence INTEGER NOT NULL, code_text TEXT NOT NULL, original_path TEXT NOT NULL,
  original_sha256 TEXT NOT NULL, original_bytes INTEGER NOT NULL, deliverable_path TEXT NOT NULL, deliverable_sha256 TEXT NOT NULL,
  deliverable_bytes INTEGER NOT NULL, accepted_at TEXT NOT NULL, superseded_at TEXT, UNIQUE (day, school_code, sequence));
`);
}

async function studentId(db: Database, idNumber: string): Promise<number> {
  const row = await db.get<{ id: number }>('SELECT id FROM students WHERE id_number = ?', [idNumber]);
  if (!row) throw new Error(`student ${idNumber} not on the roster`);
  return row.id;
}

/** One session and attempt per failure, then the passing attempt and its accepted photo. */
export async function recordCaptures(db: Database, photos: AcceptedPhoto[], schoolCode: string, failuresEach = 0): Promise<void> {
  await ensureCaptureTables(db);
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
         deliverable_path, deliverable_sha256, deliverable_bytes, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [attemptId, sid, p.date, schoolCode, p.sequence, p.codeText ?? '', p.deliverablePath, p.sha256, p.bytes, p.deliverablePath, p.sha256, p.bytes, p.acceptedAt],
    );
  }
}
