import type { Migration } from './migration.ts';

/**
 * Who is in the photo (代拍/替考 checks): the face descriptor of every accepted photo, and the captures
 * held for staff because their face matched another student's accepted photo. A held capture keeps
 * its files here until staff decide: accepted, it goes into the archive as any photo does (with the
 * next sequence number of its day); rejected, the student is photographed again. A capture that looks
 * like a photo of a photo or of a screen (reason 'presentation'), or that likely is not the person of
 * the student's enrolled reference photo (reason 'reference'), is held the same way. `action` 'warn' rows
 * are the demo mode's notes: the photo was accepted and the match is only shown to staff.
 */
export const faceIdentity: Migration = {
  version: 10,
  name: '010-face-identity',
  sql: `
CREATE TABLE face_descriptors (
  photo_id    INTEGER PRIMARY KEY REFERENCES accepted_photos (id),
  model       TEXT NOT NULL,
  descriptor  BLOB NOT NULL CHECK (length(descriptor) = 512)   -- 128 little-endian float32
);

CREATE TABLE identity_holds (
  id                    INTEGER PRIMARY KEY,
  attempt_id            INTEGER NOT NULL UNIQUE REFERENCES capture_attempts (id),
  session_id            INTEGER REFERENCES capture_sessions (id),
  student_id            INTEGER NOT NULL REFERENCES students (id),
  school_code           TEXT NOT NULL,
  day                   TEXT NOT NULL,
  code_text             TEXT NOT NULL,
  reason                TEXT NOT NULL CHECK (reason IN ('same_face', 'presentation', 'reference')),
  action                TEXT NOT NULL CHECK (action IN ('hold', 'warn')),
  matches               TEXT NOT NULL,                   -- JSON [{photoId, studentId, distance}], nearest first ([] for presentation)
  evidence              TEXT,                            -- JSON: presentation cues [{cue, value, limit}]
  model                 TEXT NOT NULL,
  descriptor            BLOB NOT NULL CHECK (length(descriptor) = 512),
  original              BLOB,                            -- held captures only: the files wait here for the decision
  deliverable           BLOB,
  makeup_certificate_id INTEGER REFERENCES makeup_certificates (id),
  held_at               TEXT NOT NULL,
  decision              TEXT CHECK (decision IN ('accepted', 'rejected')),
  decided_at            TEXT,
  decided_by            TEXT,
  note                  TEXT,
  photo_id              INTEGER REFERENCES accepted_photos (id),
  CHECK ((decision IS NULL) = (decided_at IS NULL)),
  CHECK (action = 'warn' OR (original IS NOT NULL AND deliverable IS NOT NULL))
);
CREATE INDEX identity_holds_open ON identity_holds (decision, action, held_at);

-- Reference photos staff enrolled (admission photos, named by ID number or 采集码): one per student.
CREATE TABLE reference_faces (
  student_id   INTEGER PRIMARY KEY REFERENCES students (id),
  model        TEXT NOT NULL,
  descriptor   BLOB NOT NULL CHECK (length(descriptor) = 512),
  photo        BLOB NOT NULL,                            -- the enrolled file, for the side-by-side review
  source       TEXT NOT NULL,                            -- its file name
  enrolled_at  TEXT NOT NULL,
  enrolled_by  TEXT NOT NULL
);
`,
};
