import type { Migration } from './migration.ts';

/**
 * 信息不符 reports from the confirm step: which roster fields a student said were wrong. Staff
 * resolve each with a note once the registry record is settled; open ones go to the provincial office.
 */
export const discrepancies: Migration = {
  version: 7,
  name: '007-discrepancies',
  sql: `
CREATE TABLE discrepancies (
  id          INTEGER PRIMARY KEY,
  student_id  INTEGER NOT NULL REFERENCES students(id),
  session_id  INTEGER REFERENCES capture_sessions(id),
  fields      TEXT NOT NULL CHECK (fields <> ''),
  reported_at TEXT NOT NULL,
  resolved_at TEXT,
  resolved_by TEXT,
  note        TEXT,
  CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);
CREATE INDEX discrepancies_open ON discrepancies (resolved_at, student_id);
`,
};
