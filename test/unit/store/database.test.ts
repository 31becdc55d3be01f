import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../../controller/src/store/database.ts';
import { migrations } from '../../../controller/src/store/migrations/index.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rig-db-'));
  dirs.push(dir);
  return join(dir, 'rig.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Database', () => {
  it('applies every migration once, in WAL mode with foreign keys on', async () => {
    const file = tempFile();
    const db = await Database.open(file);
    expect(await db.schemaVersion()).toBe(migrations.length);
    expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
    expect((await db.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))?.foreign_keys).toBe(1);
    await db.close();
    const again = await Database.open(file);
    expect(await again.schemaVersion()).toBe(migrations.length);
    await again.close();
  });

  it('rolls a failed transaction back completely', async () => {
    const db = await Database.open(tempFile());
    await expect(
      db.transaction(async (tx) => {
        await tx.run(`INSERT INTO audit_log (at, actor, origin, action) VALUES ('t', 'a', 'local', 'x')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))?.n).toBe(0);
    await db.close();
  });

  it('keeps statements from other callers out of an open transaction', async () => {
    const db = await Database.open(tempFile());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db.transaction(async (q) => {
      await q.run(`INSERT INTO audit_log (at, actor, origin, action) VALUES ('t', 'tx', 'local', 'x')`);
      await gate;
      throw new Error('abort');
    });
    const outside = db.run(`INSERT INTO audit_log (at, actor, origin, action) VALUES ('t', 'outside', 'local', 'y')`);
    release();
    await expect(tx).rejects.toThrow('abort');
    await outside;
    const rows = await db.all<{ actor: string }>('SELECT actor FROM audit_log');
    expect(rows.map((r) => r.actor)).toEqual(['outside']);
    await db.close();
  });

  it('refuses a database newer than the program', async () => {
    const file = tempFile();
    const db = await Database.open(file);
    await db.exec(`PRAGMA user_version = ${migrations.length + 5}`);
    await db.close();
    await expect(Database.open(file)).rejects.toThrow(/newer than this program/);
  });
});
