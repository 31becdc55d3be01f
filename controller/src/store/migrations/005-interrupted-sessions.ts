import type { Migration } from './migration.ts';

/**
 * Sessions the process never got to close (it was killed, or the machine lost power) are closed at
 * the next start as `interrupted`. SQLite cannot change a CHECK constraint in place, so the table is
 * rebuilt (SQLite's documented twelve steps: foreign keys off around the migration, checked before
 * the commit).
 */
export const interruptedSessions: Migration = {
  version: 5,
  name: '005-interrupted-sessions',
  foreignKeysOff: true,
  sql: `
CREATE TABLE capture_sessions_new (
  id            INTEGER PRIMARY KEY,
  student_id    INTEGER REFERENCES students (id),     -- null when the code matched nobody
  code_text     TEXT NOT NULL,                        -- what was scanned or typed
  started_at    TEXT NOT NULL,                        -- ISO instant, UTC
  ended_at      TEXT,
  outcome       TEXT CHECK (outcome IN ('stored', 'cancelled', 'timeout', 'refused', 'see-staff', 'interrupted')),
  reason        TEXT                                  -- refusal or failure reason code
);
INSERT INTO capture_sessions_new (id, student_id, code_text, started_at, ended_at, outcome, reason)
  SELECT id, student_id, code_text, started_at, ended_at, outcome, reason FROM capture_sessions;
DROP TABLE capture_sessions;
ALTER TABLE capture_sessions_new RENAME TO capture_sessions;
CREATE INDEX capture_sessions_by_student ON capture_sessions (student_id);
CREATE INDEX capture_sessions_open ON capture_sessions (id) WHERE ended_at IS NULL;
`,
};
