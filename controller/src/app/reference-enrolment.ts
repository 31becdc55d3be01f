/**
 * Enrolling reference photos (参考照片), one use case behind `rig faces enroll DIR|ZIP` and the staff
 * upload `POST /api/identity/references`: each file names a student by its name; its one face
 * becomes that student's reference (replacing an earlier one); the run is audited as `faces.enroll`.
 * A file naming nobody, without exactly one face, unreadable or too large is skipped with its reason.
 * Files are taken one at a time, a ZIP inflated entry by entry, so memory holds one photo beside the
 * upload and the face net (heavy) describes one photo at a time.
 */
import { REFERENCE_PHOTO_LIMITS as LIMITS, isReferencePhotoName, referenceCode, referenceFileName } from '../domain/identity/reference-photos.ts';
import type { PhotoCode, StaffCode, KioskCode } from '../domain/messages/index.ts';
import { FileRefused, readLimits } from '../formats/spreadsheet/limits.ts';
import { openZipEntry, readZipDirectory, ZipFormatError, type ZipEntry } from '../formats/spreadsheet/zip.ts';
import type { DescribeProblem, FaceDescriber, ReferenceFaceStore } from './ports/reference-faces.ts';

/** Why a file was not enrolled (texts in the message catalogue). */
export type ReferenceSkipCode =
  | Extract<KioskCode, 'kiosk.identify.unknown_code'>
  | DescribeProblem
  | Extract<PhotoCode, 'photo.input.missing'>
  | Extract<StaffCode, 'staff.identity_reference_too_large' | 'staff.identity_reference_damaged'>;

export interface ReferenceSkip {
  file: string;
  code: ReferenceSkipCode;
  params?: Record<string, number>;
}

/** One file of a folder or an upload: its bytes, or why they could not be had (the other files still can). */
export type ReferenceFile =
  | { name: string; bytes: Buffer }
  | { name: string; problem: Omit<ReferenceSkip, 'file'> };

export interface ReferenceEnrolment {
  enrolled: string[];
  skipped: ReferenceSkip[];
  /** the caller's signal stopped the run before every file was taken */
  cancelled: boolean;
}

export interface EnrolmentContext {
  /** a staff user or `cli:<os user>`, for the references and the audit row */
  actor: string;
  /** the remote address, or `local` */
  origin: string;
  /** what the files came as (folder, ZIP or photo name), for the audit row */
  source: string | null;
  now: () => Date;
  /** aborted: no further file is taken (the client hung up) */
  signal?: AbortSignal;
}

const ZIP_LIMITS = readLimits({
  maxUncompressedBytes: LIMITS.unpackedBytes, maxZipEntries: LIMITS.zipEntries, maxCompressionRatio: LIMITS.compressionRatio,
});

const TOO_LARGE: Omit<ReferenceSkip, 'file'> = { code: 'staff.identity_reference_too_large', params: { max: LIMITS.photoBytes / (1024 * 1024) } };

/** A file over the per-photo limit, never read. */
export function oversizedPhoto(name: string): ReferenceFile {
  return { name, problem: TOO_LARGE };
}

export type ReferenceZip =
  | { ok: true; photos: number; files: AsyncIterable<ReferenceFile> }
  | { ok: false; code: Extract<StaffCode, 'staff.identity_reference_unreadable' | 'staff.identity_reference_refused'>; details: Record<string, unknown> };

/**
 * The JPEG and PNG files of a ZIP, by their names without folders; other entries are ignored. The
 * archive's directory is checked against the limits before anything is inflated: a refused or
 * unreadable archive is an answer, not an exception.
 */
export function openReferenceZip(zip: Buffer): ReferenceZip {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(zip, ZIP_LIMITS).filter((e) => isReferencePhotoName(e.name));
  } catch (err) {
    if (err instanceof FileRefused) return { ok: false, code: 'staff.identity_reference_refused', details: { limit: err.code, ...err.params } };
    if (err instanceof ZipFormatError || err instanceof RangeError) return { ok: false, code: 'staff.identity_reference_unreadable', details: { reason: err.message } };
    throw err;
  }
  return { ok: true, photos: entries.length, files: zipFiles(zip, entries) };
}

async function* zipFiles(zip: Buffer, entries: ZipEntry[]): AsyncGenerator<ReferenceFile> {
  const spent = { bytes: 0 };
  for (const entry of entries) {
    const name = referenceFileName(entry.name);
    if (entry.uncompressedSize > LIMITS.photoBytes) {
      yield oversizedPhoto(name);
      continue;
    }
    const bytes = await inflate(zip, entry, spent);
    yield bytes ? { name, bytes } : { name, problem: { code: 'staff.identity_reference_damaged' } };
  }
}

/** One entry's bytes, or null when it cannot be inflated or inflates past its declared size. */
async function inflate(zip: Buffer, entry: ZipEntry, spent: { bytes: number }): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of openZipEntry(zip, entry, spent, ZIP_LIMITS)) chunks.push(chunk as Buffer);
  } catch {
    // Only this entry's stream runs here: a bad local header, bad deflate data or a size that lied.
    return null;
  }
  return Buffer.concat(chunks);
}

/** Enrols each file in turn and audits the run, also when it stops early (cancelled or failed). */
export async function enrolReferences(
  store: ReferenceFaceStore,
  faces: FaceDescriber,
  files: AsyncIterable<ReferenceFile> | Iterable<ReferenceFile>,
  ctx: EnrolmentContext,
): Promise<ReferenceEnrolment> {
  const result: ReferenceEnrolment = { enrolled: [], skipped: [], cancelled: false };
  try {
    for await (const file of files) {
      if (ctx.signal?.aborted) {
        result.cancelled = true;
        break;
      }
      const skip = await enrolOne(store, faces, file, ctx);
      if (skip) result.skipped.push(skip);
      else result.enrolled.push(file.name);
    }
  } finally {
    await store.audit.append({
      actor: ctx.actor, origin: ctx.origin, action: 'faces.enroll', target: ctx.source,
      details: { enrolled: result.enrolled.length, skipped: result.skipped.length, ...(result.cancelled ? { cancelled: true } : {}) },
    }, ctx.now());
  }
  return result;
}

async function enrolOne(store: ReferenceFaceStore, faces: FaceDescriber, file: ReferenceFile, ctx: EnrolmentContext): Promise<ReferenceSkip | null> {
  if ('problem' in file) return { file: file.name, ...file.problem };
  if (file.bytes.length > LIMITS.photoBytes) return { file: file.name, ...TOO_LARGE };
  const student = await store.findByCode(referenceCode(file.name));
  if (!student) return { file: file.name, code: 'kiosk.identify.unknown_code' };
  const descriptor = await faces.describe(file.bytes);
  if (typeof descriptor === 'string') return { file: file.name, code: descriptor };
  await store.enrol({ studentId: student.id, model: faces.model, descriptor, photo: file.bytes, source: file.name, at: ctx.now(), by: ctx.actor });
  return null;
}
