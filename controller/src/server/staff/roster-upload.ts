/**
 * The roster importer behind `POST /api/rosters`: the uploaded bytes go straight to the isolated
 * reader (no temp file of the upload; the reader's temp folder is under DATA/tmp and removed after) and through the same all-or-nothing import as `rig import-roster`. The
 * request's abort signal (the client hung up) stops the read.
 */
import { join } from 'node:path';
import { wallClock } from '../../domain/local-time.ts';
import type { Database } from '../../store/database.ts';
import type { ReadLimits } from '../../formats/spreadsheet/limits.ts';
import { importRosterBytes } from '../../app/roster-import.ts';
import type { RosterImporter } from './context.ts';
import { sqlRosterStore } from '../../store/students.ts';

/** Letters (any script), digits, dot, dash, underscore; never a path. */
export function uploadFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base.normalize('NFKC').replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_').slice(-100);
  return cleaned || 'roster';
}

export function rosterImporter(db: Database, dataDir: string, timeZone: string, now: () => Date, limits: Partial<ReadLimits> = {}): RosterImporter {
  return async (file, options) => {
    const outcome = await importRosterBytes(sqlRosterStore(db), uploadFileName(file.name), file.bytes, {
      dryRun: options.dryRun, today: wallClock(now(), timeZone).date, actor: options.actor, origin: options.origin, now,
      signal: options.signal, limits, tempRoot: join(dataDir, 'tmp'),
    });
    const { plan } = outcome;
    return {
      added: plan.add.length, updated: plan.update.length, unchanged: plan.unchanged, errors: plan.errors,
      ...(plan.errorsOmitted ? { errorsOmitted: plan.errorsOmitted } : {}),
      ...(outcome.refused ? { refused: outcome.refused } : {}),
    };
  };
}
