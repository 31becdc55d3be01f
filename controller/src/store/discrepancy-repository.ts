/** 信息不符 reports in SQLite: recorded by the kiosk, listed and resolved by staff. */
import type { Discrepancy, DiscrepancyField } from '../domain/discrepancy.ts';
import type { Queryable } from './database.ts';

interface Row {
  id: number;
  student_id: number;
  fields: string;
  reported_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  note: string | null;
}

function toDiscrepancy(r: Row): Discrepancy {
  return {
    id: r.id, studentId: r.student_id, fields: r.fields.split(',') as DiscrepancyField[], reportedAt: r.reported_at,
    resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, note: r.note,
  };
}

export async function recordDiscrepancy(
  q: Queryable,
  d: { studentId: number; sessionId: number | null; fields: readonly DiscrepancyField[]; at: Date },
): Promise<number> {
  const r = await q.run('INSERT INTO discrepancies (student_id, session_id, fields, reported_at) VALUES (?, ?, ?, ?)', [
    d.studentId, d.sessionId, d.fields.join(','), d.at.toISOString(),
  ]);
  return r.lastID;
}

/** A report with the student's roster fields, for the staff list and the office's spreadsheet. */
export interface DiscrepancyListing extends Discrepancy {
  student: { name: string; idNumber: string; gender: 'M' | 'F'; birthDate: string; major: string; department: string; className: string; studentNumber: string; schoolCode: string };
}

export async function listDiscrepancies(q: Queryable, filter: { open?: boolean } = {}): Promise<DiscrepancyListing[]> {
  const rows = await q.all<Row & { name: string; id_number: string; gender: 'M' | 'F'; birth_date: string; major: string; department: string; class_name: string; student_number: string; school_code: string }>(
    `SELECT d.*, s.name, s.id_number, s.gender, s.birth_date, s.major, s.department, s.class_name, s.student_number, s.school_code
     FROM discrepancies d JOIN students s ON s.id = d.student_id
     ${filter.open === undefined ? '' : filter.open ? 'WHERE d.resolved_at IS NULL' : 'WHERE d.resolved_at IS NOT NULL'}
     ORDER BY d.reported_at, d.id`,
  );
  return rows.map((r) => ({
    ...toDiscrepancy(r),
    student: {
      name: r.name, idNumber: r.id_number, gender: r.gender, birthDate: r.birth_date, major: r.major, department: r.department,
      className: r.class_name, studentNumber: r.student_number, schoolCode: r.school_code,
    },
  }));
}

export async function findDiscrepancy(q: Queryable, id: number): Promise<Discrepancy | undefined> {
  const row = await q.get<Row>('SELECT * FROM discrepancies WHERE id = ?', [id]);
  return row ? toDiscrepancy(row) : undefined;
}

/** Marks an open report resolved; false when there is no such open report. */
export async function resolveDiscrepancy(q: Queryable, id: number, by: string, note: string, at: Date): Promise<boolean> {
  const r = await q.run('UPDATE discrepancies SET resolved_at = ?, resolved_by = ?, note = ? WHERE id = ? AND resolved_at IS NULL', [at.toISOString(), by, note, id]);
  return r.changes === 1;
}

/** Open reports' fields per student, for the batch manifest's column. */
export async function openDiscrepancyFields(q: Queryable): Promise<Map<number, DiscrepancyField[]>> {
  const rows = await q.all<{ student_id: number; fields: string }>('SELECT student_id, fields FROM discrepancies WHERE resolved_at IS NULL ORDER BY id');
  const out = new Map<number, DiscrepancyField[]>();
  for (const r of rows) {
    const seen = new Set([...(out.get(r.student_id) ?? []), ...(r.fields.split(',') as DiscrepancyField[])]);
    out.set(r.student_id, [...seen]);
  }
  return out;
}
