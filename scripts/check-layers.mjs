// Dependency rule: domain/ is pure (no I/O, no adapters); adapters and entry points may import domain.
// Fails lint when an import crosses the rule. Kept tiny on purpose: a regex over import specifiers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const rules = [
  {
    from: 'controller/src/domain',
    forbid: (spec, target) =>
      /^(node:)?(fs|fs\/promises|net|http|https|child_process|os|dgram|worker_threads)$/.test(spec) ||
      /^(sqlite3|sharp|fastify|@fastify\/|pino|exceljs|serialport|johnny-five|@vladmandic\/human|playwright)/.test(spec) ||
      (target !== null && !target.startsWith('controller/src/domain')),
    why: 'domain/ must stay pure: no I/O modules and no imports from adapters',
  },
  {
    from: 'controller/src/store',
    forbid: (_spec, target) => target !== null && /^controller\/src\/(server|cli|camera|imaging)\//.test(target),
    why: 'store/ depends on domain only',
  },
  {
    from: 'controller/src/imaging',
    forbid: (_spec, target) => target !== null && /^controller\/src\/(server|cli|store|camera)\//.test(target),
    why: 'imaging/ depends on domain only',
  },
];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts)$/.test(name)) yield p;
  }
}

const problems = [];
for (const rule of rules) {
  const dir = join(root, rule.from);
  let list;
  try { list = [...files(dir)]; } catch { continue; }
  for (const file of list) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : null;
      if (rule.forbid(spec, target)) problems.push(`${relative(root, file)}: imports '${spec}': ${rule.why}`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layers: ok');
