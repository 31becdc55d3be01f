/**
 * A streaming ZIP writer for files that are already compressed (JPEG): entries are stored, each
 * one's CRC and size known before its header, so no data descriptors and every unzip reads it.
 * Memory is the current entry plus ~50 bytes per entry for the central directory.
 * Limits (no ZIP64): under 65,535 entries and 4 GiB in all; a batch past them fails loudly.
 */
import { crc32 } from 'node:zlib';

export interface ZipEntryInput {
  /** path inside the archive, forward slashes */
  name: string;
  data: Buffer;
  modified: Date;
  /** CRC-32 of `data` when the caller has computed it already (it is not checked again) */
  crc?: number;
}

interface CentralRecord {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
  dosTime: number;
  dosDate: number;
}

const maxOffset = 0xffffffff;
const maxEntries = 0xffff;
const utf8Flag = 0x0800;

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const localHeaderBytes = 30;
const centralHeaderBytes = 46;
const endRecordBytes = 22;

/**
 * The exact length of an archive of these entries (names as UTF-8 byte counts), before a byte of it
 * is written: stored entries have no compression to guess, so a streamed batch can send Content-Length.
 */
export function zipArchiveBytes(entries: ReadonlyArray<{ nameBytes: number; size: number }>): number {
  let total = endRecordBytes;
  for (const e of entries) total += localHeaderBytes + centralHeaderBytes + 2 * e.nameBytes + e.size;
  return total;
}

/** Length of an entry's local header with its name: where its data starts. */
export function zipLocalHeaderBytes(name: string): number {
  return localHeaderBytes + Buffer.byteLength(name, 'utf8');
}

export class ZipWriter {
  private offset = 0;
  private readonly central: CentralRecord[] = [];
  private readonly names = new Set<string>();

  /** Bytes of one entry: local header then data. */
  entry(input: ZipEntryInput): Buffer[] {
    const name = Buffer.from(input.name, 'utf8');
    const header = Buffer.alloc(localHeaderBytes + name.length);
    this.writeLocalHeader(header, 0, { name: input.name, size: input.data.length, crc: input.crc ?? crc32(input.data), modified: input.modified });
    return [header, input.data];
  }

  /**
   * Writes one entry's local header (with its name) into `target` at `offset`, for a caller that
   * lays entries out in its own buffer; the entry's data must follow it directly. Returns the header
   * length, which is `zipLocalHeaderBytes(name)`.
   */
  writeLocalHeader(target: Buffer, offset: number, entry: { name: string; size: number; crc: number; modified: Date }): number {
    if (this.names.has(entry.name)) throw new Error(`duplicate zip entry ${entry.name}`);
    if (this.central.length >= maxEntries) throw new Error('zip: too many entries (no ZIP64 support)');
    this.names.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const { time, date } = dosDateTime(entry.modified);
    target.writeUInt32LE(0x04034b50, offset);
    target.writeUInt16LE(10, offset + 4); // version needed: stored
    target.writeUInt16LE(utf8Flag, offset + 6);
    target.writeUInt16LE(0, offset + 8); // method: stored
    target.writeUInt16LE(time, offset + 10);
    target.writeUInt16LE(date, offset + 12);
    target.writeUInt32LE(entry.crc, offset + 14);
    target.writeUInt32LE(entry.size, offset + 18);
    target.writeUInt32LE(entry.size, offset + 22);
    target.writeUInt16LE(name.length, offset + 26);
    target.writeUInt16LE(0, offset + 28);
    name.copy(target, offset + localHeaderBytes);
    this.central.push({ name, crc: entry.crc, size: entry.size, offset: this.offset, dosTime: time, dosDate: date });
    this.advance(localHeaderBytes + name.length + entry.size);
    return localHeaderBytes + name.length;
  }

  /** Central directory and end record; the archive is complete after these bytes. */
  finish(): Buffer {
    const parts: Buffer[] = [];
    const start = this.offset;
    for (const r of this.central) {
      const h = Buffer.alloc(centralHeaderBytes);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
      h.writeUInt16LE(10, 6);
      h.writeUInt16LE(utf8Flag, 8);
      h.writeUInt16LE(0, 10);
      h.writeUInt16LE(r.dosTime, 12);
      h.writeUInt16LE(r.dosDate, 14);
      h.writeUInt32LE(r.crc, 16);
      h.writeUInt32LE(r.size, 20);
      h.writeUInt32LE(r.size, 24);
      h.writeUInt16LE(r.name.length, 28);
      // extra, comment, disk number, internal attributes: 0
      h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: regular file rw-r--r--
      h.writeUInt32LE(r.offset, 42);
      parts.push(h, r.name);
      this.advance(h.length + r.name.length);
    }
    const end = Buffer.alloc(endRecordBytes);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    parts.push(end);
    return Buffer.concat(parts);
  }

  private advance(n: number): void {
    this.offset += n;
    if (this.offset > maxOffset) throw new Error('zip: archive exceeds 4 GiB (no ZIP64 support)');
  }
}
