/**
 * The roster import use case: stream the file through the domain's checks, then apply the plan in one
 * transaction (or, for a dry run, only compare). Shared by `rig import-roster` and, later, the staff API.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { bilingual } from '../domain/messages/index.ts';
import { RosterImportBuilder, type RosterImport } from '../domain/roster/plan.ts';
import type { Database } from './database.ts';
import { readRosterFile, rosterFileKind, type ReadReport } from './roster-files/index.ts';
import { applyRosterImport, loadExistingStudents } from './students.ts';

export type ImportPhase = 'read' | 'write';

export interface RosterImportOptions {
  dryRun?: boolean;
  /** YYYY-MM-DD in the school's time zone (birth dates after it are rejected). */
  today: string;
  actor: string;
  origin?: string;
  now?: () => Date;
  /** Progress: phase, and for 'read' the fraction of the file read. */
  onProgress?: (phase: ImportPhase, fraction: number) => void;
  /** Called once the file size is known, before reading. */
  onStart?: (fileBytes: number) => void;
}

export interface RosterImportOutcome {
  plan: RosterImport;
  applied: boolean;
  file: ReadReport | null;
}

function fileFailure(code: string, params: Record<string, string>): RosterImportOutcome {
  return {
    plan: { add: [], update: [], unchanged: 0, errors: [{ row: 0, column: '', code, message: bilingual(code, params) }] },
    applied: false,
    file: null,
  };
}

export async function importRosterFile(db: Database, file: string, options: RosterImportOptions): Promise<RosterImportOutcome> {
  const kind = rosterFileKind(file);
  if (!kind) return fileFailure('roster.file.unsupported', { file: basename(file) });
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    return fileFailure('roster.file.unreadable', { detail: err instanceof Error ? err.message : String(err) });
  }
  options.onStart?.(size);
  const builder = new RosterImportBuilder(options.today);
  let report: ReadReport;
  try {
    report = await readRosterFile(file, kind, (row, cells) => builder.addRow(row, cells),
      options.onProgress ? (bytes) => options.onProgress?.('read', size > 0 ? Math.min(1, bytes / size) : 1) : undefined);
  } catch (err) {
    return fileFailure('roster.file.unreadable', { detail: err instanceof Error ? err.message : String(err) });
  }
  if (options.dryRun) {
    return { plan: builder.finish(await loadExistingStudents(db)), applied: false, file: report };
  }
  options.onProgress?.('write', 0);
  const plan = await applyRosterImport(db, builder, {
    actor: options.actor,
    origin: options.origin ?? 'local',
    source: basename(file),
    now: (options.now?.() ?? new Date()).toISOString(),
  });
  options.onProgress?.('write', 1);
  return { plan, applied: plan.errors.length === 0, file: report };
}
