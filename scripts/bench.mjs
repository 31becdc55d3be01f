// `npm run bench -- NAME` runs test/bench/NAME.bench.ts (through tsx) and passes the rest of the arguments on.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(new URL('../test/bench/', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (NAME: ${available.join(', ') || 'none yet'})`);
  process.exit(64);
}
const file = new URL(`../test/bench/${name}.bench.ts`, import.meta.url).pathname;
if (!existsSync(file)) process.exit(64);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file, ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
