import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../controller/src/store/database.ts';
import { buildProgram } from '../../controller/src/cli/program.ts';
import type { BackupReport } from '../../controller/src/store/backup/backup.ts';
import type { BackupManifest } from '../../controller/src/store/backup/manifest.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { rigInProcess } from '../support/rig.ts';

let k: TestKiosk;
let scratch: string;
const backupDir = (): string => join(scratch, 'usb', 'rig-backup');

/** One student through the kiosk API, from scan to an accepted, stored photo. */
async function acceptPhoto(i: number): Promise<void> {
  const s = k.runtime.demoStudents[i];
  if (!s) throw new Error(`no demo student ${i}`);
  expect((await k.api('POST', '/api/kiosk/scan', { code: s.collectionCode })).status).toBe(200);
  await k.waitFor('confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.api('POST', '/api/kiosk/confirm');
  await k.waitFor('pose');
  await k.api('POST', '/api/kiosk/capture');
  expect((await k.waitFor('review')).session?.review?.verdict).toBe('pass');
  expect((await k.api('POST', '/api/kiosk/accept')).status).toBe(200);
  await k.waitFor('receipt');
  await k.api('POST', '/api/kiosk/confirm');
  await k.waitFor('idle');
}

async function backup(): Promise<BackupReport> {
  const run = await rigInProcess(['--data', k.dataDir, 'backup', '--out', backupDir(), '--json']);
  expect(run.code, run.stdout).toBe(0);
  return JSON.parse(run.stdout) as BackupReport;
}

function manifest(dir = backupDir()): BackupManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
}

async function archivePaths(): Promise<string[]> {
  const rows = await k.runtime.db.all<{ original_path: string; deliverable_path: string }>('SELECT original_path, deliverable_path FROM accepted_photos');
  return rows.flatMap((r) => [r.original_path, r.deliverable_path]).sort();
}

const hasVerify = buildProgram().commands.some((c) => c.name() === 'verify');

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rig-backup-'));
  k = await startTestKiosk({});
  await acceptPhoto(0);
  await acceptPhoto(1);
}, 120_000);
afterAll(async () => {
  await k?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('rig backup and rig restore', () => {
  it('backs up a running kiosk: the database snapshot and every photo file, each with its hash', async () => {
    const report = await backup();
    expect(report).toMatchObject({ copied: 4, unchanged: 0, problems: [] });
    const m = manifest();
    expect(m.files.map((f) => f.path).sort()).toEqual(await archivePaths());
    for (const f of m.files) expect(readFileSync(join(backupDir(), f.path))).toEqual(readFileSync(join(k.dataDir, f.path)));
    expect(existsSync(join(backupDir(), m.database.path))).toBe(true);
    // One self-contained file: no WAL beside the snapshot.
    expect(readdirSync(backupDir()).filter((n) => n.endsWith('-wal'))).toEqual([]);
  });

  it('copies only what is new on the next run, leaving the earlier copies untouched', async () => {
    const before = manifest();
    const mtimes = new Map(before.files.map((f) => [f.path, statSync(join(backupDir(), f.path)).mtimeMs]));
    await acceptPhoto(2);
    const report = await backup();
    expect(report).toMatchObject({ copied: 2, unchanged: 4, problems: [] });
    for (const [path, mtime] of mtimes) expect(statSync(join(backupDir(), path)).mtimeMs).toBe(mtime);
    const after = manifest();
    expect(after.files).toHaveLength(6);
    // The previous snapshot goes once the new manifest names the new one.
    expect(existsSync(join(backupDir(), before.database.path))).toBe(false);
    expect(readdirSync(backupDir()).filter((n) => n.endsWith('.db'))).toEqual([after.database.path]);
  });

  it('restores into an empty data folder with byte-identical photos and the same rows', async () => {
    const target = join(scratch, 'restored');
    const run = await rigInProcess(['--data', target, 'restore', backupDir()]);
    expect(run.code, run.stdout).toBe(0);
    const paths = await archivePaths();
    expect(paths).toHaveLength(6);
    for (const p of paths) expect(readFileSync(join(target, p))).toEqual(readFileSync(join(k.dataDir, p)));
    const restored = await Database.open(join(target, 'rig.db'));
    try {
      const sql = 'SELECT * FROM accepted_photos ORDER BY id';
      expect(await restored.all(sql)).toEqual(await k.runtime.db.all(sql));
    } finally {
      await restored.close();
    }
  });

  it.skipIf(!hasVerify)('leaves rig verify clean after the restore (runs once rig verify exists)', async () => {
    const target = join(scratch, 'restored');
    const run = await rigInProcess(['--data', target, 'verify']);
    expect(run.code, run.stdout).toBe(0);
  });

  it('refuses a data folder that is not empty unless forced, and then moves the old contents aside', async () => {
    const target = join(scratch, 'restored');
    const refused = await rigInProcess(['--data', target, 'restore', backupDir()]);
    expect(refused.code).toBe(73);
    const forced = await rigInProcess(['--data', target, 'restore', backupDir(), '--force']);
    expect(forced.code, forced.stdout).toBe(0);
    const aside = readdirSync(target).filter((n) => n.startsWith('replaced-'));
    expect(aside).toHaveLength(1);
    expect(existsSync(join(target, aside[0] ?? '', 'rig.db'))).toBe(true);
    expect(existsSync(join(target, aside[0] ?? '', 'archive'))).toBe(true);
  });

  it('refuses a damaged backup before touching the data folder', async () => {
    const damaged = join(scratch, 'damaged');
    cpSync(backupDir(), damaged, { recursive: true });
    const victim = manifest(damaged).files[3]?.path ?? 'missing';
    const bytes = readFileSync(join(damaged, victim));
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(join(damaged, victim), bytes);
    const target = join(scratch, 'untouched');
    mkdirSync(target);
    const run = await rigInProcess(['--data', target, 'restore', damaged]);
    expect(run.code).toBe(65);
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses a folder that is not a backup', async () => {
    const run = await rigInProcess(['--data', join(scratch, 'x'), 'restore', scratch]);
    expect(run.code).toBe(65);
  });
});
