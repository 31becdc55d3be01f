/** Finds a roster entry by what a student scans or types: 采集码, ID number, or student number. */
import type { StudentDirectory } from '../app/ports/kiosk.ts';
import type { Student } from '../domain/student.ts';
import type { Queryable } from './database.ts';
import { studentFromRow as toStudent, type StudentRow } from './student-row.ts';

export class SqlStudentDirectory implements StudentDirectory {
  constructor(private readonly db: Queryable) {}

  /**
   * The code is already normalised (NFKC, upper case). 采集码 and ID numbers are unique; a student
   * number may repeat across schools, so it only matches when exactly one student has it.
   */
  async findByCode(code: string): Promise<Student | null> {
    const exact = await this.db.get<StudentRow>('SELECT * FROM students WHERE collection_code = ? OR id_number = ? LIMIT 1', [code, code]);
    if (exact) return toStudent(exact);
    const byNumber = await this.db.all<StudentRow>('SELECT * FROM students WHERE student_number = ? LIMIT 2', [code]);
    return byNumber.length === 1 && byNumber[0] ? toStudent(byNumber[0]) : null;
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM students'))?.n ?? 0;
  }
}
