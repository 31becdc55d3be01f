// Builds the kiosk UI (kiosk-ui/dist) when it is missing or older than its sources. Used by
// `npm start` (prestart) and the test global setup, so a fresh clone needs no manual build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'kiosk-ui', 'dist', 'index.html');
const sources = [join(root, 'kiosk-ui', 'src'), join(root, 'kiosk-ui', 'index.html'), join(root, 'kiosk-ui', 'staff.html'), join(root, 'kiosk-ui', 'vite.config.ts'), join(root, 'controller', 'src', 'domain', 'messages')];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

export async function buildUi({ force = false } = {}) {
  if (!force && existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return false;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'kiosk-ui', 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const did = await buildUi({ force: process.argv.includes('--force') });
  console.log(did ? 'kiosk UI built: kiosk-ui/dist' : 'kiosk UI up to date');
}
