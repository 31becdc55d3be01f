/**
 * Crash-safe file writes for the image archive: temp file in the same directory, fsync, rename over
 * the final name, fsync the directory. After a power cut a file is either absent or complete; an
 * orphan temp file is what `rig verify` cleans up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface WrittenFile {
  path: string;
  sha256: string;
  /** CRC-32 (as in ZIP), unsigned */
  crc32: number;
  bytes: number;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `path` atomically; refuses to replace an existing file (archive files are never rewritten). */
export async function writeFileAtomic(path: string, data: Buffer): Promise<WrittenFile> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    // link + unlink would refuse an existing target; rename would silently replace it, so check first.
    const exists = await open(path, 'r').then(async (h) => (await h.close(), true), () => false);
    if (exists) throw Object.assign(new Error(`archive file exists: ${path}`), { code: 'EEXIST' });
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
  return { path, sha256: sha256(data), crc32: crc32(data), bytes: data.length };
}
