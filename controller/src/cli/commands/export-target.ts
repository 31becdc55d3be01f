/**
 * Where `rig export --out` may write. A typo must not cost the room its data: the ZIP never lands
 * inside the data folder (its database, WAL, archive, caches), through symlinks or not, and an
 * existing file is replaced only with `--force`.
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, relative, resolve, isAbsolute, join } from 'node:path';

export type ExportTargetProblem = 'export.out_in_data' | 'export.out_exists' | 'export.out_not_file';

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
function realish(p: string): string {
  const rest: string[] = [];
  let cur = p;
  while (!existsSync(cur)) {
    const up = dirname(cur);
    if (up === cur) break;
    rest.unshift(basename(cur));
    cur = up;
  }
  return join(realpathSync(cur), ...rest);
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Why `out` may not be written, or null. `dataRoot` is the data folder. */
export function exportTargetProblem(out: string, dataRoot: string, force: boolean): ExportTargetProblem | null {
  const target = resolve(out);
  const data = realish(resolve(dataRoot));
  // The target's own name may be a symlink into the data folder: follow it as well as its folder.
  const real = existsSync(target) ? realpathSync(target) : join(realish(dirname(target)), basename(target));
  if (inside(real, data) || inside(join(realish(dirname(target)), basename(target)), data)) return 'export.out_in_data';
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return null;
  }
  if (!stat.isFile() && !stat.isSymbolicLink()) return 'export.out_not_file';
  return force ? null : 'export.out_exists';
}
