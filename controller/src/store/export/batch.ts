/**
 * One day's batch (or one department's, one class's) as a streamed ZIP: deliverables under
 * photos/, named by ID number or collection code, then manifest.csv, manifest.xlsx and SHA256SUMS.
 * Each file is read, checked against its recorded SHA-256, and written before the next is read:
 * memory does not grow with the batch. A damaged file stops the stream rather than ship quietly.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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

async function* zipChunks(rows: readonly ManifestRow[], options: BatchZipOptions): AsyncGenerator<Buffer> {
  const zip = new ZipWriter();
  const sums: Array<{ name: string; sha256: string }> = [];
  let bytes = 0;
  for (const [i, row] of rows.entries()) {
    let data: Buffer;
    try {
      data = await readFile(resolveInData(options.dataDir, row.photo.deliverablePath));
    } catch (err) {
      throw new DamagedPhotoError(row.photo.deliverablePath, (err as Error).message);
    }
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (sha256 !== row.photo.sha256) throw new DamagedPhotoError(row.photo.deliverablePath, 'SHA-256 differs from the record');
    sums.push({ name: row.fileName, sha256 });
    const modified = new Date(row.photo.acceptedAt);
    yield* zip.entry({ name: row.fileName, data, modified: Number.isNaN(modified.getTime()) ? options.now : modified });
    bytes += data.length;
    options.onProgress?.(i + 1, rows.length, bytes);
  }
  const extras: Array<[string, Buffer]> = [
    ['manifest.csv', manifestCsv(rows)],
    ['manifest.xlsx', await manifestXlsx(rows, options.title)],
  ];
  for (const [name, data] of extras) {
    sums.push({ name, sha256: createHash('sha256').update(data).digest('hex') });
    yield* zip.entry({ name, data, modified: options.now });
  }
  yield* zip.entry({ name: 'SHA256SUMS', data: sha256sums(sums), modified: options.now });
  yield zip.finish();
}

/** The ZIP as a byte stream with backpressure: the next file is read only when the consumer wants more. */
export function batchZipStream(rows: readonly ManifestRow[], options: BatchZipOptions): Readable {
  return Readable.from(zipChunks(rows, options), { objectMode: false, highWaterMark: 256 * 1024 });
}
