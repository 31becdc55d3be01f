/**
 * The accepted-photo source over the capture tables (migration 002): one school's photos of a day
 * that still count (not superseded by a retake override), joined with the roster fields.
 */
import type { Queryable } from '../database.ts';
import type { StudentRow } from '../student-row.ts';
import type { AcceptedPhoto, AcceptedPhotoSource, PhotoFilter } from '../../app/ports/accepted-photos.ts';

/** An accepted photo joined with the roster columns the manifest carries. */
type Row = Omit<StudentRow, 'id' | 'education_category' | 'qualification_passed'> & {
  sequence: number;
  day: string;
  code_text: string;
  deliverable_path: string;
  deliverable_sha256: string;
  deliverable_crc32: number | null;
  deliverable_bytes: number;
  accepted_at: string;
};

const select = `SELECT a.sequence, a.day, a.code_text, a.deliverable_path, a.deliverable_sha256, a.deliverable_crc32, a.deliverable_bytes, a.accepted_at,
  s.id_number, s.name, s.gender, s.birth_date, s.school_code, s.education_level, s.major, s.department, s.class_name,
  s.student_number, s.collection_code
  FROM accepted_photos a JOIN students s ON s.id = a.student_id`;

function toPhoto(r: Row): AcceptedPhoto {
  return {
    sequence: r.sequence,
    date: r.day,
    codeText: r.code_text,
    deliverablePath: r.deliverable_path,
    sha256: r.deliverable_sha256,
    crc32: r.deliverable_crc32,
    bytes: r.deliverable_bytes,
    acceptedAt: r.accepted_at,
    student: {
      idNumber: r.id_number, name: r.name, gender: r.gender, birthDate: r.birth_date, schoolCode: r.school_code,
      educationLevel: r.education_level, major: r.major, department: r.department, className: r.class_name,
      studentNumber: r.student_number, collectionCode: r.collection_code,
    },
  };
}

export class SqlPhotoSource implements AcceptedPhotoSource {
  /** `schoolCode`: sequence numbers are per day and per school, so a source serves one school. */
  constructor(private readonly q: Queryable, private readonly schoolCode: string) {}

  async list(f: PhotoFilter): Promise<AcceptedPhoto[]> {
    const where = ['a.day = ?', 'a.school_code = ?', 'a.superseded_at IS NULL'];
    const params: Array<string | number> = [f.date, this.schoolCode];
    if (f.department !== undefined) { where.push('s.department = ?'); params.push(f.department); }
    if (f.className !== undefined) { where.push('s.class_name = ?'); params.push(f.className); }
    if (f.afterSequence !== undefined) { where.push('a.sequence > ?'); params.push(f.afterSequence); }
    params.push(f.limit ?? -1);
    const rows = await this.q.all<Row>(`${select} WHERE ${where.join(' AND ')} ORDER BY a.sequence LIMIT ?`, params);
    return rows.map(toPhoto);
  }

  async get(date: string, sequence: number): Promise<AcceptedPhoto | undefined> {
    const r = await this.q.get<Row>(`${select} WHERE a.day = ? AND a.school_code = ? AND a.sequence = ?`, [date, this.schoolCode, sequence]);
    return r && toPhoto(r);
  }
}
