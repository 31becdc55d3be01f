/**
 * A ZIP reader for untrusted XLSX files held in memory: the central directory is read and checked
 * (part count, declared sizes, expansion ratio) before any byte is inflated, and every inflated part
 * is counted as it streams, so a part that lies about its size is cut off where the lie shows.
 * Parts are opened by name in the order the caller wants: nothing needs spooling to disk.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { FileRefused, type ReadLimits } from './limits.ts';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const RATIO_FLOOR = 1024 * 1024;

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  throw new ZipFormatError('not a zip file (no end of central directory)');
}

/** Lists the parts, refusing the archive when its own directory already breaks a limit. */
export function readZipDirectory(buf: Buffer, limits: ReadLimits): ZipEntry[] {
  if (buf.length < 22) throw new ZipFormatError('not a zip file');
  const end = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(end + 10);
  const offset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ZipFormatError('ZIP64 archives are not read');
  if (count > limits.maxZipEntries) throw new FileRefused('roster.file.zip_entries', { count, max: limits.maxZipEntries });
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError('damaged central directory');
    const entry: ZipEntry = {
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + buf.readUInt16LE(p + 28)),
    };
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (entry.uncompressedSize === 0xffffffff || entry.compressedSize === 0xffffffff) throw new ZipFormatError('ZIP64 archives are not read');
    total += entry.uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      throw new FileRefused('roster.file.zip_too_large', { max: limits.maxUncompressedBytes });
    }
    if (entry.uncompressedSize > RATIO_FLOOR && entry.uncompressedSize > limits.maxCompressionRatio * Math.max(1, entry.compressedSize)) {
      throw new FileRefused('roster.file.zip_ratio', { part: entry.name, max: limits.maxCompressionRatio });
    }
    entries.push(entry);
  }
  return entries;
}

/**
 * Counts what comes out of the inflater and stops it past the declared size or the file's budget.
 * With a decoder it hands on text: one streaming decoder for the whole part, so a character whose
 * bytes straddle two inflated chunks comes out whole (decoding chunk by chunk would turn both halves
 * into U+FFFD, and a CJK name into a different one).
 */
class Budget extends Transform {
  private seen = 0;
  constructor(
    private readonly entry: ZipEntry,
    private readonly spent: { bytes: number },
    private readonly limits: ReadLimits,
    private readonly decoder: TextDecoder | null = null,
  ) {
    super(decoder ? { readableObjectMode: true } : {});
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    this.spent.bytes += chunk.length;
    if (this.spent.bytes > this.limits.maxUncompressedBytes) {
      done(new FileRefused('roster.file.zip_too_large', { max: this.limits.maxUncompressedBytes }));
    } else if (this.seen > this.entry.uncompressedSize) {
      // The directory promised less: a bomb hiding behind a small declared size.
      done(new FileRefused('roster.file.zip_ratio', { part: this.entry.name, max: this.limits.maxCompressionRatio }));
    } else if (this.decoder) {
      const text = this.decoder.decode(chunk, { stream: true });
      done(null, text === '' ? undefined : text);
    } else {
      done(null, chunk);
    }
  }

  override _flush(done: TransformCallback): void {
    const rest = this.decoder?.decode() ?? '';
    done(null, rest === '' ? undefined : rest);
  }
}

/** The inflated bytes of one part as a stream; `spent` is shared by all parts of one file. */
export function openZipEntry(buf: Buffer, entry: ZipEntry, spent: { bytes: number }, limits: ReadLimits): Readable {
  return openPart(buf, entry, spent, limits, null);
}

/**
 * One part as a stream of strings, decoded from UTF-8 (what every XLSX XML part is written in) across
 * chunk boundaries; a byte-order mark at its start is dropped. Counted like openZipEntry, in bytes.
 */
export function openZipText(buf: Buffer, entry: ZipEntry, spent: { bytes: number }, limits: ReadLimits): Readable {
  return openPart(buf, entry, spent, limits, new TextDecoder('utf-8'));
}

function openPart(buf: Buffer, entry: ZipEntry, spent: { bytes: number }, limits: ReadLimits, decoder: TextDecoder | null): Readable {
  const h = entry.localHeaderOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL) throw new ZipFormatError(`damaged part ${entry.name}`);
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new ZipFormatError(`truncated part ${entry.name}`);
  const budget = new Budget(entry, spent, limits, decoder);
  // Small slices, so the budget sees the output grow long before a bomb's full size exists.
  const source = Readable.from(chunks(data, 64 * 1024), { objectMode: false });
  let inner: Readable;
  if (entry.method === 0) inner = source;
  else if (entry.method === 8) inner = source.pipe(createInflateRaw({ chunkSize: 64 * 1024 }));
  else throw new ZipFormatError(`part ${entry.name} uses compression method ${entry.method}`);
  inner.on('error', (err) => budget.destroy(err));
  budget.on('close', () => {
    if (!inner.destroyed) inner.destroy();
  });
  return inner.pipe(budget);
}

function* chunks(data: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
