import type { Migration } from './migration.ts';

/**
 * Capture: kiosk sessions, every attempt with its measurements and verdict, and accepted photos with
 * their per-day, per-school sequence number and file hashes. Paths are relative to the data folder.
 */
export const capture: Migration = {
  version: 2,
  name: '002-capture',
  sql: `
CREATE TABLE capture_sessions (
  id            INTEGER PRIMARY KEY,
  student_id    INTEGER REFERENCES students (id),     -- null when the code matched nobody
  code_text     TEXT NOT NULL,                        -- what was scanned or typed
  started_at    TEXT NOT NULL,                        -- ISO instant, UTC
  ended_at      TEXT,
  outcome       TEXT CHECK (outcome IN ('stored', 'cancelled', 'timeout', 'refused', 'see-staff')),
  reason        TEXT                                  -- refusal or failure reason code
);
CREATE INDEX capture_sessions_by_student ON capture_sessions (student_id);

CREATE TABLE capture_attempts (
  id               INTEGER PRIMARY KEY,
  session_id       INTEGER NOT NULL REFERENCES capture_sessions (id),
  student_id       INTEGER NOT NULL REFERENCES students (id),
  attempt_no       INTEGER NOT NULL,
  taken_at         TEXT NOT NULL,
  profile          TEXT NOT NULL,
  verdict          TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'error')),
  reasons          TEXT NOT NULL,                     -- JSON array of blocking reason codes
  checks           TEXT NOT NULL,                     -- JSON: every check with value, limit, severity
  timings          TEXT NOT NULL,                     -- JSON
  original_sha256  TEXT NOT NULL,
  original_bytes   INTEGER NOT NULL,
  UNIQUE (session_id, attempt_no)
);
CREATE INDEX capture_attempts_by_student ON capture_attempts (student_id);

CREATE TABLE accepted_photos (
  id                   INTEGER PRIMARY KEY,
  attempt_id           INTEGER NOT NULL UNIQUE REFERENCES capture_attempts (id),
  student_id           INTEGER NOT NULL REFERENCES students (id),
  day                  TEXT NOT NULL,                 -- YYYY-MM-DD in the school's time zone
  school_code          TEXT NOT NULL,
  sequence             INTEGER NOT NULL CHECK (sequence > 0),
  code_text            TEXT NOT NULL,                 -- the scanned code, for the collection unit's export
  original_path        TEXT NOT NULL,
  original_sha256      TEXT NOT NULL,
  original_bytes       INTEGER NOT NULL,
  deliverable_path     TEXT NOT NULL,
  deliverable_sha256   TEXT NOT NULL,
  deliverable_bytes    INTEGER NOT NULL,
  accepted_at          TEXT NOT NULL,
  superseded_at        TEXT,                          -- set when staff allow a retake after acceptance
  UNIQUE (day, school_code, sequence)
);
CREATE INDEX accepted_photos_by_student ON accepted_photos (student_id);
`,
};
