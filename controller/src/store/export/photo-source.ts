/**
 * The accepted-photo source over the capture tables (migration 002): one school's photos of a day
 * that still count (not superseded by a retake override), joined with the roster fields.
 */
import { normaliseDiscrepancyFields } from '../../domain/discrepancy.ts';
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
  open_discrepancies: string | null;
  makeup_certificate_id: number | null;
  contact_address: string | null;
  postcode: string | null;
  contact_person: string | null;
  contact_phone: string | null;
};

const select = `SELECT a.sequence, a.day, a.code_text, a.deliverable_path, a.deliverable_sha256, a.deliverable_crc32, a.deliverable_bytes, a.accepted_at,
  s.id_number, s.name, s.gender, s.birth_date, s.school_code, s.education_level, s.major, s.department, s.class_name,
  s.student_number, s.collection_code,
  (SELECT group_concat(d.fields, ',') FROM discrepancies d WHERE d.student_id = a.student_id AND d.resolved_at IS NULL) AS open_discrepancies
  , a.makeup_certificate_id, c.contact_address, c.postcode, c.contact_person, c.contact_phone
  FROM accepted_photos a JOIN students s ON s.id = a.student_id LEFT JOIN makeup_certificates c ON c.id = a.makeup_certificate_id`;

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
    ...(r.makeup_certificate_id !== null
      ? { makeup: { certificateId: r.makeup_certificate_id, contact: { address: r.contact_address ?? '', postcode: r.postcode ?? '', person: r.contact_person ?? '', phone: r.contact_phone ?? '' } } }
      : {}),
    ...(r.open_discrepancies ? { discrepancies: normaliseDiscrepancyFields(r.open_discrepancies.split(',')) ?? [] } : {}),
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
    if (f.makeupOnly) where.push('a.makeup_certificate_id IS NOT NULL');
    params.push(f.limit ?? -1);
    const order = f.makeupOnly ? 'a.makeup_certificate_id, a.sequence' : 'a.sequence';
    const rows = await this.q.all<Row>(`${select} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`, params);
    return rows.map(toPhoto);
  }

  async get(date: string, sequence: number): Promise<AcceptedPhoto | undefined> {
    const r = await this.q.get<Row>(`${select} WHERE a.day = ? AND a.school_code = ? AND a.sequence = ?`, [date, this.schoolCode, sequence]);
    return r && toPhoto(r);
  }
}
