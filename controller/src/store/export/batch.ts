/**
 * One day's batch (or one department's, one class's) as a streamed ZIP: deliverables under
 * photos/, named by ID number or collection code, then manifest.csv, manifest.xlsx and SHA256SUMS.
 * Each file is read, checked against its recorded SHA-256, and written before the next is read:
 * memory does not grow with the batch. A damaged file stops the stream rather than ship quietly.
 */
import { createHash, webcrypto } from 'node:crypto';
import { close, open, read, readFile } from 'node:fs';
import { Readable } from 'node:stream';
import type { AcceptedPhoto } from './accepted-photos.ts';
import { resolveInData } from './accepted-photos.ts';
import { manifestCsv, manifestXlsx, sha256sums, type ManifestRow } from './manifest.ts';
import { ZipWriter } from './zip-writer.ts';

export const namings = ['idnumber', 'code'] as const;
export type Naming = (typeof namings)[number];

const safeStem = /^[A-Za-z0-9_-]{1,64}$/;

/** The file stem for a photo under a naming rule; roster text that is not a safe stem falls back. */
export function fileStem(photo: AcceptedPhoto, naming: Naming): string {
  const candidates = naming === 'idnumber'
    ? [photo.student.idNumber]
    : [photo.student.collectionCode, photo.student.studentNumber, photo.student.idNumber];
  for (const c of candidates) if (c && safeStem.test(c)) return c;
  return `seq-${photo.sequence}`;
}

/**
 * Rows of the batch in sequence order. When a student was captured again after an override, the
 * later acceptance replaces the earlier one. Colliding names get a -2, -3 ... suffix.
 */
export function planBatch(photos: readonly AcceptedPhoto[], naming: Naming): ManifestRow[] {
  const latest = new Map<string, AcceptedPhoto>();
  for (const p of photos) {
    const prev = latest.get(p.student.idNumber);
    if (!prev || p.sequence > prev.sequence) latest.set(p.student.idNumber, p);
  }
  const used = new Set<string>();
  return [...latest.values()]
    .sort((a, b) => a.sequence - b.sequence)
    .map((photo) => {
      const stem = fileStem(photo, naming);
      let name = `photos/${stem}.jpg`;
      for (let i = 2; used.has(name); i++) name = `photos/${stem}-${i}.jpg`;
      used.add(name);
      return { photo, fileName: name };
    });
}

export class DamagedPhotoError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

export interface BatchZipOptions {
  dataDir: string;
  title: string;
  now: Date;
  /** called after each deliverable is written, with running counts */
  onProgress?: (done: number, total: number, bytes: number) => void;
}

/** Files read and hashed ahead of the writer: enough to keep the thread pool busy, few enough to stay small. */
const readAhead = 8;

interface Loaded {
  data: Buffer;
  sha256: string;
}

/**
 * The whole file when its size is the recorded one: open, one read of size + 1 (to notice a file
 * that grew), close. Three pool round trips instead of readFile's four; any surprise falls back.
 */
function readKnownSize(path: string, size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (err, fd) => {
      if (err) return reject(err);
      const buf = Buffer.allocUnsafe(size + 1);
      read(fd, buf, 0, size + 1, 0, (rerr, n) => {
        close(fd, () => undefined);
        if (rerr) return reject(rerr);
        if (n === size) return resolve(buf.subarray(0, n));
        readFile(path, (ferr, data) => (ferr ? reject(ferr) : resolve(data)));
      });
    });
  });
}

/** Reads and hashes one deliverable off the main thread (libuv pool for both the read and WebCrypto). */
function load(dataDir: string, relative: string, size: number): Promise<Loaded> {
  let path: string;
  try {
    path = resolveInData(dataDir, relative);
  } catch (err) {
    return Promise.reject(err as Error);
  }
  return readKnownSize(path, size).then(async (data) => ({ data, sha256: Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex') }));
}

/**
 * Joins small pieces (headers, names, files) into chunks of a few hundred KB: thousands of small
 * writes cost more in stream and socket overhead than one copy of the bytes.
 */
class ChunkBatcher {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly target = 256 * 1024) {}

  add(parts: Buffer[]): Buffer | null {
    for (const p of parts) {
      this.parts.push(p);
      this.size += p.length;
    }
    return this.size >= this.target ? this.flush() : null;
  }

  flush(): Buffer {
    const out = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return out;
  }
}

async function* zipChunks(rows: readonly ManifestRow[], options: BatchZipOptions): AsyncGenerator<Buffer> {
  const zip = new ZipWriter();
  const sums: Array<{ name: string; sha256: string }> = [];
  let bytes = 0;
  const batcher = new ChunkBatcher();
  const pending: Array<Promise<Loaded>> = [];
  const enqueue = (index: number): void => {
    const row = rows[index];
    if (!row) return;
    const p = load(options.dataDir, row.photo.deliverablePath, row.photo.bytes);
    p.catch(() => undefined); // awaited in order below; this only keeps an early failure from being "unhandled"
    pending.push(p);
  };
  for (let i = 0; i < readAhead; i++) enqueue(i);
  for (const [i, row] of rows.entries()) {
    let loaded: Loaded;
    try {
      loaded = await pending.shift()!;
    } catch (err) {
      throw new DamagedPhotoError(row.photo.deliverablePath, (err as Error).message);
    }
    enqueue(i + readAhead);
    const { data, sha256 } = loaded;
    if (sha256 !== row.photo.sha256) throw new DamagedPhotoError(row.photo.deliverablePath, 'SHA-256 differs from the record');
    sums.push({ name: row.fileName, sha256 });
    const modified = new Date(row.photo.acceptedAt);
    const chunk = batcher.add(zip.entry({ name: row.fileName, data, modified: Number.isNaN(modified.getTime()) ? options.now : modified }));
    if (chunk) yield chunk;
    bytes += data.length;
    options.onProgress?.(i + 1, rows.length, bytes);
  }
  const extras: Array<[string, Buffer]> = [
    ['manifest.csv', manifestCsv(rows)],
    ['manifest.xlsx', manifestXlsx(rows, options.title)],
  ];
  for (const [name, data] of extras) {
    sums.push({ name, sha256: createHash('sha256').update(data).digest('hex') });
    batcher.add(zip.entry({ name, data, modified: options.now }));
  }
  batcher.add(zip.entry({ name: 'SHA256SUMS', data: sha256sums(sums), modified: options.now }));
  batcher.add([zip.finish()]);
  yield batcher.flush();
}

/** The ZIP as a byte stream with backpressure: the next file is read only when the consumer wants more. */
export function batchZipStream(rows: readonly ManifestRow[], options: BatchZipOptions): Readable {
  return Readable.from(zipChunks(rows, options), { objectMode: false, highWaterMark: 256 * 1024 });
}
