/** The audit log: who did what, when, from where. Rows are only ever appended. */
import type { AuditEntry, AuditTrail } from '../app/ports/audit.ts';
import type { Queryable } from './database.ts';

export type { AuditEntry };

export interface AuditRecord extends Required<AuditEntry> {
  id: number;
  /** ISO instant, UTC. */
  at: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  origin: string;
  action: string;
  target: string | null;
  details: string | null;
}

export async function appendAudit(q: Queryable, entry: AuditEntry, at: Date = new Date()): Promise<number> {
  const result = await q.run(
    'INSERT INTO audit_log (at, actor, origin, action, target, details) VALUES (?, ?, ?, ?, ?, ?)',
    [at.toISOString(), entry.actor, entry.origin, entry.action, entry.target ?? null, entry.details ? JSON.stringify(entry.details) : null],
  );
  return result.lastID;
}

/** The audit port over `q`: pass a transaction handle to make the rows part of that write. */
export function sqlAuditTrail(q: Queryable): AuditTrail {
  return { append: (entry, at) => appendAudit(q, entry, at) };
}

export interface AuditQuery {
  action?: string;
  /** Newest first; at most this many. */
  limit?: number;
}

export async function listAudit(q: Queryable, query: AuditQuery = {}): Promise<AuditRecord[]> {
  const where = query.action ? 'WHERE action = ? OR action LIKE ?' : '';
  const params = query.action ? [query.action, `${query.action}.%`] : [];
  const rows = await q.all<AuditRow>(
    `SELECT id, at, actor, origin, action, target, details FROM audit_log ${where} ORDER BY id DESC LIMIT ?`,
    [...params, query.limit ?? 100],
  );
  return rows.map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
}
