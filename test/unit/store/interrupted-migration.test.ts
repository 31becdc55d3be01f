import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../../controller/src/store/database.ts';
import { migrations } from '../../../controller/src/store/migrations/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-mig5-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 005: sessions may end as interrupted', () => {
  it('keeps every session and the attempts that refer to them, and accepts the new outcome', async () => {
    const file = join(dir, 'rig.db');
    const v4 = await Database.open(file, { migrations: migrations.slice(0, 4) });
    await expect(v4.run(`INSERT INTO capture_sessions (code_text, started_at, outcome) VALUES ('x', '2026-06-10T00:00:00Z', 'interrupted')`)).rejects.toThrow(/CHECK/);
    await v4.run(`INSERT INTO students (id, id_number, name, gender, birth_date, school_code, education_level, major, department, class_name, student_number, education_category, qualification_passed, row_hash, imported_at, updated_at)
      VALUES (1, '11010519491231002X', 'A', 'F', '1949-12-31', '10000', '本科', 'M', 'D', 'C', '1', 'regular', 1, 'h', 't', 't')`);
    await v4.run(`INSERT INTO capture_sessions (id, student_id, code_text, started_at, ended_at, outcome, reason) VALUES (7, 1, 'code', '2026-06-10T00:00:00Z', '2026-06-10T00:01:00Z', 'timeout', 'r')`);
    await v4.run(`INSERT INTO capture_sessions (id, student_id, code_text, started_at) VALUES (8, 1, 'code', '2026-06-10T00:02:00Z')`);
    await v4.run(`INSERT INTO capture_attempts (session_id, student_id, attempt_no, taken_at, profile, verdict, reasons, checks, timings, original_sha256, original_bytes)
      VALUES (7, 1, 1, 't', 'p', 'pass', '[]', '[]', '{}', 'h', 1)`);
    await v4.close();

    const db = await Database.open(file, { migrations: migrations.slice(0, 5) });
    try {
      expect(await db.schemaVersion()).toBe(5);
      expect(await db.all('SELECT id, student_id, code_text, ended_at, outcome, reason FROM capture_sessions ORDER BY id')).toEqual([
        { id: 7, student_id: 1, code_text: 'code', ended_at: '2026-06-10T00:01:00Z', outcome: 'timeout', reason: 'r' },
        { id: 8, student_id: 1, code_text: 'code', ended_at: null, outcome: null, reason: null },
      ]);
      await db.run(`UPDATE capture_sessions SET outcome = 'interrupted', ended_at = 't' WHERE id = 8`);
      await expect(db.run(`UPDATE capture_sessions SET outcome = 'vanished' WHERE id = 8`)).rejects.toThrow(/CHECK/);
      expect(await db.all('PRAGMA foreign_key_check')).toEqual([]);
      // Foreign keys are back on after the rebuild.
      await expect(db.run(`INSERT INTO capture_attempts (session_id, student_id, attempt_no, taken_at, profile, verdict, reasons, checks, timings, original_sha256, original_bytes)
        VALUES (999, 1, 1, 't', 'p', 'pass', '[]', '[]', '{}', 'h', 1)`)).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await db.close();
    }
  });
});
