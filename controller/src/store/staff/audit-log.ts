/** The audit log (who, what, when, from where): append and read. Rows are never updated. */
import type { Queryable } from '../database.ts';

export interface AuditEntry {
  /** staff user name, 'cli:<os user>' or 'kiosk' */
  actor: string;
  /** remote address, or 'local' */
  origin: string;
  /** stable verb, e.g. staff.login, roster.import, batch.export, capture.override */
  action: string;
  target?: string | null;
  /** JSON-serialisable; never full ID numbers or photos */
  details?: unknown;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  origin: string;
  action: string;
  target: string | null;
  details: unknown;
}

export async function appendAudit(q: Queryable, entry: AuditEntry, now: Date): Promise<void> {
  await q.run('INSERT INTO audit_log (at, actor, origin, action, target, details) VALUES (?, ?, ?, ?, ?, ?)', [
    now.toISOString(),
    entry.actor,
    entry.origin,
    entry.action,
    entry.target ?? null,
    entry.details === undefined ? null : JSON.stringify(entry.details),
  ]);
}

export interface AuditQuery {
  limit: number;
  /** rows with a smaller id only: paging backwards from the newest */
  beforeId?: number;
  action?: string;
}

export async function listAudit(q: Queryable, query: AuditQuery): Promise<AuditRecord[]> {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (query.beforeId !== undefined) {
    where.push('id < ?');
    params.push(query.beforeId);
  }
  if (query.action !== undefined) {
    where.push('action = ?');
    params.push(query.action);
  }
  params.push(query.limit);
  const rows = await q.all<Omit<AuditRecord, 'details'> & { details: string | null }>(
    `SELECT id, at, actor, origin, action, target, details FROM audit_log
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    params,
  );
  return rows.map((r) => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as unknown) }));
}
