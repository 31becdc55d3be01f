/**
 * What enrolling reference photos needs: the face net that describes a photo (imaging/face-compare.ts,
 * `faceDescriber`) and the store that finds the student and keeps the reference (SQLite adapter:
 * store/identity-repository.ts, `sqlReferenceFaces`).
 */
import type { PhotoCode } from '../../domain/messages/index.ts';
import type { AuditTrail } from './audit.ts';

/** Why a photo gives no descriptor: no face, several faces, or not an image at all. */
export type DescribeProblem = Extract<PhotoCode, 'photo.face.none' | 'photo.face.several' | 'photo.input.unreadable'>;

export interface FaceDescriber {
  /** the network, stored beside each descriptor (descriptors of different networks never compare) */
  readonly model: string;
  /**
   * The descriptor of the photo's one face, or the problem as a value: a bad photo never rejects.
   * Rejects only when the engine itself fails (its models cannot load).
   */
  describe(photo: Buffer): Promise<Float32Array | DescribeProblem>;
}

export interface ReferenceFace {
  studentId: number;
  model: string;
  descriptor: ArrayLike<number>;
  /** the photo as uploaded, shown beside a held capture */
  photo: Buffer;
  /** the file name it came under */
  source: string;
  at: Date;
  /** who enrolled it: a staff user or `cli:<os user>` */
  by: string;
}

/** Every method rejects on a store failure. */
export interface ReferenceFaceStore {
  /** The student a file is named by: 采集码, ID number or student number (normalised as a scanned code), or null. */
  findByCode(code: string): Promise<{ id: number } | null>;
  /** Stores the student's reference face and photo, replacing an earlier one. */
  enrol(reference: ReferenceFace): Promise<void>;
  readonly audit: AuditTrail;
}
