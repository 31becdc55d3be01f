import { resolve, sep } from 'node:path';

/** Absolute path of a file recorded relative to the data folder; refuses anything that leaves it. */
export function resolveInData(dataDir: string, relativePath: string): string {
  const root = resolve(dataDir);
  const full = resolve(root, relativePath);
  if (!full.startsWith(root + sep)) throw new Error(`path ${relativePath} leaves the data folder`);
  return full;
}
