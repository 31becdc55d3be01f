/**
 * File copies for backups and restores: each file read, hashed, written under a temporary name,
 * fsynced, read back and hashed again before it is renamed into place, so a copy that lands is the
 * bytes that were read; a bad USB stick shows as a hash mismatch, not as a quiet bad photo.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 and size of a file, or null when it is absent. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number } | null> {
  const data = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  return data === null ? null : { sha256: sha256Of(data), bytes: data.length };
}

export async function fileSize(path: string): Promise<number | null> {
  const st = await stat(path).catch(() => null);
  return st?.isFile() ? st.size : null;
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Thrown when the bytes read back from a written copy differ from what was written. */
export class CopyMismatchError extends Error {
  constructor(readonly path: string) {
    super(`copy of ${path} reads back different bytes`);
  }
}

/**
 * Writes `data` to `dest` (replacing it if present) through a temp file; the temp file is read back
 * and must hash to `sha256` before the rename. Returns nothing: the caller already knows the hash.
 */
export async function writeVerified(dest: string, data: Buffer, sha256: string): Promise<void> {
  const dir = dirname(dest);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (sha256Of(await readFile(temp)) !== sha256) throw new CopyMismatchError(dest);
    await rename(temp, dest);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/** `rel` (forward slashes) under `root`, refusing anything that would leave it. */
export function insideFolder(root: string, rel: string): string | null {
  const parts = rel.split('/');
  if (rel.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) return null;
  return join(root, ...parts);
}
