/**
 * Demo mode's data: when the database holds no students, the invented demo roster and its slots
 * (domain/demo-roster.ts) are loaded in one transaction and the load is written to the audit log.
 * The demo's slots then follow the calendar (`demoCalendar`): a demo started again on another day, or
 * left running past midnight, still has its students in their slot.
 */
import { createHash } from 'node:crypto';
import type { ScheduleSource } from '../app/ports/kiosk.ts';
import { demoSlots, demoStudents, type DemoStudent } from '../domain/demo-roster.ts';
import { localDate } from '../domain/local-time.ts';
import type { Database, Queryable } from './database.ts';

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
    await addMissingDemoSlots(tx, options.today, options.tomorrow);
    await tx.run(`INSERT INTO audit_log (at, actor, origin, action, target, details) VALUES (?, 'kiosk', 'local', 'demo.load', NULL, ?)`, [
      at, JSON.stringify({ students: students.length }),
    ]);
    return { loaded: true, students };
  });
}

/** Adds the demo's slots for these days where they are missing; how many were added. */
async function addMissingDemoSlots(q: Queryable, today: string, tomorrow: string): Promise<number> {
  let added = 0;
  for (const slot of demoSlots(today, tomorrow)) {
    const row = [slot.room, slot.department, slot.className, slot.date, slot.start, slot.end];
    const r = await q.run(
      `INSERT INTO shoot_slots (room, department, class_name, date, start_time, end_time)
       SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (
         SELECT 1 FROM shoot_slots WHERE room = ? AND department = ? AND class_name = ? AND date = ? AND start_time = ? AND end_time = ?)`,
      [...row, ...row],
    );
    added += r.changes;
  }
  return added;
}

/**
 * Today's and tomorrow's demo slots, added where missing, and only while the demo roster is there (a
 * real roster imported in demo mode gets no demo slots). Returns how many slots were added.
 */
export function ensureDemoSlots(db: Database, today: string, tomorrow: string): Promise<number> {
  return db.transaction(async (tx) => {
    const demo = await tx.get<{ n: number }>("SELECT count(*) AS n FROM students WHERE collection_code LIKE 'DEMO%'");
    return demo?.n ? addMissingDemoSlots(tx, today, tomorrow) : 0;
  });
}

/**
 * The demo kiosk's schedule: before a student's schedule is read on a new local day, that day's and
 * the next day's demo slots are added (`ensureDemoSlots`). Without it a demo left running overnight,
 * or started again the next day, refuses its own "today" students as outside their slot.
 */
export function demoCalendar(db: Database, timeZone: string, now: () => Date, inner: ScheduleSource, onAdded: (added: number, today: string) => void = () => undefined): ScheduleSource {
  let ensured: string | null = null;
  return {
    scheduleFor: async (student) => {
      const t = now();
      const today = localDate(t, timeZone);
      if (today !== ensured) {
        const added = await ensureDemoSlots(db, today, localDate(new Date(t.getTime() + 86_400_000), timeZone));
        ensured = today;
        if (added > 0) onAdded(added, today);
      }
      return inner.scheduleFor(student);
    },
  };
}
