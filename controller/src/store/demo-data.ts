/**
 * Demo mode's data: when the database holds no students, the invented demo roster and its slots
 * (domain/demo-roster.ts) are loaded in one transaction and the load is written to the audit log.
 */
import { createHash } from 'node:crypto';
import { demoSlots, demoStudents, type DemoStudent } from '../domain/demo-roster.ts';
import type { Database } from './database.ts';

export interface DemoLoadResult {
  loaded: boolean;
  students: DemoStudent[];
}

export async function loadDemoDataIfEmpty(db: Database, options: { schoolCode: string; today: string; tomorrow: string; now: Date }): Promise<DemoLoadResult> {
  const students = demoStudents(options.schoolCode);
  return db.transaction(async (tx) => {
    const n = (await tx.get<{ n: number }>('SELECT count(*) AS n FROM students'))?.n ?? 0;
    if (n > 0) return { loaded: false, students };
    const at = options.now.toISOString();
    for (const s of students) {
      const hash = createHash('sha256').update(JSON.stringify({ ...s, note: undefined })).digest('hex');
      await tx.run(
        `INSERT INTO students (id_number, name, gender, birth_date, school_code, education_level, major, department, class_name,
           student_number, collection_code, education_category, qualification_passed, row_hash, imported_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [s.idNumber, s.name, s.gender, s.birthDate, s.schoolCode, s.educationLevel, s.major, s.department, s.className,
          s.studentNumber, s.collectionCode, s.educationCategory, s.qualificationPassed ? 1 : 0, hash, at, at],
      );
    }
    for (const slot of demoSlots(options.today, options.tomorrow)) {
      await tx.run('INSERT INTO shoot_slots (room, department, class_name, date, start_time, end_time) VALUES (?, ?, ?, ?, ?, ?)', [
        slot.room, slot.department, slot.className, slot.date, slot.start, slot.end,
      ]);
    }
    await tx.run(`INSERT INTO audit_log (at, actor, origin, action, target, details) VALUES (?, 'kiosk', 'local', 'demo.load', NULL, ?)`, [
      at, JSON.stringify({ students: students.length }),
    ]);
    return { loaded: true, students };
  });
}
