/**
 * What export and sync read: accepted photos of one day, in sequence order, with the student
 * fields the manifest needs and where the deliverable lies. A port, so that export does not depend
 * on how the capture tables are laid out; the SQL adapter is store/export/photo-source.ts, the
 * in-memory twin store/export/list-photo-source.ts.
 */
import type { Student } from '../../domain/student.ts';
import type { DiscrepancyField } from '../../domain/discrepancy.ts';
import type { SchoolContact } from '../../domain/schedule.ts';

export type ManifestStudent = Pick<
  Student,
  'idNumber' | 'name' | 'gender' | 'birthDate' | 'schoolCode' | 'educationLevel' | 'major' | 'department' | 'className' | 'studentNumber' | 'collectionCode'
>;

export interface AcceptedPhoto {
  /** per day and per school, from 1 */
  sequence: number;
  /** YYYY-MM-DD, school time zone */
  date: string;
  student: ManifestStudent;
  /** the code text the student identified with at the kiosk (QR, barcode or typed ID), when kept */
  codeText: string | null;
  /** deliverable JPEG, relative to the data folder */
  deliverablePath: string;
  /** SHA-256 of the deliverable, lower-case hex */
  sha256: string;
  /** CRC-32 of the deliverable, recorded at acceptance since migration 004 (null before) */
  crc32: number | null;
  bytes: number;
  /** ISO instant */
  acceptedAt: string;
  /** Taken in a make-up window: the certificate and the school contact who receives the photo and data. */
  makeup?: { certificateId: number; contact: SchoolContact };
  /** 信息不符: roster fields the student reported wrong and staff have not resolved yet */
  discrepancies?: DiscrepancyField[];
}

export interface PhotoFilter {
  date: string;
  department?: string;
  className?: string;
  /** only sequences greater than this */
  afterSequence?: number;
  limit?: number;
  /** Only make-up captures, grouped by certificate (in certificate order, then sequence). */
  makeupOnly?: boolean;
}

export interface AcceptedPhotoSource {
  /** Accepted photos matching the filter, in ascending sequence order. Rejects only on store failure. */
  list(filter: PhotoFilter): Promise<AcceptedPhoto[]>;
  /** One photo by day and sequence, or undefined. */
  get(date: string, sequence: number): Promise<AcceptedPhoto | undefined>;
}
