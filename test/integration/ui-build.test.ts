/** `rig serve` on a fresh install builds the screens it serves (the same build `npm start` runs). */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUi } from '../../scripts/build-ui.mjs';

const dir = mkdtempSync(join(tmpdir(), 'rig-ui-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kiosk UI build', () => {
  it('builds both pages where none are built yet, and leaves an up-to-date build alone', async () => {
    const outDir = join(dir, 'dist');
    expect(existsSync(outDir)).toBe(false);
    expect(await buildUi({ outDir })).toBe(true);
    for (const page of ['index.html', 'staff.html']) {
      const html = readFileSync(join(outDir, page), 'utf8');
      const script = /<script type="module" crossorigin src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script, page).toBeDefined();
      expect(existsSync(join(outDir, script!)), `${page}: ${script}`).toBe(true);
    }
    expect(await buildUi({ outDir })).toBe(false);
  }, 180_000);
});
