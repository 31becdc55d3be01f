/**
 * `rig pull`: mirrors one day's accepted photos from a staff listener into a folder, verifying each
 * file's SHA-256 before it takes its final name. Progress is journalled per source (one JSON line
 * per finished file), so an interrupted pull resumes where it stopped, and several capture rooms
 * can be pulled into the same folder. The folder's manifest and SHA256SUMS cover every source.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { appendFile, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { AcceptedPhoto, ManifestStudent } from '../../app/ports/accepted-photos.ts';
import { fileStem, type Naming } from '../../formats/export/batch.ts';
import { manifestCsv, manifestXlsx, sha256sums, type ManifestRow } from '../../formats/export/manifest.ts';

export interface ListedPhoto {
  sequence: number;
  sha256: string;
  bytes: number;
  acceptedAt: string;
  codeText: string | null;
  student: ManifestStudent;
}

interface Listing {
  station: string;
  date: string;
  photos: ListedPhoto[];
  next: number | null;
}

/** One finished file, as journalled. */
interface JournalEntry extends ListedPhoto {
  fileName: string;
  source: string;
}

export interface PullProgress {
  source: string;
  done: number;
  total: number;
  bytes: number;
  /** a retry after a lost connection, with its attempt number */
  retry?: number;
  conflict?: string;
}

export interface PullOptions {
  from: string;
  token: string;
  date: string;
  outDir: string;
  naming?: Naming;
  department?: string;
  className?: string;
  /** attempts per request before giving up */
  attempts?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: PullProgress) => void;
}

export interface PullResult {
  fetched: number;
  kept: number;
  total: number;
  conflicts: string[];
}

export class PullError extends Error {
  constructor(readonly code: 'pull.hash_mismatch' | 'pull.failed', readonly detail: string) {
    super(`${code}: ${detail}`);
  }
}

const stateDir = '.rig-pull';

/** A file-system-safe key for a source URL: host and port. */
export function sourceKey(from: string): string {
  return new URL(from).host.replace(/[^A-Za-z0-9.-]/g, '_');
}

function readJournals(outDir: string, date: string): JournalEntry[] {
  const dir = join(outDir, stateDir);
  if (!existsSync(dir)) return [];
  const out: JournalEntry[] = [];
  for (const name of readdirSync(dir).filter((n) => n.startsWith(`${date}_`) && n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as JournalEntry);
      } catch {
        // A line cut by a crash mid-append: that file is fetched again.
      }
    }
  }
  return out;
}

async function sha256File(path: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return null;
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason as Error); }, { once: true });
  });

