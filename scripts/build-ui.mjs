// Builds the kiosk UI (kiosk-ui/dist) when it is missing or older than its sources. Used by
// `npm start` (prestart), `rig serve` (so a fresh install serves its screens without a manual build
// step) and the test global setup.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const defaultUiDir = join(root, 'kiosk-ui', 'dist');
const sources = [join(root, 'kiosk-ui', 'src'), join(root, 'kiosk-ui', 'index.html'), join(root, 'kiosk-ui', 'staff.html'), join(root, 'kiosk-ui', 'vite.config.ts'), join(root, 'controller', 'src', 'domain', 'messages')];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

/** Builds into `outDir` (default kiosk-ui/dist) unless it is up to date; resolves to whether it built. */
export async function buildUi({ force = false, outDir = defaultUiDir } = {}) {
  const built = join(outDir, 'index.html');
  if (!force && existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return false;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'kiosk-ui', 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const did = await buildUi({ force: process.argv.includes('--force') });
  console.log(did ? 'kiosk UI built: kiosk-ui/dist' : 'kiosk UI up to date');
}
