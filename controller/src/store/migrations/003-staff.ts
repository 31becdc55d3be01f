import type { Migration } from './migration.ts';

/**
 * Staff accounts and what hangs off them: browser sessions, bearer tokens (only hashes are stored),
 * login attempts (the rate limit survives a restart). Retake overrides mark the accepted photo
 * superseded (migration 002) and are recorded in the audit log with their reason.
 */
export const staff: Migration = {
  version: 3,
  name: '003-staff',
  sql: `
CREATE TABLE staff_users (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'technician')),
  password_hash  TEXT NOT NULL,                    -- scrypt$N$r$p$salt$key (base64)
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  disabled_at    TEXT
);

CREATE TABLE staff_sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,                -- SHA-256 of the cookie value
  user_id     INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  origin      TEXT NOT NULL
);

CREATE TABLE staff_tokens (
  id            INTEGER PRIMARY KEY,
  token_hash    TEXT NOT NULL UNIQUE,              -- SHA-256 of the bearer token
  user_id       INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  label         TEXT,
  created_at    TEXT NOT NULL,
  last_used_at  TEXT,
  revoked_at    TEXT
);

CREATE TABLE staff_login_attempts (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,                        -- ISO instant, UTC
  name       TEXT NOT NULL,
  origin     TEXT NOT NULL,
  succeeded  INTEGER NOT NULL CHECK (succeeded IN (0, 1))
);
CREATE INDEX staff_login_attempts_by_origin ON staff_login_attempts (origin, at);
CREATE INDEX staff_login_attempts_by_name ON staff_login_attempts (name, at);
`,
};
