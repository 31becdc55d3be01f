/**
 * `rig verify`: reconciles the database and the image archive.
 *
 * - every accepted photo's two files exist with the recorded size, CRC-32 (deliverables accepted
 *   since migration 004) and SHA-256;
 * - no archive file lacks a row (with `repair`, such files are moved aside into `quarantine/`, kept);
 * - sequence numbers per day and school run 1..n, each once;
 * - SQLite's own `integrity_check` and `foreign_key_check`.
 *
 * The rows and the archive listing are read (and orphans moved) inside one IMMEDIATE transaction, so
 * a photo the running kiosk is committing at that moment is never mistaken for an orphan; the slow
 * part, hashing, happens after it, off the lock.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { VerifyCode } from '../domain/messages/verify.ts';
import type { Database } from './database.ts';
import { listArchiveFiles, moveAside } from './archive-files.ts';
import { appendAudit } from './audit-log.ts';

export interface VerifyProblem {
  /** Stable reason code (texts in domain/messages/verify.ts). */
  code: VerifyCode;
  /** Data-folder-relative file the problem is about, or null (database-wide problems). */
  path: string | null;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  checked: { photos: number; files: number; archiveFiles: number; sequences: number };
  /** Problems that remain. */
  problems: VerifyProblem[];
  /** Problems put right by `repair` (orphans moved aside; `detail` names where to). */
  repaired: VerifyProblem[];
}

interface PhotoRow {
  id: number;
  day: string;
  school_code: string;
  sequence: number;
  original_path: string;
  original_sha256: string;
  original_bytes: number;
  deliverable_path: string;
  deliverable_sha256: string;
  deliverable_bytes: number;
  deliverable_crc32: number | null;
}

interface ExpectedFile {
  path: string;
  bytes: number;
  sha256: string;
  crc32: number | null;
}

/** Reads a file once, computing both digests. */
async function digest(path: string): Promise<{ sha256: string; crc32: number }> {
  const hash = createHash('sha256');
  let crc = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    crc = crc32(chunk, crc);
  }
  return { sha256: hash.digest('hex'), crc32: crc };
}

async function checkFile(dataDir: string, f: ExpectedFile): Promise<VerifyProblem | null> {
  if (f.path.split('/').some((s) => s === '..' || s === '') || !f.path.startsWith('archive/')) {
    return { code: 'verify.file.outside', path: f.path, detail: 'recorded path is not inside archive/' };
  }
  const full = join(dataDir, ...f.path.split('/'));
  const st = await stat(full).catch(() => null);
  if (!st || !st.isFile()) return { code: 'verify.file.missing', path: f.path, detail: 'no such file' };
  if (st.size !== f.bytes) return { code: 'verify.file.size', path: f.path, detail: `recorded ${f.bytes} bytes, found ${st.size}` };
  const d = await digest(full);
  if (f.crc32 !== null && d.crc32 !== f.crc32) return { code: 'verify.file.crc32', path: f.path, detail: `recorded CRC-32 ${f.crc32.toString(16)}, found ${d.crc32.toString(16)}` };
  if (d.sha256 !== f.sha256) return { code: 'verify.file.sha256', path: f.path, detail: `recorded SHA-256 ${f.sha256}, found ${d.sha256}` };
  return null;
}

/** Gaps and repeats in each (day, school) run of sequence numbers. */
export function sequenceProblems(rows: ReadonlyArray<Pick<PhotoRow, 'day' | 'school_code' | 'sequence'>>): { problems: VerifyProblem[]; runs: number } {
  const runs = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.day} ${r.school_code}`;
    const list = runs.get(key) ?? [];
    list.push(r.sequence);
    runs.set(key, list);
  }
  const problems: VerifyProblem[] = [];
  for (const [key, list] of runs) {
    const [day, school] = key.split(' ');
    const seen = new Map<number, number>();
    for (const n of list) seen.set(n, (seen.get(n) ?? 0) + 1);
    for (const [n, count] of seen) {
      if (count > 1) problems.push({ code: 'verify.sequence.duplicate', path: null, detail: `day ${day}, school ${school}: sequence ${n} given ${count} times` });
    }
    const max = Math.max(...list);
    const missing: number[] = [];
    for (let n = 1; n <= max; n++) if (!seen.has(n)) missing.push(n);
    if (missing.length) {
      const shown = missing.slice(0, 20).join(', ') + (missing.length > 20 ? ` and ${missing.length - 20} more` : '');
      problems.push({ code: 'verify.sequence.gap', path: null, detail: `day ${day}, school ${school}: missing ${shown} (highest ${max})` });
    }
  }
  return { problems, runs: runs.size };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function verifyStore(db: Database, dataDir: string, options: { repair: boolean; now?: Date; actor?: string }): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const repaired: VerifyProblem[] = [];

  const integrity = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  for (const r of integrity) if (r.integrity_check !== 'ok') problems.push({ code: 'verify.db.integrity', path: null, detail: r.integrity_check });
  const fk = await db.all<{ table: string; rowid: number | null; parent: string }>('PRAGMA foreign_key_check');
  for (const r of fk) problems.push({ code: 'verify.db.foreign_key', path: null, detail: `${r.table} row ${r.rowid ?? '?'} refers to a missing ${r.parent} row` });

  const { rows, archiveFiles } = await db.transaction(async (tx) => {
    const rows = await tx.all<PhotoRow>(
      `SELECT id, day, school_code, sequence, original_path, original_sha256, original_bytes,
              deliverable_path, deliverable_sha256, deliverable_bytes, deliverable_crc32
       FROM accepted_photos ORDER BY day, school_code, sequence`,
    );
    const known = new Set(rows.flatMap((r) => [r.original_path, r.deliverable_path]));
    const listed = await listArchiveFiles(dataDir);
    const orphans = listed.filter((p) => !known.has(p));
    const archiveFiles = listed.length;
    if (options.repair && orphans.length) {
      const moved = await moveAside(dataDir, orphans, options.now ?? new Date());
      orphans.forEach((p, i) => repaired.push({ code: 'verify.archive.orphan', path: p, detail: `moved to ${moved[i] ?? '?'}` }));
      await appendAudit(tx, {
        actor: options.actor ?? 'cli', origin: 'local', action: 'verify.repair', details: { quarantined: orphans.map((from, i) => ({ from, to: moved[i] })) },
      }, options.now ?? new Date());
    } else {
      for (const p of orphans) problems.push({ code: 'verify.archive.orphan', path: p, detail: p.includes('/.') && p.endsWith('.tmp') ? 'temp file of an interrupted write; no row' : 'no accepted_photos row names this file' });
    }
    return { rows, archiveFiles };
  });

  const files: ExpectedFile[] = rows.flatMap((r) => [
    { path: r.original_path, bytes: r.original_bytes, sha256: r.original_sha256, crc32: null },
    { path: r.deliverable_path, bytes: r.deliverable_bytes, sha256: r.deliverable_sha256, crc32: r.deliverable_crc32 },
  ]);
  for (const p of await mapLimit(files, 4, (f) => checkFile(dataDir, f))) if (p) problems.push(p);

  const seq = sequenceProblems(rows);
  problems.push(...seq.problems);
  return {
    ok: problems.length === 0,
    checked: { photos: rows.length, files: files.length, archiveFiles, sequences: seq.runs },
    problems,
    repaired,
  };
}
