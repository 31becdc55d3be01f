/** The audit log as use cases write it: rows are only ever appended. SQLite adapter: store/audit-log.ts. */

export interface AuditEntry {
  /** Staff user, `cli:<os user>` or `kiosk`. */
  actor: string;
  /** Remote address or `local`. */
  origin: string;
  /** Dotted verb, e.g. `schedule.import`, `makeup.cert.add`. */
  action: string;
  target?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditTrail {
  /** Appends one row (inside the transaction the trail was made for, if any); rejects on a store failure. */
  append(entry: AuditEntry, at?: Date): Promise<unknown>;
}
