/** Make-up certificates (补采证明) in SQLite; revoked ones stay, marked, for the record. */
import type { Queryable } from './database.ts';
import type { MakeupCertificate } from '../domain/schedule.ts';

interface CertificateRow {
  id: number;
  id_number: string;
  name: string;
  school_code: string;
  gender: 'M' | 'F';
  education_level: string;
  school_name: string;
  contact_address: string;
  postcode: string;
  contact_person: string;
  contact_phone: string;
  issued_at: string;
  issued_by: string;
  revoked_at: string | null;
}

function toCertificate(r: CertificateRow): MakeupCertificate {
  return {
    id: r.id,
    name: r.name,
    schoolCode: r.school_code,
    gender: r.gender,
    idNumber: r.id_number,
    educationLevel: r.education_level,
    schoolName: r.school_name,
    contact: { address: r.contact_address, postcode: r.postcode, person: r.contact_person, phone: r.contact_phone },
    issuedAt: r.issued_at,
    issuedBy: r.issued_by,
    revokedAt: r.revoked_at,
  };
}

export async function insertCertificate(q: Queryable, c: Omit<MakeupCertificate, 'id'>): Promise<MakeupCertificate> {
  const { lastID } = await q.run(
    `INSERT INTO makeup_certificates (id_number, name, school_code, gender, education_level, school_name,
       contact_address, postcode, contact_person, contact_phone, issued_at, issued_by, revoked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      c.idNumber,
      c.name,
      c.schoolCode,
      c.gender,
      c.educationLevel,
      c.schoolName,
      c.contact.address,
      c.contact.postcode,
      c.contact.person,
      c.contact.phone,
      c.issuedAt,
      c.issuedBy,
      c.revokedAt,
    ],
  );
  return { id: lastID, ...c };
}

export interface CertificateFilter {
  idNumber?: string;
  /** Include revoked certificates (default: only those in force). */
  includeRevoked?: boolean;
}

export async function listCertificates(q: Queryable, filter: CertificateFilter = {}): Promise<MakeupCertificate[]> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.idNumber !== undefined) {
    where.push('id_number = ?');
    params.push(filter.idNumber.toUpperCase());
  }
  if (!filter.includeRevoked) where.push('revoked_at IS NULL');
  const rows = await q.all<CertificateRow>(
    `SELECT * FROM makeup_certificates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
    params,
  );
  return rows.map(toCertificate);
}

/** Marks a certificate revoked; false when there is no such certificate in force. */
export async function revokeCertificate(q: Queryable, id: number, at: Date = new Date()): Promise<boolean> {
  const { changes } = await q.run('UPDATE makeup_certificates SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at.toISOString(), id]);
  return changes === 1;
}

/** The photo a certificate let through, if it has been used (the latest, when a retake override followed). */
export async function certificateCapture(q: Queryable, id: number): Promise<{ day: string; sequence: number; acceptedAt: string } | null> {
  const row = await q.get<{ day: string; sequence: number; accepted_at: string }>(
    'SELECT day, sequence, accepted_at FROM accepted_photos WHERE makeup_certificate_id = ? ORDER BY accepted_at DESC LIMIT 1', [id],
  );
  return row ? { day: row.day, sequence: row.sequence, acceptedAt: row.accepted_at } : null;
}
