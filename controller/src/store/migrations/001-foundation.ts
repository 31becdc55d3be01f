import type { Migration } from './migration.ts';

/** Roster, schedule, make-ups and the audit log. Dates are ISO text in the school's time zone. */
export const foundation: Migration = {
  version: 1,
  name: '001-foundation',
  sql: `
CREATE TABLE students (
  id                  INTEGER PRIMARY KEY,
  id_number           TEXT NOT NULL UNIQUE,          -- GB 11643, upper-case check character
  name                TEXT NOT NULL,
  gender              TEXT NOT NULL CHECK (gender IN ('M', 'F')),
  birth_date          TEXT NOT NULL,                 -- YYYY-MM-DD
  school_code         TEXT NOT NULL,
  education_level     TEXT NOT NULL,                 -- 学历层次
  major               TEXT NOT NULL,
  department          TEXT NOT NULL,
  class_name          TEXT NOT NULL,
  student_number      TEXT NOT NULL,                 -- 学号/考生号
  collection_code     TEXT UNIQUE,                   -- 采集码, optional
  education_category  TEXT NOT NULL CHECK (education_category IN ('regular', 'adult')),
  qualification_passed INTEGER NOT NULL CHECK (qualification_passed IN (0, 1)),
  row_hash            TEXT NOT NULL,                 -- of the normalised fields: re-import diff
  imported_at         TEXT NOT NULL,
  updated_at          TEXT NOT NULL
);
CREATE INDEX students_by_class ON students (department, class_name);
CREATE INDEX students_by_number ON students (student_number);

CREATE TABLE shoot_slots (
  id          INTEGER PRIMARY KEY,
  room        TEXT NOT NULL,
  department  TEXT,
  class_name  TEXT,
  date        TEXT NOT NULL,                         -- YYYY-MM-DD
  start_time  TEXT NOT NULL,                         -- HH:MM
  end_time    TEXT NOT NULL,                         -- HH:MM; at or before start_time: ends the next day
  CHECK (department IS NOT NULL OR class_name IS NOT NULL),
  CHECK (start_time <> end_time)
);
CREATE INDEX shoot_slots_by_date ON shoot_slots (date);
CREATE INDEX shoot_slots_by_target ON shoot_slots (department, class_name);

CREATE TABLE makeup_windows (
  id          INTEGER PRIMARY KEY,
  start_date  TEXT NOT NULL,
  end_date    TEXT NOT NULL,
  weekdays    TEXT NOT NULL DEFAULT '1,2,3,4,5',      -- ISO weekday numbers, Monday = 1
  periods     TEXT NOT NULL DEFAULT '08:30-11:30,14:30-17:30',
  room        TEXT,
  CHECK (start_date <= end_date)
);

CREATE TABLE makeup_certificates (
  id               INTEGER PRIMARY KEY,
  id_number        TEXT NOT NULL,
  name             TEXT NOT NULL,
  school_code      TEXT NOT NULL,
  gender           TEXT NOT NULL CHECK (gender IN ('M', 'F')),
  education_level  TEXT NOT NULL,
  school_name      TEXT NOT NULL,
  contact_address  TEXT NOT NULL,
  postcode         TEXT NOT NULL,
  contact_person   TEXT NOT NULL,
  contact_phone    TEXT NOT NULL,
  issued_at        TEXT NOT NULL,                    -- ISO instant, UTC
  issued_by        TEXT NOT NULL,
  revoked_at       TEXT
);
CREATE INDEX makeup_certificates_by_id_number ON makeup_certificates (id_number);

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,                            -- ISO instant, UTC
  actor    TEXT NOT NULL,                            -- staff user, 'cli:<os user>', 'kiosk'
  origin   TEXT NOT NULL,                            -- remote address or 'local'
  action   TEXT NOT NULL,                            -- e.g. roster.import, makeup.issue
  target   TEXT,
  details  TEXT                                      -- JSON
);
CREATE INDEX audit_log_by_at ON audit_log (at);
`,
};
