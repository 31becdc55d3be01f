/**
 * Start-up recovery: what a killed process (SIGKILL, power cut) leaves behind is put right before the
 * kiosk takes its first student.
 *
 * - Archive files with no committed row (the process died after writing a photo's files and before
 *   the commit) are moved aside into `quarantine/`, so the student's retry can take the same
 *   `NNNN-STUDENTNO.jpg` name; the files are kept.
 * - Sessions left open are closed with the outcome `interrupted`.
 *
 * Both run inside one IMMEDIATE transaction: no other process (a `rig verify --repair`, a second
 * server by mistake) can commit a photo between the listing and the move.
 */
import type { Database } from './database.ts';
import { findOrphans, moveAside } from './archive-files.ts';
import { appendAudit } from './audit-log.ts';

export interface RecoveryReport {
  interruptedSessions: number;
  /** Orphans moved aside: where they were and where they are now (data-folder-relative). */
  quarantined: Array<{ from: string; to: string }>;
}

/** Reason recorded on sessions closed by recovery. */
export const interruptedReason = 'kiosk.session.interrupted';

export async function recoverAtStart(db: Database, dataDir: string, at: Date): Promise<RecoveryReport> {
  return db.transaction(async (tx) => {
    const closed = await tx.run(
      `UPDATE capture_sessions SET ended_at = ?, outcome = 'interrupted', reason = COALESCE(reason, ?) WHERE ended_at IS NULL`,
      [at.toISOString(), interruptedReason],
    );
    const orphans = await findOrphans(tx, dataDir);
    const moved = await moveAside(dataDir, orphans, at);
    const quarantined = orphans.map((from, i) => ({ from, to: moved[i] ?? '' }));
    if (closed.changes > 0 || quarantined.length > 0) {
      await appendAudit(tx, { actor: 'kiosk', origin: 'local', action: 'recovery.start', details: { interruptedSessions: closed.changes, quarantined } }, at);
    }
    return { interruptedSessions: closed.changes, quarantined };
  });
}
