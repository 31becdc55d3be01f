/** Free space of the filesystem holding a folder, as an unprivileged process may use it. */
import { statfs } from 'node:fs/promises';

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}