export async function pull(options: PullOptions): Promise<PullResult> {
  const naming = options.naming ?? 'idnumber';
  const attempts = options.attempts ?? 6;
  const baseDelay = options.retryDelayMs ?? 500;
  const key = sourceKey(options.from);
  const base = options.from.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.token}` };
  const tmpDir = join(options.outDir, stateDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const journalFile = join(options.outDir, stateDir, `${options.date}_${key}.jsonl`);

  /** Runs `fn` with retries on network failures and 5xx; 4xx is the caller's mistake and stops at once. */
  async function withRetry<T>(what: string, fn: () => Promise<T>, onRetry: (attempt: number) => void): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (options.signal?.aborted || err instanceof PermanentError || attempt >= attempts) {
          throw err instanceof PermanentError || options.signal?.aborted ? err : new PullError('pull.failed', `${what}: ${(err as Error).message}`);
        }
        onRetry(attempt);
        await sleep(Math.min(baseDelay * 2 ** (attempt - 1), 8000), options.signal);
      }
    }
  }

  const journal = readJournals(options.outDir, options.date);
  const bySeq = new Map(journal.filter((e) => e.source === key).map((e) => [e.sequence, e]));
  // Who holds each final name, across every source pulled into this folder.
  const owners = new Map(journal.map((e) => [e.fileName, e]));

  // The whole listing first (small), so that progress knows the total.
  const listed: ListedPhoto[] = [];
  let since = 0;
  let station = key;
  for (;;) {
    const q = new URLSearchParams({ date: options.date, since: String(since) });
    if (options.department) q.set('department', options.department);
    if (options.className) q.set('class', options.className);
    const page = await withRetry('listing', async () => {
      const res = await fetch(`${base}/api/photos?${q}`, { headers, signal: options.signal });
      await throttled(res);
      if (res.status >= 400 && res.status < 500) throw new PermanentError(`listing answered ${res.status}: ${await res.text()}`);
      if (!res.ok) throw new Error(`listing answered ${res.status}`);
      return (await res.json()) as Listing;
    }, () => undefined);
    station = page.station;
    listed.push(...page.photos);
    if (page.next === null) break;
    since = page.next;
  }

  let done = 0;
  let bytes = 0;
  let fetched = 0;
  let kept = 0;
  const conflicts: string[] = [];
  const progress = (extra: Partial<PullProgress> = {}) =>
    options.onProgress?.({ source: station, done, total: listed.length, bytes, ...extra });

  for (const photo of listed) {
    const previous = bySeq.get(photo.sequence);
    let fileName = previous?.sha256 === photo.sha256 ? previous.fileName : `${fileStem(asAccepted(photo, options.date), naming)}.jpg`;
    const owner = owners.get(fileName);
    // Same name from another room (or another student) with other bytes: keep both, say so.
    if (owner && owner.sha256 !== photo.sha256 && (owner.source !== key || owner.student.idNumber !== photo.student.idNumber)) {
      fileName = `${fileName.slice(0, -4)}~${key}-${photo.sequence}.jpg`;
      conflicts.push(fileName);
      progress({ conflict: fileName });
    }
    const target = join(options.outDir, fileName);
    if ((await sha256File(target)) === photo.sha256) {
      kept++;
      if (previous?.fileName === fileName) {
        done++;
        bytes += photo.bytes;
        progress();
        continue;
      }
    } else {
      const part = join(tmpDir, `${key}-${photo.sequence}.part`);
      await withRetry(fileName, () => download(`${base}/api/photos/${options.date}/${photo.sequence}/file`, part, photo.sha256), (retry) => progress({ retry }));
      await rename(part, target);
      fetched++;
    }
    const entry: JournalEntry = { ...photo, fileName, source: key };
    await appendFile(journalFile, JSON.stringify(entry) + '\n');
    owners.set(fileName, entry);
    done++;
    bytes += photo.bytes;
    progress();
  }

  await writeFolderManifest(options.outDir, options.date);
  await rm(tmpDir, { recursive: true, force: true });
  return { fetched, kept, total: listed.length, conflicts };

  async function download(url: string, part: string, expected: string): Promise<void> {
    const res = await fetch(url, { headers, signal: options.signal });
    await throttled(res);
    if (res.status >= 400 && res.status < 500) throw new PermanentError(`${url} answered ${res.status}`);
    if (!res.ok || !res.body) throw new Error(`${url} answered ${res.status}`);
    const hash = createHash('sha256');
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => hash.update(chunk));
    await pipeline(body, createWriteStream(part));
    const fd = await open(part, 'r+');
    await fd.sync();
    await fd.close();
    const actual = hash.digest('hex');
    // A wrong hash may be a torn transfer: retried like a lost connection, then reported.
    if (actual !== expected) throw new Error(`SHA-256 ${actual.slice(0, 12)}… differs from ${expected.slice(0, 12)}…`);
  }
}

/** 429: wait as long as the server asks (at most a minute), then fail this try so it is retried. */
async function throttled(res: Response): Promise<void> {
  if (res.status !== 429) return;
  await res.body?.cancel();
  const seconds = Math.min(60, Math.max(1, Number(res.headers.get('retry-after')) || 1));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  throw new Error('server asked to slow down (429)');
}

class PermanentError extends PullError {
  constructor(detail: string) {
    super('pull.failed', detail);
  }
}

function asAccepted(p: ListedPhoto, date: string): AcceptedPhoto {
  return { ...p, date, deliverablePath: '', crc32: null };
}

/** manifest.csv, manifest.xlsx and SHA256SUMS for everything pulled into the folder for a date. */
async function writeFolderManifest(outDir: string, date: string): Promise<void> {
  // Later lines win: a student captured again after an override replaces the earlier file.
  const latest = new Map<string, JournalEntry>();
  for (const e of readJournals(outDir, date)) latest.set(e.fileName, e);
  const rows: ManifestRow[] = [...latest.values()]
    .filter((e) => existsSync(join(outDir, e.fileName)))
    .sort((a, b) => a.source.localeCompare(b.source) || a.sequence - b.sequence)
    .map((e) => ({ photo: asAccepted(e, date), fileName: e.fileName, source: e.source }));
  await writeFile(join(outDir, 'manifest.csv'), manifestCsv(rows));
  await writeFile(join(outDir, 'manifest.xlsx'), manifestXlsx(rows, date));
  await writeFile(join(outDir, 'SHA256SUMS'), sha256sums(rows.map((r) => ({ name: r.fileName, sha256: r.photo.sha256 }))));
}
