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

export class ZipWriter {
  private offset = 0;
  private readonly central: CentralRecord[] = [];
  private readonly names = new Set<string>();

  /** Bytes of one entry: local header then data. */
  entry(input: ZipEntryInput): Buffer[] {
    if (this.names.has(input.name)) throw new Error(`duplicate zip entry ${input.name}`);
    if (this.central.length >= maxEntries) throw new Error('zip: too many entries (no ZIP64 support)');
    this.names.add(input.name);
    const name = Buffer.from(input.name, 'utf8');
    const crc = crc32(input.data);
    const size = input.data.length;
    const { time, date } = dosDateTime(input.modified);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(10, 4); // version needed: stored
    header.writeUInt16LE(utf8Flag, 6);
    header.writeUInt16LE(0, 8); // method: stored
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(size, 18);
    header.writeUInt32LE(size, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    const record: CentralRecord = { name, crc, size, offset: this.offset, dosTime: time, dosDate: date };
    this.advance(header.length + name.length + size);
    this.central.push(record);
    return [header, name, input.data];
  }

  /** Central directory and end record; the archive is complete after these bytes. */
  finish(): Buffer {
    const parts: Buffer[] = [];
    const start = this.offset;
    for (const r of this.central) {
      const h = Buffer.alloc(46);
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
    const end = Buffer.alloc(22);
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
