/**
 * `rig export --out` never overwrites without --force and never writes into the data folder: the
 * reported accident renamed the ZIP over the live database (then SQLITE_NOTADB).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../controller/src/store/database.ts';
import { rigInProcess } from '../support/rig.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-export-out-'));
const data = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rig = (...args: string[]) => rigInProcess(['--data', data, ...args]);
const exportTo = (out: string, ...more: string[]) => rig('export', '--date', '2026-06-10', '--out', out, ...more);

describe('rig export --out', () => {
  it('refuses every path into the data folder, with or without --force, and the database stays usable', async () => {
    await (await Database.open(join(data, 'rig.db'))).close();
    const before = readFileSync(join(data, 'rig.db'));
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(data, 'rig.db'), join(dir, 'elsewhere', 'link.zip'));
    symlinkSync(data, join(dir, 'elsewhere', 'datadir'));
    for (const out of [join(data, 'rig.db'), join(data, 'rig.db-wal'), join(data, 'archive', 'x.zip'), join(data, 'batch.zip'),
      join(dir, 'elsewhere', 'link.zip'), join(dir, 'elsewhere', 'datadir', 'rig.db'), join(data, '..', 'data', 'rig.db')]) {
      for (const force of [[], ['--force']]) {
        const r = await exportTo(out, ...force);
        expect({ out, force, code: r.code }).toEqual({ out, force, code: 73 });
      }
    }
    expect(readFileSync(join(data, 'rig.db')).equals(before)).toBe(true);
    const db = await Database.open(join(data, 'rig.db'));
    expect(await db.schemaVersion()).toBeGreaterThan(0);
    await db.close();
  });

  it('refuses to replace an existing file unless --force, then replaces it whole', async () => {
    const out = join(dir, 'batch.zip');
    writeFileSync(out, 'keep me');
    expect((await exportTo(out)).code).toBe(73);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect((await exportTo(out, '--force')).code).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString('hex')).toMatch(/^504b0(3|5)/);
    const fresh = join(dir, 'fresh.zip');
    expect((await exportTo(fresh)).code).toBe(0);
  });
});
