/**
 * The faces of accepted photos and the captures held for staff because of them (代拍/替考 checks).
 * SQLite adapter: store/identity-repository.ts. Every method rejects on a store failure.
 */
import type { AcceptedFace, FaceMatch } from '../../domain/identity/face-match.ts';

/** A face descriptor and the network that made it (descriptors of different networks never compare). */
export interface FaceDescriptorRecord {
  model: string;
  values: ArrayLike<number>;
}

export interface HoldInput {
  attemptId: number;
  sessionId: number | null;
  studentId: number;
  schoolCode: string;
  /** YYYY-MM-DD in the school's time zone */
  day: string;
  codeText: string;
  /** 'hold': the capture waits for staff; 'warn': it was accepted as `photoId` and staff only see the match */
  action: 'hold' | 'warn';
  /** why: the face matched other students, or it looks like a photo of a photo or of a screen */
  reason: 'same_face' | 'presentation' | 'reference';
  matches: readonly FaceMatch[];
  /** presentation cues that held it */
  evidence?: ReadonlyArray<{ cue: string; value: number; limit: number }>;
  descriptor: FaceDescriptorRecord;
  /** held captures: the files that go to the archive if staff accept */
  original?: Buffer;
  deliverable?: Buffer;
  makeupCertificateId?: number | null;
  photoId?: number | null;
  at: Date;
}

export interface FaceRegistry {
  /** The faces of a school's accepted photos in force (not superseded), made by `model`. */
  acceptedFaces(schoolCode: string, model: string): Promise<AcceptedFace[]>;
  /** The student's enrolled reference face made by `model`, or null. */
  referenceFace(studentId: number, model: string): Promise<Float32Array | null>;
  /** Records a held capture or a demo warning; resolves to its id. */
  recordHold(input: HoldInput): Promise<number>;
}
