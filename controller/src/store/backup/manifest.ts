/**
 * The backup folder's table of contents, `manifest.json`: the database snapshot and every archive
 * file with size and SHA-256. It is written last and atomically, so a folder whose copy was cut off
 * still describes the previous complete backup (whose database file is kept until then).
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import Value from 'typebox/value';
import { Type, type Static } from 'typebox';
import { fsyncDir } from './files.ts';

export const manifestName = 'manifest.json';
export const manifestFormat = 'rig-backup/1';

const FileEntry = Type.Object({
  /** Relative to the backup folder (and to the data folder once restored), forward slashes. */
  path: Type.String({ minLength: 1 }),
  bytes: Type.Integer({ minimum: 0 }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
});
export type BackupFileEntry = Static<typeof FileEntry>;

export const BackupManifestSchema = Type.Object({
  format: Type.Literal(manifestFormat),
  createdAt: Type.String(),
  /** The database's schema version (PRAGMA user_version) at the snapshot. */
  schemaVersion: Type.Integer({ minimum: 0 }),
  /** The snapshot; `path` is a file name in the backup folder, restored as `rig.db`. */
  database: FileEntry,
  /** Archive files named by the snapshot's accepted photos, `archive/...`. */
  files: Type.Array(FileEntry),
});
export type BackupManifest = Static<typeof BackupManifestSchema>;

/** Why a manifest could not be used: absent, or present but not one of ours. */
export class ManifestError extends Error {
  constructor(readonly code: 'backup.no_manifest' | 'backup.bad_manifest', readonly folder: string) {
    super(`${code}: ${folder}`);
  }
}

export async function readManifest(folder: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(folder, manifestName), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ManifestError('backup.no_manifest', folder);
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ManifestError('backup.bad_manifest', folder);
  }
  if (!Value.Check(BackupManifestSchema, value)) throw new ManifestError('backup.bad_manifest', folder);
  return value;
}

/** The previous manifest when there is a usable one; null for a fresh folder or a foreign file. */
export async function readManifestIfAny(folder: string): Promise<BackupManifest | null> {
  try {
    return await readManifest(folder);
  } catch (err) {
    if (err instanceof ManifestError) return null;
    throw err;
  }
}

export async function writeManifest(folder: string, manifest: BackupManifest): Promise<void> {
  const temp = join(folder, `.${manifestName}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(manifest, null, 1)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(folder, manifestName));
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(folder);
}
