/**
 * Queries behind the office pages: roster search, per-class counts, failed attempts, retake overrides. Search text is always a bound parameter, with LIKE wildcards escaped.
 */
import type { Student } from '../../domain/student.ts';
import type { Queryable } from '../database.ts';

/** What staff search shows of a student. */
export type StudentRow = Pick<Student, 'id' | 'idNumber' | 'name' | 'gender' | 'birthDate' | 'educationLevel' | 'major'
  | 'department' | 'className' | 'studentNumber' | 'collectionCode' | 'qualificationPassed'>;

const studentColumns = `id, id_number AS idNumber, name, gender, birth_date AS birthDate, education_level AS educationLevel,
  major, department, class_name AS className, student_number AS studentNumber, collection_code AS collectionCode,
  qualification_passed AS qualificationPassed`;

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchStudents(q: Queryable, text: string, limit: number): Promise<StudentRow[]> {
  const like = `%${likeEscape(text)}%`;
  const rows = await q.all<Omit<StudentRow, 'qualificationPassed'> & { qualificationPassed: number }>(
    `SELECT ${studentColumns} FROM students
     WHERE name LIKE ? ESCAPE '\\' OR id_number LIKE ? ESCAPE '\\' OR student_number LIKE ? ESCAPE '\\' OR collection_code LIKE ? ESCAPE '\\'
     ORDER BY department, class_name, student_number LIMIT ?`,
    [like, like, like, like, limit],
  );
  return rows.map((r) => ({ ...r, qualificationPassed: Boolean(r.qualificationPassed) }));
}

export async function studentByIdNumber(q: Queryable, idNumber: string): Promise<StudentRow | undefined> {
  const r = await q.get<Omit<StudentRow, 'qualificationPassed'> & { qualificationPassed: number }>(`SELECT ${studentColumns} FROM students WHERE id_number = ?`, [idNumber]);
  return r && { ...r, qualificationPassed: Boolean(r.qualificationPassed) };
}

export interface ClassRoster {
  department: string;
  className: string;
  idNumbers: string[];
  /** the class's (or department's) slot on the date, if any */
  slotEnd: string | null;
}

/** Every class with its students' ID numbers and the end of its slot on `date`. */
export async function classesWithSlots(q: Queryable, date: string): Promise<ClassRoster[]> {
  const students = await q.all<{ department: string; className: string; idNumber: string }>(
    'SELECT department, class_name AS className, id_number AS idNumber FROM students ORDER BY department, class_name',
  );
  const slots = await q.all<{ department: string | null; className: string | null; end: string }>(
    'SELECT department, class_name AS className, max(end_time) AS "end" FROM shoot_slots WHERE date = ? GROUP BY department, class_name',
    [date],
  );
  const byKey = new Map<string, ClassRoster>();
  for (const s of students) {
    const key = `${s.department}\u0000${s.className}`;
    let c = byKey.get(key);
    if (!c) {
      const slot = slots.find((x) => x.className === s.className && (x.department === null || x.department === s.department))
        ?? slots.find((x) => x.className === null && x.department === s.department);
      c = { department: s.department, className: s.className, idNumbers: [], slotEnd: slot?.end ?? null };
      byKey.set(key, c);
    }
    c.idNumbers.push(s.idNumber);
  }
  return [...byKey.values()];
}

/**
 * Allows a retake after acceptance: the student's photo that counts is marked superseded, so the
 * kiosk's "already captured" check lets them through. Returns how many photos were superseded.
 */
export async function supersedeAcceptedPhotos(q: Queryable, studentId: number, at: Date): Promise<number> {
  const r = await q.run('UPDATE accepted_photos SET superseded_at = ? WHERE student_id = ? AND superseded_at IS NULL', [at.toISOString(), studentId]);
  return r.changes;
}

/** Failed attempts per student ID number between two instants (the local day's bounds). */
export async function failedAttempts(q: Queryable, from: Date, to: Date): Promise<Map<string, number>> {
  const rows = await q.all<{ idNumber: string; n: number }>(
    `SELECT s.id_number AS idNumber, count(*) AS n FROM capture_attempts a JOIN students s ON s.id = a.student_id
     WHERE a.verdict = 'fail' AND a.taken_at >= ? AND a.taken_at < ? GROUP BY s.id_number`,
    [from.toISOString(), to.toISOString()],
  );
  return new Map(rows.map((r) => [r.idNumber, r.n]));
}
