/**
 * `rig restore`: a backup folder back into the data folder. Every file of the backup is hashed
 * against its manifest before anything in the data folder is touched; a data folder with content is
 * refused unless forced, and even then its database and archive are moved aside into
 * `replaced-STAMP/` inside it, never deleted.
 */
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupCode } from '../../domain/messages/index.ts';
import { CopyMismatchError, fsyncDir, hashFile, insideFolder, writeVerified } from './files.ts';
import { readManifest, type BackupFileEntry } from './manifest.ts';

export interface RestoreProblem {
  code: Extract<BackupCode, 'restore.file.missing' | 'restore.file.hash' | 'restore.file.outside'>;
  path: string;
}

/** The restore did not start: the backup is damaged, or the data folder is in use. */
export class RestoreRefused extends Error {
  constructor(readonly code: 'restore.backup_damaged' | 'restore.not_empty', readonly problems: RestoreProblem[] = []) {
    super(code);
  }
}

export interface RestoreReport {
  files: number;
  bytes: number;
  schemaVersion: number;
  createdAt: string;
  /** Where the data folder's previous database and archive went (with --force), or null. */
  movedAside: string | null;
}

/** What the data folder may already hold without counting as "in use". */
const ignorable = new Set(['lost+found']);

async function entriesOf(dir: string): Promise<string[]> {
  return (await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  })).filter((name) => !ignorable.has(name));
}

async function checkBackup(folder: string, entries: BackupFileEntry[]): Promise<RestoreProblem[]> {
  const problems: RestoreProblem[] = [];
  for (const e of entries) {
    const path = insideFolder(folder, e.path);
    if (path === null) {
      problems.push({ code: 'restore.file.outside', path: e.path });
      continue;
    }
    const found = await hashFile(path);
    if (found === null) problems.push({ code: 'restore.file.missing', path: e.path });
    else if (found.sha256 !== e.sha256 || found.bytes !== e.bytes) problems.push({ code: 'restore.file.hash', path: e.path });
  }
  return problems;
}

/** The database and the archive the data folder holds now, moved into `replaced-STAMP/`. */
async function moveAside(dataDir: string, now: Date): Promise<string> {
  const aside = join(dataDir, `replaced-${now.toISOString().replace(/[-:.]/g, '')}`);
  await mkdir(aside, { recursive: true });
  for (const name of ['rig.db', 'rig.db-wal', 'rig.db-shm', 'archive']) {
    await rename(join(dataDir, name), join(aside, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  await fsyncDir(dataDir);
  return aside;
}

export async function restoreBackup(folder: string, dataDir: string, options: { force: boolean; now: Date }): Promise<RestoreReport> {
  const manifest = await readManifest(folder);
  const problems = await checkBackup(folder, [manifest.database, ...manifest.files]);
  if (problems.length > 0) throw new RestoreRefused('restore.backup_damaged', problems);
  const present = await entriesOf(dataDir);
  if (present.length > 0 && !options.force) throw new RestoreRefused('restore.not_empty');
  await mkdir(dataDir, { recursive: true });
  const movedAside = present.length > 0 ? await moveAside(dataDir, options.now) : null;

  let bytes = 0;
  const copy = async (entry: BackupFileEntry, to: string): Promise<void> => {
    const source = insideFolder(folder, entry.path);
    const dest = insideFolder(dataDir, to);
    if (source === null || dest === null) throw new RestoreRefused('restore.backup_damaged', [{ code: 'restore.file.outside', path: entry.path }]);
    const data = await readFile(source);
    try {
      await writeVerified(dest, data, entry.sha256);
    } catch (err) {
      // Checked a moment ago, so a mismatch now is the backup medium or the data disk failing.
      if (err instanceof CopyMismatchError) throw new RestoreRefused('restore.backup_damaged', [{ code: 'restore.file.hash', path: entry.path }]);
      throw err;
    }
    bytes += data.length;
  };
  // Archive first, database last: an interrupted restore leaves no database naming missing files.
  for (const f of manifest.files) await copy(f, f.path);
  for (const stale of ['rig.db-wal', 'rig.db-shm']) await unlink(join(dataDir, stale)).catch(() => undefined);
  await copy(manifest.database, 'rig.db');
  return { files: manifest.files.length, bytes, schemaVersion: manifest.schemaVersion, createdAt: manifest.createdAt, movedAside };
}
