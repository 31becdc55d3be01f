import type { Migration } from './migration.ts';

/**
 * Calibration profiles (校准方案): the room's light levels and camera settings with the figures the
 * test shot gave, who saved them and when; one of them active. Morning checks against the active
 * profile are kept with their figures and what drifted. Settings and figures are JSON: they are read
 * back whole, never queried by field.
 */
export const calibrationProfiles: Migration = {
  version: 9,
  name: '009-calibration-profiles',
  sql: `
CREATE TABLE calibration_profiles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  settings TEXT NOT NULL,
  figures TEXT NOT NULL,
  subject_lux REAL,
  technician TEXT NOT NULL,
  created_at TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  activated_at TEXT
);
CREATE UNIQUE INDEX calibration_profiles_one_active ON calibration_profiles (active) WHERE active = 1;
CREATE TABLE calibration_checks (
  id INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL REFERENCES calibration_profiles(id),
  at TEXT NOT NULL,
  technician TEXT NOT NULL,
  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
  drifts TEXT NOT NULL,
  figures TEXT NOT NULL
);
CREATE INDEX calibration_checks_at ON calibration_checks (at);
`,
};
