/**
 * Staff accounts, sessions, bearer tokens and login attempts. Secrets never reach this module in
 * the clear except as their SHA-256 (tokens, session ids) or scrypt hash (passwords).
 */
import type { Queryable } from '../database.ts';
import { isStaffRole, type StaffRole, type StaffUser } from '../../domain/staff.ts';

/** How fine a bearer token's last-used time is kept. */
const tokenUseResolutionMs = 60_000;

interface UserRow {
  id: number;
  name: string;
  role: string;
  password_hash: string;
  disabled_at: string | null;
}

export interface StaffAccount extends StaffUser {
  passwordHash: string;
  disabled: boolean;
}

function toAccount(row: UserRow): StaffAccount {
  if (!isStaffRole(row.role)) throw new Error(`staff_users row ${row.id} has unknown role ${row.role}`);
  return { id: row.id, name: row.name, role: row.role, passwordHash: row.password_hash, disabled: row.disabled_at !== null };
}

/** A bearer token as `rig staff tokens` lists it: never the secret, which is not stored. */
export interface StaffTokenInfo {
  id: number;
  userName: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: number;
  user_name: string;
  label: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

function toTokenInfo(row: TokenRow): StaffTokenInfo {
  return {
    id: row.id, userName: row.user_name, label: row.label, createdAt: row.created_at,
    lastUsedAt: row.last_used_at, revokedAt: row.revoked_at,
  };
}

export interface UpsertedUser {
  id: number;
  created: boolean;
  /** the account is (still) disabled */
  disabled: boolean;
  sessionsEnded: number;
  tokensRevoked: number;
}

export class StaffRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * Creates the account, or replaces role and password of an existing one with the same name. A
   * new password ends every browser session and revokes every bearer token of the account (whoever
   * held them knew the old one). A disabled account stays disabled: enabling is `setDisabled`.
   */
  async upsertUser(name: string, role: StaffRole, passwordHash: string, now: Date): Promise<UpsertedUser> {
    const at = now.toISOString();
    const existing = await this.q.get<{ id: number; disabled_at: string | null }>('SELECT id, disabled_at FROM staff_users WHERE name = ?', [name]);
    if (existing) {
      await this.q.run('UPDATE staff_users SET role = ?, password_hash = ?, updated_at = ? WHERE id = ?', [role, passwordHash, at, existing.id]);
      const sessions = await this.q.run('DELETE FROM staff_sessions WHERE user_id = ?', [existing.id]);
      const tokens = await this.q.run('UPDATE staff_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [at, existing.id]);
      return { id: existing.id, created: false, disabled: existing.disabled_at !== null, sessionsEnded: sessions.changes, tokensRevoked: tokens.changes };
    }
    const r = await this.q.run(
      'INSERT INTO staff_users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      [name, role, passwordHash, at, at],
    );
    return { id: r.lastID, created: true, disabled: false, sessionsEnded: 0, tokensRevoked: 0 };
  }

  async findByName(name: string): Promise<StaffAccount | undefined> {
    const row = await this.q.get<UserRow>('SELECT * FROM staff_users WHERE name = ?', [name]);
    return row ? toAccount(row) : undefined;
  }

  async listUsers(): Promise<StaffAccount[]> {
    return (await this.q.all<UserRow>('SELECT * FROM staff_users ORDER BY name')).map(toAccount);
  }

  async createSession(userId: number, tokenHash: string, origin: string, now: Date, lifetimeMs: number): Promise<void> {
    await this.q.run(
      'INSERT INTO staff_sessions (token_hash, user_id, created_at, expires_at, origin) VALUES (?, ?, ?, ?, ?)',
      [tokenHash, userId, now.toISOString(), new Date(now.getTime() + lifetimeMs).toISOString(), origin],
    );
  }

  /** The live, enabled account behind a session id hash, if any. */
  async userForSession(tokenHash: string, now: Date): Promise<StaffAccount | undefined> {
    const row = await this.q.get<UserRow>(
      `SELECT u.* FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`,
      [tokenHash, now.toISOString()],
    );
    return row ? toAccount(row) : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.q.run('DELETE FROM staff_sessions WHERE token_hash = ?', [tokenHash]);
  }

  async createToken(userId: number, tokenHash: string, label: string | null, now: Date): Promise<number> {
    const r = await this.q.run('INSERT INTO staff_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)', [
      tokenHash, userId, label, now.toISOString(),
    ]);
    return r.lastID;
  }

  async userForToken(tokenHash: string, now: Date): Promise<StaffAccount | undefined> {
    const row = await this.q.get<UserRow & { token_id: number; token_last_used_at: string | null }>(
      `SELECT u.*, t.id AS token_id, t.last_used_at AS token_last_used_at FROM staff_tokens t JOIN staff_users u ON u.id = t.user_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
      [tokenHash],
    );
    if (!row) return undefined;
    // "Last used" to the minute: `rig pull` makes a request per photo, and a synced write (fsync)
    // on each of them would cost more than the download itself.
    const last = row.token_last_used_at === null ? Number.NEGATIVE_INFINITY : Date.parse(row.token_last_used_at);
    if (!(now.getTime() - last < tokenUseResolutionMs)) {
      await this.q.run('UPDATE staff_tokens SET last_used_at = ? WHERE id = ?', [now.toISOString(), row.token_id]);
    }
    return toAccount(row);
  }

  /**
   * Disables or re-enables an account; false when it already was in that state. Disabling also
   * ends its browser sessions, so that enabling it later does not bring an old sign-in back to
   * life; bearer tokens are refused while disabled and work again after enabling (revoke them to
   * end them for good).
   */
  async setDisabled(userId: number, disabled: boolean, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const r = disabled
      ? await this.q.run('UPDATE staff_users SET disabled_at = ?, updated_at = ? WHERE id = ? AND disabled_at IS NULL', [at, at, userId])
      : await this.q.run('UPDATE staff_users SET disabled_at = NULL, updated_at = ? WHERE id = ? AND disabled_at IS NOT NULL', [at, userId]);
    if (disabled) await this.q.run('DELETE FROM staff_sessions WHERE user_id = ?', [userId]);
    return r.changes > 0;
  }

  /** The account's tokens, oldest first, revoked ones included. */
  async listTokens(userId: number): Promise<StaffTokenInfo[]> {
    const rows = await this.q.all<TokenRow>(
      `SELECT t.id, u.name AS user_name, t.label, t.created_at, t.last_used_at, t.revoked_at
       FROM staff_tokens t JOIN staff_users u ON u.id = t.user_id WHERE t.user_id = ? ORDER BY t.id`,
      [userId],
    );
    return rows.map(toTokenInfo);
  }

  async findToken(tokenId: number): Promise<StaffTokenInfo | undefined> {
    const row = await this.q.get<TokenRow>(
      `SELECT t.id, u.name AS user_name, t.label, t.created_at, t.last_used_at, t.revoked_at
       FROM staff_tokens t JOIN staff_users u ON u.id = t.user_id WHERE t.id = ?`,
      [tokenId],
    );
    return row ? toTokenInfo(row) : undefined;
  }

  /** Marks the token revoked; false when it already was (the first revocation time is kept). */
  async revokeToken(tokenId: number, now: Date): Promise<boolean> {
    const r = await this.q.run('UPDATE staff_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now.toISOString(), tokenId]);
    return r.changes > 0;
  }

  /** Drops expired sessions and login attempts older than `before`: both tables stay small. */
  async prune(now: Date, attemptsBefore: Date): Promise<void> {
    await this.q.run('DELETE FROM staff_sessions WHERE expires_at <= ?', [now.toISOString()]);
    await this.q.run('DELETE FROM staff_login_attempts WHERE at < ?', [attemptsBefore.toISOString()]);
  }

  async recordLoginAttempt(name: string, origin: string, succeeded: boolean, now: Date): Promise<void> {
    await this.q.run('INSERT INTO staff_login_attempts (at, name, origin, succeeded) VALUES (?, ?, ?, ?)', [
      now.toISOString(), name, origin, succeeded ? 1 : 0,
    ]);
  }

  /** Failed attempts since `since`: from one origin, against one account name, and both. */
  async recentFailures(name: string, origin: string, since: Date): Promise<{ byOrigin: number; byName: number; byOriginAndName: number }> {
    const at = since.toISOString();
    const row = await this.q.get<{ o: number; n: number; b: number }>(
      `SELECT count(*) FILTER (WHERE origin = ?1) AS o,
              count(*) FILTER (WHERE name = ?2 COLLATE NOCASE) AS n,
              count(*) FILTER (WHERE origin = ?1 AND name = ?2 COLLATE NOCASE) AS b
       FROM staff_login_attempts WHERE at > ?3 AND succeeded = 0 AND (origin = ?1 OR name = ?2 COLLATE NOCASE)`,
      [origin, name, at],
    );
    return { byOrigin: row?.o ?? 0, byName: row?.n ?? 0, byOriginAndName: row?.b ?? 0 };
  }

  /** The account has signed in from this address before (the audit log keeps every sign-in). */
  async signedInBefore(name: string, origin: string): Promise<boolean> {
    const row = await this.q.get<{ one: number }>(
      "SELECT 1 AS one FROM audit_log WHERE action = 'staff.login' AND actor = ? COLLATE NOCASE AND origin = ? LIMIT 1", [name, origin]);
    return row !== undefined;
  }

  /** A throttling row for this address and account was already written in the window. */
  async throttleRecorded(name: string, origin: string, since: Date): Promise<boolean> {
    const row = await this.q.get<{ one: number }>(
      "SELECT 1 AS one FROM audit_log WHERE action = 'staff.login_throttled' AND actor = ? AND origin = ? AND at > ? LIMIT 1",
      [name, origin, since.toISOString()]);
    return row !== undefined;
  }
}
