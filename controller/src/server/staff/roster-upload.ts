/**
 * The roster importer behind `POST /api/rosters`: the uploaded bytes go to a private temp folder
 * under the data folder (under their own, cleaned-up name, which the importer's audit row shows)
 * and through the same all-or-nothing import as `rig import-roster`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wallClock } from '../../domain/local-time.ts';
import type { Database } from '../../store/database.ts';
import { importRosterFile } from '../../app/roster-import.ts';
import type { RosterImporter } from './context.ts';
import { sqlRosterStore } from '../../store/students.ts';

/** Letters (any script), digits, dot, dash, underscore; never a path. */
export function uploadFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base.normalize('NFKC').replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_').slice(-100);
  return cleaned || 'roster';
}

export function rosterImporter(db: Database, dataDir: string, timeZone: string, now: () => Date): RosterImporter {
  return async (file, options) => {
    const dir = join(dataDir, 'tmp', `upload-${randomUUID()}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, uploadFileName(file.name));
    try {
      await writeFile(path, file.bytes, { mode: 0o600 });
      const { plan } = await importRosterFile(sqlRosterStore(db), path, {
        dryRun: options.dryRun, today: wallClock(now(), timeZone).date, actor: options.actor, origin: options.origin, now,
      });
      return { added: plan.add.length, updated: plan.update.length, unchanged: plan.unchanged, errors: plan.errors };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
