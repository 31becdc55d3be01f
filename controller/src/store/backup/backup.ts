/**
 * `rig backup`: the database through SQLite's online backup (safe while the kiosk runs), then the
 * archive files that snapshot names. The snapshot is taken first: the archive only grows and a
 * photo's files are written before its row commits, so every file the snapshot names is already on
 * disk, and files that arrive later belong to the next backup. Incremental: a file the previous
 * manifest lists with the same hash, still present in the backup at its size, is not copied again.
 */
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import sqlite3 from 'sqlite3';
import type { Database } from '../database.ts';
import type { BackupCode } from '../../domain/messages/index.ts';
import { CopyMismatchError, fileSize, fsyncDir, hashFile, insideFolder, sha256Of, writeVerified } from './files.ts';
import { manifestFormat, readManifestIfAny, writeManifest, type BackupFileEntry, type BackupManifest } from './manifest.ts';

/** Something wrong found while backing up; the backup still completes with what there is. */
export interface BackupProblem {
  code: Extract<BackupCode, 'backup.file.missing' | 'backup.file.changed' | 'backup.file.outside' | 'backup.copy_mismatch'>;
  path: string;
}

export interface BackupReport {
  folder: string;
  database: BackupFileEntry;
  schemaVersion: number;
  /** Files written this time. */
  copied: number;
  bytesCopied: number;
  /** Files already in the backup with the same hash, left alone. */
  unchanged: number;
  /** Archive files no row of the snapshot names (orphans, or photos saved after the snapshot). */
  unreferenced: number;
  problems: BackupProblem[];
}

interface SnapshotFacts {
  schemaVersion: number;
  files: BackupFileEntry[];
}

function snapshotQuery<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));
}

/**
 * Reads what the snapshot file names, and turns it into a plain rollback-journal database so that
 * the backup folder is one self-contained file (no -wal beside it).
 */
async function readSnapshot(file: string): Promise<SnapshotFacts> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d: sqlite3.Database = new sqlite3.Database(file, (err: Error | null) => (err ? reject(err) : resolve(d)));
  });
  try {
    await snapshotQuery(db, 'PRAGMA journal_mode = DELETE');
    const [version] = await snapshotQuery<{ user_version: number }>(db, 'PRAGMA user_version');
    const hasPhotos = (await snapshotQuery(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accepted_photos'")).length > 0;
    const rows = hasPhotos
      ? await snapshotQuery<{ original_path: string; original_sha256: string; original_bytes: number; deliverable_path: string; deliverable_sha256: string; deliverable_bytes: number }>(
        db, 'SELECT original_path, original_sha256, original_bytes, deliverable_path, deliverable_sha256, deliverable_bytes FROM accepted_photos ORDER BY id')
      : [];
    const byPath = new Map<string, BackupFileEntry>();
    for (const r of rows) {
      byPath.set(r.original_path, { path: r.original_path, bytes: r.original_bytes, sha256: r.original_sha256 });
      byPath.set(r.deliverable_path, { path: r.deliverable_path, bytes: r.deliverable_bytes, sha256: r.deliverable_sha256 });
    }
    return { schemaVersion: version?.user_version ?? 0, files: [...byPath.values()] };
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

async function listArchive(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dataDir, ...rel.split('/')), { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    for (const e of entries) {
      const child = posix.join(rel, e.name);
      if (e.isDirectory()) await walk(child);
      else if (e.isFile() && !e.name.endsWith('.tmp')) out.push(child);
    }
  };
  await walk('archive');
  return out;
}

function stampOf(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

export async function createBackup(db: Database, dataDir: string, folder: string, now: Date): Promise<BackupReport> {
  await mkdir(folder, { recursive: true });
  const previous = await readManifestIfAny(folder);

  const dbName = `rig-${stampOf(now)}.db`;
  const temp = join(folder, `.${dbName}.tmp`);
  await unlink(temp).catch(() => undefined);
  let facts: SnapshotFacts;
  let database: BackupFileEntry;
  try {
    await db.backupTo(temp);
    facts = await readSnapshot(temp);
    const hashed = await hashFile(temp);
    if (hashed === null) throw new Error(`snapshot vanished: ${temp}`);
    database = { path: dbName, ...hashed };
    await rename(temp, join(folder, dbName));
    await fsyncDir(folder);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }

  const before = new Map((previous?.files ?? []).map((f) => [f.path, f]));
  const problems: BackupProblem[] = [];
  const files: BackupFileEntry[] = [];
  let copied = 0;
  let bytesCopied = 0;
  let unchanged = 0;
  for (const expected of facts.files) {
    const source = insideFolder(dataDir, expected.path);
    const dest = insideFolder(folder, expected.path);
    if (source === null || dest === null || !expected.path.startsWith('archive/')) {
      problems.push({ code: 'backup.file.outside', path: expected.path });
      continue;
    }
    const had = before.get(expected.path);
    if (had && had.sha256 === expected.sha256 && had.bytes === expected.bytes && (await fileSize(dest)) === expected.bytes) {
      files.push(had);
      unchanged += 1;
      continue;
    }
    const data = await readFile(source).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (data === null) {
      problems.push({ code: 'backup.file.missing', path: expected.path });
      continue;
    }
    // A file that no longer matches its row is still copied (it is the only copy there is), as it
    // is; the problem is reported, and `rig verify` on either side will name it too.
    const sha256 = sha256Of(data);
    if (sha256 !== expected.sha256 || data.length !== expected.bytes) problems.push({ code: 'backup.file.changed', path: expected.path });
    try {
      await writeVerified(dest, data, sha256);
    } catch (err) {
      if (!(err instanceof CopyMismatchError)) throw err;
      problems.push({ code: 'backup.copy_mismatch', path: expected.path });
      continue;
    }
    files.push({ path: expected.path, bytes: data.length, sha256 });
    copied += 1;
    bytesCopied += data.length;
  }

  const named = new Set(facts.files.map((f) => f.path));
  const unreferenced = (await listArchive(dataDir)).filter((p) => !named.has(p)).length;

  const manifest: BackupManifest = { format: manifestFormat, createdAt: now.toISOString(), schemaVersion: facts.schemaVersion, database, files };
  await writeManifest(folder, manifest);
  // Only now is the previous snapshot no longer what the manifest points at.
  if (previous && previous.database.path !== dbName) {
    const old = insideFolder(folder, previous.database.path);
    if (old !== null) await unlink(old).catch(() => undefined);
  }
  return { folder, database, schemaVersion: facts.schemaVersion, copied, bytesCopied, unchanged, unreferenced, problems };
}
