/**
 * Face descriptors of accepted photos and the captures held for staff (migration 010). Descriptors
 * are stored as 128 little-endian float32 (512 bytes). The faces of a school are kept in memory after
 * the first read, checked against the table by a one-row stamp per capture, so the same-face check
 * costs a scan of numbers, not a read of every descriptor.
 */
import type { FaceDescriptorRecord, FaceRegistry, HoldInput } from '../app/ports/face-registry.ts';
import type { ReferenceFace, ReferenceFaceStore } from '../app/ports/reference-faces.ts';
import type { AcceptedFace, FaceMatch } from '../domain/identity/face-match.ts';
import type { Database, Queryable } from './database.ts';
import { sqlAuditTrail } from './audit-log.ts';
import { SqlStudentDirectory } from './student-lookup.ts';

export const DESCRIPTOR_BYTES = 512;

export function descriptorBlob(values: ArrayLike<number>): Buffer {
  if (values.length * 4 !== DESCRIPTOR_BYTES) throw new RangeError(`a face descriptor has 128 numbers, not ${values.length}`);
  const buf = Buffer.alloc(DESCRIPTOR_BYTES);
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i] ?? 0, i * 4);
  return buf;
}

export function blobDescriptor(blob: Buffer): Float32Array {
  const out = new Float32Array(blob.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = blob.readFloatLE(i * 4);
  return out;
}

/** Stores an accepted photo's descriptor (inside the transaction that accepts the photo). */
export async function insertFaceDescriptor(q: Queryable, photoId: number, d: FaceDescriptorRecord): Promise<void> {
  await q.run('INSERT INTO face_descriptors (photo_id, model, descriptor) VALUES (?, ?, ?)', [photoId, d.model, descriptorBlob(d.values)]);
}

interface CachedFaces {
  faces: AcceptedFace[];
  /** rows in force and the newest photo id when `faces` was read: the cache's stamp */
  count: number;
  last: number;
}

export class IdentityRepository implements FaceRegistry {
  /** school code + model -> faces, with the stamp they were read at */
  private readonly cache = new Map<string, CachedFaces>();

  constructor(private readonly db: Database) {}

  /**
   * The faces in force, from the cache when its stamp (count and newest id of the rows in force) still
   * holds; photos accepted since (by this kiosk or by staff) are read alone; anything else (a photo
   * superseded) reads the list again.
   */
  async acceptedFaces(schoolCode: string, model: string): Promise<AcceptedFace[]> {
    const key = `${schoolCode}\u0000${model}`;
    const stamp = await this.db.get<{ n: number; last: number }>(
      `SELECT count(*) AS n, COALESCE(MAX(f.photo_id), 0) AS last FROM face_descriptors f JOIN accepted_photos p ON p.id = f.photo_id
       WHERE p.school_code = ? AND p.superseded_at IS NULL AND f.model = ?`,
      [schoolCode, model],
    );
    const count = stamp?.n ?? 0, last = stamp?.last ?? 0;
    const cached = this.cache.get(key);
    if (cached && cached.count === count && cached.last === last) return cached.faces;
    if (cached && last > cached.last) {
      const added = await this.read(schoolCode, model, cached.last);
      if (cached.count + added.length === count) {
        const entry = { faces: [...cached.faces, ...added], count, last };
        this.cache.set(key, entry);
        return entry.faces;
      }
    }
    const faces = await this.read(schoolCode, model, 0);
    this.cache.set(key, { faces, count: faces.length, last: faces.reduce((m, f) => Math.max(m, f.photoId), 0) });
    return faces;
  }

  private async read(schoolCode: string, model: string, after: number): Promise<AcceptedFace[]> {
    const rows = await this.db.all<{ photo_id: number; student_id: number; descriptor: Buffer }>(
      `SELECT f.photo_id, p.student_id, f.descriptor FROM face_descriptors f JOIN accepted_photos p ON p.id = f.photo_id
       WHERE p.school_code = ? AND p.superseded_at IS NULL AND f.model = ? AND f.photo_id > ? ORDER BY f.photo_id`,
      [schoolCode, model, after],
    );
    return rows.map((r) => ({ photoId: r.photo_id, studentId: r.student_id, descriptor: blobDescriptor(r.descriptor) }));
  }

  async referenceFace(studentId: number, model: string): Promise<Float32Array | null> {
    const r = await this.db.get<{ descriptor: Buffer }>('SELECT descriptor FROM reference_faces WHERE student_id = ? AND model = ?', [studentId, model]);
    return r ? blobDescriptor(r.descriptor) : null;
  }

  async recordHold(h: HoldInput): Promise<number> {
    return insertHold(this.db, h);
  }
}

export async function insertHold(q: Queryable, h: HoldInput): Promise<number> {
  const r = await q.run(
    `INSERT INTO identity_holds (attempt_id, session_id, student_id, school_code, day, code_text, reason, action, matches, model, descriptor,
       original, deliverable, makeup_certificate_id, held_at, photo_id, evidence)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [h.attemptId, h.sessionId, h.studentId, h.schoolCode, h.day, h.codeText, h.reason, h.action, JSON.stringify(h.matches), h.descriptor.model,
      descriptorBlob(h.descriptor.values), h.original ?? null, h.deliverable ?? null, h.makeupCertificateId ?? null, h.at.toISOString(), h.photoId ?? null,
      h.evidence ? JSON.stringify(h.evidence) : null],
  );
  return r.lastID;
}

/** A student as the review list shows them. */
export interface HoldStudent {
  id: number;
  name: string;
  studentNumber: string;
  department: string;
  className: string;
}

/** A held capture (or a demo warning) for the staff review list: who, whom they looked like, both photos. */
export interface IdentityHold {
  id: number;
  action: 'hold' | 'warn';
  reason: 'same_face' | 'presentation' | 'reference';
  /** presentation cues or the reference distance that held it ([] for a same-face hold) */
  evidence: Array<{ cue: string; value: number; limit: number }>;
  student: HoldStudent;
  day: string;
  heldAt: string;
  /** the accepted photos the face matched, nearest first, with where their deliverables are served */
  matches: Array<FaceMatch & { student: HoldStudent; photo: { date: string; sequence: number } | null }>;
  decision: 'accepted' | 'rejected' | null;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
  /** the accepted photo: the warned one, or the held one once staff accepted it */
  photoId: number | null;
}

interface HoldRow {
  id: number;
  action: 'hold' | 'warn';
  reason: 'same_face' | 'presentation' | 'reference';
  evidence: string | null;
  student_id: number;
  day: string;
  held_at: string;
  matches: string;
  decision: 'accepted' | 'rejected' | null;
  decided_at: string | null;
  decided_by: string | null;
  note: string | null;
  photo_id: number | null;
}

async function student(q: Queryable, id: number): Promise<HoldStudent> {
  const s = await q.get<{ name: string; student_number: string; department: string; class_name: string }>(
    'SELECT name, student_number, department, class_name FROM students WHERE id = ?', [id],
  );
  return { id, name: s?.name ?? '', studentNumber: s?.student_number ?? '', department: s?.department ?? '', className: s?.class_name ?? '' };
}

async function toHold(q: Queryable, r: HoldRow): Promise<IdentityHold> {
  const matches = JSON.parse(r.matches) as FaceMatch[];
  return {
    id: r.id, action: r.action, reason: r.reason, evidence: r.evidence ? (JSON.parse(r.evidence) as IdentityHold['evidence']) : [], student: await student(q, r.student_id), day: r.day, heldAt: r.held_at,
    matches: await Promise.all(matches.map(async (m) => {
      const p = await q.get<{ day: string; sequence: number }>('SELECT day, sequence FROM accepted_photos WHERE id = ?', [m.photoId]);
      return { ...m, student: await student(q, m.studentId), photo: p ? { date: p.day, sequence: p.sequence } : null };
    })),
    decision: r.decision, decidedAt: r.decided_at, decidedBy: r.decided_by, note: r.note, photoId: r.photo_id,
  };
}

const HOLD_COLUMNS = 'id, action, reason, evidence, student_id, day, held_at, matches, decision, decided_at, decided_by, note, photo_id';

/** Held captures and warnings, newest first; `open`: only holds waiting for a decision. */
export async function listHolds(q: Queryable, filter: { open?: boolean } = {}): Promise<IdentityHold[]> {
  const where = filter.open === true ? "WHERE action = 'hold' AND decision IS NULL" : filter.open === false ? "WHERE NOT (action = 'hold' AND decision IS NULL)" : '';
  const rows = await q.all<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM identity_holds ${where} ORDER BY held_at DESC, id DESC`);
  return Promise.all(rows.map((r) => toHold(q, r)));
}

export async function findHold(q: Queryable, id: number): Promise<IdentityHold | undefined> {
  const r = await q.get<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM identity_holds WHERE id = ?`, [id]);
  return r ? toHold(q, r) : undefined;
}

/** What accepting a held capture needs: its files and the capture's facts. */
export interface HeldCapture {
  attemptId: number;
  studentId: number;
  schoolCode: string;
  day: string;
  codeText: string;
  original: Buffer;
  deliverable: Buffer;
  model: string;
  descriptor: Float32Array;
  makeupCertificateId: number | null;
}

export async function heldCapture(q: Queryable, id: number): Promise<HeldCapture | undefined> {
  const r = await q.get<{ attempt_id: number; student_id: number; school_code: string; day: string; code_text: string; original: Buffer | null; deliverable: Buffer | null; model: string; descriptor: Buffer; makeup_certificate_id: number | null }>(
    "SELECT attempt_id, student_id, school_code, day, code_text, original, deliverable, model, descriptor, makeup_certificate_id FROM identity_holds WHERE id = ? AND action = 'hold' AND decision IS NULL",
    [id],
  );
  if (!r?.original || !r.deliverable) return undefined;
  return {
    attemptId: r.attempt_id, studentId: r.student_id, schoolCode: r.school_code, day: r.day, codeText: r.code_text, original: r.original, deliverable: r.deliverable,
    model: r.model, descriptor: blobDescriptor(r.descriptor), makeupCertificateId: r.makeup_certificate_id,
  };
}

/** The held capture's deliverable, for the review screen. */
export async function heldDeliverable(q: Queryable, id: number): Promise<Buffer | undefined> {
  const r = await q.get<{ deliverable: Buffer | null }>('SELECT deliverable FROM identity_holds WHERE id = ?', [id]);
  return r?.deliverable ?? undefined;
}

/** Records the staff decision once; false when the hold is not open. The held files stay as the decision's evidence. */
export async function decideHold(q: Queryable, id: number, d: { decision: 'accepted' | 'rejected'; by: string; at: Date; note: string | null; photoId: number | null }): Promise<boolean> {
  const r = await q.run(
    `UPDATE identity_holds SET decision = ?, decided_at = ?, decided_by = ?, note = ?, photo_id = ?
     WHERE id = ? AND action = 'hold' AND decision IS NULL`,
    [d.decision, d.at.toISOString(), d.by, d.note, d.photoId, id],
  );
  return r.changes === 1;
}

/** ID numbers of the students whose capture of `day` waits for a staff decision, with how many such captures. */
export async function openHoldsByIdNumber(q: Queryable, day: string): Promise<Map<string, number>> {
  const rows = await q.all<{ id_number: string; n: number }>(
    `SELECT s.id_number, count(*) AS n FROM identity_holds h JOIN students s ON s.id = h.student_id
     WHERE h.day = ? AND h.action = 'hold' AND h.decision IS NULL GROUP BY s.id_number`,
    [day],
  );
  return new Map(rows.map((r) => [r.id_number, r.n]));
}

/** Enrols (or replaces) a student's reference photo with its descriptor. */
export async function enrolReference(q: Queryable, r: ReferenceFace): Promise<void> {
  await q.run(
    `INSERT INTO reference_faces (student_id, model, descriptor, photo, source, enrolled_at, enrolled_by) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (student_id) DO UPDATE SET model = excluded.model, descriptor = excluded.descriptor, photo = excluded.photo,
       source = excluded.source, enrolled_at = excluded.enrolled_at, enrolled_by = excluded.enrolled_by`,
    [r.studentId, r.model, descriptorBlob(r.descriptor), r.photo, r.source, r.at.toISOString(), r.by],
  );
}

/** The reference-photo enrolment's store: roster lookup by code, the reference table, the audit log. */
export function sqlReferenceFaces(q: Queryable): ReferenceFaceStore {
  const students = new SqlStudentDirectory(q);
  return { findByCode: (code) => students.findByCode(code), enrol: (r) => enrolReference(q, r), audit: sqlAuditTrail(q) };
}

/** The enrolled reference photo of a student, for the review screen. */
export async function referencePhoto(q: Queryable, studentId: number): Promise<Buffer | undefined> {
  const r = await q.get<{ photo: Buffer }>('SELECT photo FROM reference_faces WHERE student_id = ?', [studentId]);
  return r?.photo;
}
