/**
 * One day's batch (or one department's, one class's) as a streamed ZIP: deliverables under
 * photos/, named by ID number or collection code, then manifest.csv, manifest.xlsx and SHA256SUMS.
 * Each file is read, checked against its record, and handed on before the next is read: memory
 * does not grow with the batch. A damaged file stops the stream rather than ship quietly.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Readable } from 'node:stream';
import type { AcceptedPhoto } from '../../app/ports/accepted-photos.ts';
import { resolveInData } from './data-path.ts';
import { manifestCsv, manifestXlsx, sha256sums, type ManifestRow } from './manifest.ts';
import { ZipWriter, zipArchiveBytes, zipLocalHeaderBytes } from './zip-writer.ts';

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
 * Whether a deliverable read back is the one that was accepted. The ZIP needs each file's CRC-32
 * anyway; when the store recorded one at acceptance (from the same bytes as the SHA-256), comparing
 * the two catches a damaged or replaced file at no extra cost. Photos accepted before CRCs were
 * recorded are hashed again. The SHA-256 listed in SHA256SUMS is the record's either way, and the
 * receiver checks it.
 */
function damage(photo: AcceptedPhoto, data: Buffer, crc: number): string | undefined {
  if (data.length > photo.bytes) return `longer than the record (${photo.bytes} bytes)`;
  if (data.length < photo.bytes) return `size ${data.length} differs from the record (${photo.bytes})`;
  if (photo.crc32 !== null) return crc === photo.crc32 ? undefined : 'CRC-32 differs from the record';
  return createHash('sha256').update(data).digest('hex') === photo.sha256 ? undefined : 'SHA-256 differs from the record';
}

/** The files after the photos: built before the first byte, so the archive's length is known. */
function tailEntries(rows: readonly ManifestRow[], options: BatchZipOptions): Array<[string, Buffer]> {
  const manifests: Array<[string, Buffer]> = [
    ['manifest.csv', manifestCsv(rows)],
    ['manifest.xlsx', manifestXlsx(rows, options.title)],
  ];
  const sums = [
    ...rows.map((r) => ({ name: r.fileName, sha256: r.photo.sha256 })),
    ...manifests.map(([name, data]) => ({ name, sha256: createHash('sha256').update(data).digest('hex') })),
  ];
  return [...manifests, ['SHA256SUMS', sha256sums(sums)]];
}

/** Entries are laid out in chunks of about this size: a few large socket writes, not two per photo. */
const chunkBytes = 256 * 1024;

/**
 * The archive as a pull stream: each read() lays out as many entries as fit in one chunk (header,
 * name, then the file read straight in behind them: no copy), checks each file against its record,
 * and pushes the chunk. The next chunk is read only when the consumer wants more (backpressure),
 * so memory is a chunk or two whatever the batch. A damaged photo stops the stream, and without the
 * central directory at the end no unzip opens what arrived (an HTTP client also sees fewer bytes
 * than Content-Length).
 */
class BatchZipReadable extends Readable {
  /** the archive's exact length in bytes */
  readonly size: number;
  private readonly zip = new ZipWriter();
  private readonly tail: Array<[string, Buffer]>;
  private next = 0;
  private bytes = 0;
  private finished = false;

  constructor(private readonly rows: readonly ManifestRow[], private readonly options: BatchZipOptions) {
    super({ highWaterMark: 512 * 1024 });
    this.tail = tailEntries(rows, options);
    this.size = zipArchiveBytes([
      ...rows.map((r) => ({ nameBytes: Buffer.byteLength(r.fileName), size: r.photo.bytes })),
      ...this.tail.map(([name, data]) => ({ nameBytes: Buffer.byteLength(name), size: data.length })),
    ]);
  }

  override _read(): void {
    try {
      while (!this.finished) {
        if (this.next >= this.rows.length) return this.pushTail();
        if (!this.push(this.fillChunk())) return;
      }
    } catch (err) {
      this.destroy(err as Error);
    }
  }

  /** Entries from `next` on, as many as fit (at least one, however large). */
  private fillChunk(): Buffer {
    const first = this.rows[this.next]!;
    // One spare byte per file: a read that fills it shows the file grew since it was recorded.
    const need = (row: ManifestRow) => zipLocalHeaderBytes(row.fileName) + row.photo.bytes + 1;
    const chunk = Buffer.allocUnsafe(Math.max(chunkBytes, need(first)));
    let used = 0;
    while (this.next < this.rows.length) {
      const row = this.rows[this.next]!;
      if (used > 0 && used + need(row) > chunk.length) break;
      used += this.placePhoto(row, chunk, used);
      this.next++;
      this.options.onProgress?.(this.next, this.rows.length, this.bytes);
    }
    return chunk.subarray(0, used);
  }

  /** Reads one deliverable into `chunk` behind room for its header, checks it, writes the header. */
  private placePhoto(row: ManifestRow, chunk: Buffer, at: number): number {
    const { photo } = row;
    const dataAt = at + zipLocalHeaderBytes(row.fileName);
    let n: number;
    try {
      // Synchronous on purpose: for files this small, measured here, async fs round trips cost
      // several times the read itself, and one call blocks tens of microseconds (page cache).
      const fd = openSync(resolveInData(this.options.dataDir, photo.deliverablePath), 'r');
      try {
        n = readSync(fd, chunk, dataAt, photo.bytes + 1, 0);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      throw new DamagedPhotoError(photo.deliverablePath, (err as Error).message);
    }
    const data = chunk.subarray(dataAt, dataAt + n);
    const crc = crc32(data);
    const problem = damage(photo, data, crc);
    if (problem) throw new DamagedPhotoError(photo.deliverablePath, problem);
    const modified = new Date(photo.acceptedAt);
    this.zip.writeLocalHeader(chunk, at, { name: row.fileName, size: n, crc, modified: Number.isNaN(modified.getTime()) ? this.options.now : modified });
    this.bytes += n;
    return dataAt - at + n;
  }

  private pushTail(): void {
    for (const [name, data] of this.tail) {
      for (const part of this.zip.entry({ name, data, modified: this.options.now })) this.push(part);
    }
    this.push(this.zip.finish());
    this.push(null);
    this.finished = true;
  }
}

/**
 * The ZIP as a byte stream with backpressure: the next file is read only when the consumer wants
 * more. `size` is its exact length, known before the first byte (manifests are built up front).
 */
export function batchZipStream(rows: readonly ManifestRow[], options: BatchZipOptions): Readable & { readonly size: number } {
  return new BatchZipReadable(rows, options);
}
