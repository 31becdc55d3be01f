/**
 * What a capture session writes: the session row, every attempt, the accepted photo (archive files
 * and its sequence number, in one step). The SQLite and archive adapter is store/capture-repository.ts.
 * Every method rejects on a store or disk failure; nothing is half-written by `accept`.
 */
import type { SessionOutcome } from '../../domain/capture-session-types.ts';
import type { DiscrepancyField } from '../../domain/discrepancy.ts';
import type { FaceDescriptorRecord } from './face-registry.ts';

export type { SessionOutcome };

export interface AttemptRecord {
  sessionId: number;
  studentId: number;
  attemptNo: number;
  takenAt: Date;
  profile: string;
  verdict: 'pass' | 'fail' | 'error';
  reasons: string[];
  checks: unknown;
  timings: Record<string, number>;
  original: Buffer;
}

export interface AcceptInput {
  attemptId: number;
  studentId: number;
  /** YYYY-MM-DD in the school's time zone. */
  day: string;
  schoolCode: string;
  department: string;
  studentNumber: string;
  codeText: string;
  original: Buffer;
  deliverable: Buffer;
  acceptedAt: Date;
  /** Taken in a make-up window under this certificate. */
  makeupCertificateId?: number | null;
  /** The face's descriptor, stored with the photo for the same-face checks (migration 010). */
  faceDescriptor?: FaceDescriptorRecord | null;
}

/** An accepted photo as the archive recorded it (the export's view of it is app/ports/accepted-photos.ts). */
export interface StoredPhoto {
  id: number;
  sequence: number;
  day: string;
  originalPath: string;
  deliverablePath: string;
  originalSha256: string;
  deliverableSha256: string;
}

export interface CaptureLog {
  /** Opens a session row (student null when the code is not on the roster); resolves to its id. */
  startSession(studentId: number | null, codeText: string, at: Date): Promise<number>;
  /** Closes a session once; a second call leaves the first outcome. */
  endSession(sessionId: number, outcome: SessionOutcome, at: Date, reason: string | null): Promise<void>;
  /** Records one attempt with its verdict; resolves to the attempt id. */
  recordAttempt(attempt: AttemptRecord): Promise<number>;
  /** Has this student an accepted photo in force? */
  hasAcceptedPhoto(studentId: number): Promise<boolean>;
  /** Writes original and deliverable to the archive and records them with the day's next sequence number. */
  accept(input: AcceptInput): Promise<StoredPhoto>;
  /** 信息不符 reported at the confirm step: which roster fields the student said were wrong; resolves to its id. */
  recordDiscrepancy(d: { studentId: number; sessionId: number | null; fields: readonly DiscrepancyField[]; at: Date }): Promise<number>;
}
