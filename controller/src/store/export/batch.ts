/**
 * One day's batch (or one department's, one class's) as a streamed ZIP: deliverables under
 * photos/, named by ID number or collection code, then manifest.csv, manifest.xlsx and SHA256SUMS.
 * Each file is read, checked against its recorded SHA-256, and handed on before the next is read:
 * memory does not grow with the batch. A damaged file stops the stream rather than ship quietly.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
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

/**
 * One deliverable, read whole: open, one read of size + 1 (to notice a file that changed), close.
 * Synchronous on purpose: measured here, the async fs round trips cost several times the read
 * itself for files this small, and one call blocks for tens of microseconds from the page cache.
 */
function readDeliverable(dataDir: string, relative: string, size: number): Buffer {
  const path = resolveInData(dataDir, relative);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size + 1);
    const n = readSync(fd, buf, 0, size + 1, 0);
    return n === size ? buf.subarray(0, n) : readFileSync(path);
  } finally {
    closeSync(fd);
  }
}

/**
 * The archive as a pull stream: each read() adds entries until the buffer is full, so the next
 * file is read only when the consumer wants more (backpressure), and file bytes are pushed as they
 * are, never copied into bigger chunks. Each file's SHA-256 is checked against the record before
 * its entry is pushed: a damaged photo stops the stream, and without the central directory at the
 * end no unzip opens what arrived.
 */
class BatchZipReadable extends Readable {
  private readonly zip = new ZipWriter();
  private readonly sums: Array<{ name: string; sha256: string }> = [];
  private next = 0;
  private bytes = 0;
  private finished = false;

  constructor(private readonly rows: readonly ManifestRow[], private readonly options: BatchZipOptions) {
    super({ highWaterMark: 512 * 1024 });
  }

  override _read(): void {
    try {
      while (!this.finished) {
        if (this.next >= this.rows.length) return this.pushTail();
        if (!this.pushPhoto(this.next, this.rows[this.next++]!)) return;
      }
    } catch (err) {
      this.destroy(err as Error);
    }
  }

  private pushPhoto(index: number, row: ManifestRow): boolean {
    let data: Buffer;
    try {
      data = readDeliverable(this.options.dataDir, row.photo.deliverablePath, row.photo.bytes);
    } catch (err) {
      throw new DamagedPhotoError(row.photo.deliverablePath, (err as Error).message);
    }
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (sha256 !== row.photo.sha256) throw new DamagedPhotoError(row.photo.deliverablePath, 'SHA-256 differs from the record');
    this.sums.push({ name: row.fileName, sha256 });
    const modified = new Date(row.photo.acceptedAt);
    const [header, name] = this.zip.entry({ name: row.fileName, data, modified: Number.isNaN(modified.getTime()) ? this.options.now : modified });
    this.push(Buffer.concat([header!, name!]));
    const more = this.push(data);
    this.bytes += data.length;
    this.options.onProgress?.(index + 1, this.rows.length, this.bytes);
    return more;
  }

  private pushTail(): void {
    const sums = this.sums;
    const extras: Array<[string, Buffer]> = [
      ['manifest.csv', manifestCsv(this.rows)],
      ['manifest.xlsx', manifestXlsx(this.rows, this.options.title)],
    ];
    for (const [name, data] of extras) {
      sums.push({ name, sha256: createHash('sha256').update(data).digest('hex') });
      for (const part of this.zip.entry({ name, data, modified: this.options.now })) this.push(part);
    }
    for (const part of this.zip.entry({ name: 'SHA256SUMS', data: sha256sums(sums), modified: this.options.now })) this.push(part);
    this.push(this.zip.finish());
    this.push(null);
    this.finished = true;
  }
}

/** The ZIP as a byte stream with backpressure: the next file is read only when the consumer wants more. */
export function batchZipStream(rows: readonly ManifestRow[], options: BatchZipOptions): Readable {
  return new BatchZipReadable(rows, options);
}
