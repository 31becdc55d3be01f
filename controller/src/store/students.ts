/** The students table: the roster import's writes (batched upserts) and listing. */
import type { RosterImportContext, RosterStore, RosterWrites } from '../app/ports/roster-store.ts';
import type { ExistingStudent, RosterEntry, RosterImport } from '../domain/roster/plan.ts';
import type { Student } from '../domain/student.ts';
import { appendAudit } from './audit-log.ts';
import type { Database, Queryable, SqlValue } from './database.ts';
import { studentFromRow, type StudentRow } from './student-row.ts';

const COLUMNS = [
  'id_number', 'name', 'gender', 'birth_date', 'school_code', 'education_level', 'major', 'department',
  'class_name', 'student_number', 'collection_code', 'education_category', 'qualification_passed',
  'row_hash', 'imported_at', 'updated_at',
] as const;
// Many rows per statement: one statement per student costs a thread-pool round trip each, and
// thousands of bound parameters cost nearly as much. The rows therefore travel as one JSON text per
// batch that SQLite unpacks itself (json_each), which keeps a 20,000-row import a few statements long.
const ROWS_PER_STATEMENT = 5000;

const UPSERT = `INSERT INTO students (${COLUMNS.join(', ')})
SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) WHERE true
ON CONFLICT (id_number) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id_number' && c !== 'imported_at')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;
// (WHERE true: SQLite's grammar needs it to tell the upsert's ON CONFLICT from a join's ON.)
// imported_at and id stay as first loaded: captures refer to the student row.

function valuesOf(e: RosterEntry, now: string): SqlValue[] {
  const r = e.record;
  return [r.idNumber, r.name, r.gender, r.birthDate, r.schoolCode, r.educationLevel, r.major, r.department,
    r.className, r.studentNumber, r.collectionCode, r.educationCategory, r.qualificationPassed ? 1 : 0,
    e.rowHash, now, now];
}

async function loadExistingStudents(q: Queryable): Promise<ExistingStudent[]> {
  return q.all<ExistingStudent>(
    `SELECT id_number AS idNumber, student_number AS studentNumber, collection_code AS collectionCode, row_hash AS rowHash FROM students`,
  );
}

/** Inserts or updates rows, many per statement. Part of a transaction the caller holds. */
async function upsertStudents(tx: Queryable, entries: RosterEntry[], now: string): Promise<void> {
  for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
    const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
    await tx.run(UPSERT, [JSON.stringify(chunk.map((e) => valuesOf(e, now)))]);
  }
}

/**
 * Codes may move between students in one import: clearing the codes of the rows about to be
 * updated first keeps the UNIQUE index from seeing a momentary clash.
 */
async function clearCollectionCodes(tx: Queryable, entries: RosterEntry[]): Promise<void> {
  const ids = entries.filter((e) => e.record.collectionCode !== null).map((e) => e.record.idNumber);
  for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
    await tx.run(`UPDATE students SET collection_code = NULL WHERE id_number IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(ids.slice(i, i + ROWS_PER_STATEMENT))]);
  }
}

async function recordImportAudit(tx: Queryable, plan: RosterImport, ctx: RosterImportContext): Promise<void> {
  await appendAudit(tx, {
    actor: ctx.actor,
    origin: ctx.origin,
    action: 'roster.import',
    target: ctx.source,
    details: { added: plan.add.length, updated: plan.update.length, unchanged: plan.unchanged },
  }, new Date(ctx.now));
}

function rosterWrites(tx: Queryable): RosterWrites {
  return {
    existing: () => loadExistingStudents(tx),
    clearCollectionCodes: (entries) => clearCollectionCodes(tx, entries),
    upsert: (entries, now) => upsertStudents(tx, entries, now),
    recordImport: (plan, ctx) => recordImportAudit(tx, plan, ctx),
  };
}

/** The roster import's storage port over the students table. */
export function sqlRosterStore(db: Database): RosterStore {
  return {
    existing: () => loadExistingStudents(db),
    transaction: (work) => db.transaction((tx) => work(rosterWrites(tx))),
  };
}

export interface StudentFilter {
  className?: string;
  department?: string;
}

/** Students in roster order for staff: by department, class, student number. */
export async function listStudents(q: Queryable, filter: StudentFilter = {}): Promise<Student[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.department !== undefined) {
    where.push('department = ?');
    params.push(filter.department);
  }
  if (filter.className !== undefined) {
    where.push('class_name = ?');
    params.push(filter.className);
  }
  const rows = await q.all<StudentRow>(
    `SELECT * FROM students ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY department, class_name, student_number, id`,
    params,
  );
  return rows.map(studentFromRow);
}
