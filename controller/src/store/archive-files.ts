/**
 * The archive as files on disk, beside the rows that own them: listing every file under
 * `archive/`, telling which ones no `accepted_photos` row names (orphans), and moving orphans aside
 * into `quarantine/` in the data folder. Orphans are kept, never deleted: a file written just before
 * a crash is still a student's photo, and staff may want it back.
 */
import { mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { dirname, join, posix, sep } from 'node:path';
import type { Queryable } from './database.ts';

/** Where orphans go, relative to the data folder. */
export const quarantineFolder = 'quarantine';

/** Every regular file under `DATA/archive`, as data-folder-relative paths with forward slashes, sorted. */
export async function listArchiveFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dataDir, rel), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const child = posix.join(rel, e.name);
      if (e.isDirectory()) await walk(child);
      else out.push(child);
    }
  };
  await walk('archive');
  return out.sort();
}

/** Paths the database knows (both files of every accepted photo, superseded ones included). */
export async function recordedPaths(q: Queryable): Promise<Set<string>> {
  const rows = await q.all<{ original_path: string; deliverable_path: string }>('SELECT original_path, deliverable_path FROM accepted_photos');
  const paths = new Set<string>();
  for (const r of rows) {
    paths.add(r.original_path);
    paths.add(r.deliverable_path);
  }
  return paths;
}

/** Archive files no row names: files written before a commit that never happened, and temp files of interrupted writes. */
export async function findOrphans(q: Queryable, dataDir: string): Promise<string[]> {
  const known = await recordedPaths(q);
  return (await listArchiveFiles(dataDir)).filter((p) => !known.has(p));
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/**
 * Moves archive files to `DATA/quarantine/STAMP/<their archive path>` (same filesystem: a rename),
 * freeing their names. Returns the new data-folder-relative paths, in the order given.
 */
export async function moveAside(dataDir: string, relPaths: readonly string[], at: Date): Promise<string[]> {
  const stamp = at.toISOString().replace(/:/g, '-');
  const moved: string[] = [];
  for (const rel of relPaths) {
    let target = posix.join(quarantineFolder, stamp, rel);
    for (let n = 2; await exists(join(dataDir, target)); n++) target = posix.join(quarantineFolder, `${stamp}~${n}`, rel);
    const from = join(dataDir, ...rel.split('/'));
    const to = join(dataDir, ...target.split('/'));
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
    // Both directories: the name must be free (and the file kept) after a power cut too.
    await fsyncDir(dirname(to));
    await fsyncDir(dirname(from));
    moved.push(target.split(sep).join('/'));
  }
  return moved;
}
