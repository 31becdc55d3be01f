/**
 * PTP/IP wire format, as much of it as the fake camera needs (little-endian throughout). Packet
 * types, operation, response, event and property codes are from the PTP (ISO 15740) and PTP/IP
 * specifications; the layouts of the datasets are those libgphoto2 unpacks (see
 * ../shared/research/gphoto2-ptpip-and-johnny-five.md).
 */

export const Packet = {
  InitCommandRequest: 1,
  InitCommandAck: 2,
  InitEventRequest: 3,
  InitEventAck: 4,
  InitFail: 5,
  CmdRequest: 6,
  CmdResponse: 7,
  Event: 8,
  StartData: 9,
  Data: 10,
  Cancel: 11,
  EndData: 12,
} as const;

export const Op = {
  GetDeviceInfo: 0x1001,
  OpenSession: 0x1002,
  CloseSession: 0x1003,
  GetStorageIDs: 0x1004,
  GetStorageInfo: 0x1005,
  GetNumObjects: 0x1006,
  GetObjectHandles: 0x1007,
  GetObjectInfo: 0x1008,
  GetObject: 0x1009,
  DeleteObject: 0x100b,
  InitiateCapture: 0x100e,
  GetDevicePropDesc: 0x1014,
  GetDevicePropValue: 0x1015,
  SetDevicePropValue: 0x1016,
  GetStreamInfo: 0x1024,
  GetStream: 0x1025,
} as const;

export const Rc = {
  OK: 0x2001,
  GeneralError: 0x2002,
  SessionNotOpen: 0x2003,
  OperationNotSupported: 0x2005,
  InvalidObjectHandle: 0x2009,
  DevicePropNotSupported: 0x200a,
  StoreFull: 0x200c,
  InvalidDevicePropValue: 0x201c,
  SessionAlreadyOpen: 0x201e,
  DeviceBusy: 0x2019,
  /** Vendor range (0xA000+): what Nikon bodies answer when autofocus cannot lock (libgphoto2 ptp.h PTP_RC_NIKON_OutOfFocus). */
  OutOfFocus: 0xa002,
} as const;

export const Ev = {
  ObjectAdded: 0x4002,
  CaptureComplete: 0x400d,
} as const;

/** PTP data type codes of the device properties we serve. */
export const Dt = { UINT8: 0x0002, UINT16: 0x0004, UINT32: 0x0006, STR: 0xffff } as const;

export const FormatJpeg = 0x3801;
export const StorageId = 0x00010001;

/** Growable little-endian writer. */
export class Writer {
  private parts: Buffer[] = [];
  u8(v: number): this { const b = Buffer.alloc(1); b.writeUInt8(v); this.parts.push(b); return this; }
  u16(v: number): this { const b = Buffer.alloc(2); b.writeUInt16LE(v); this.parts.push(b); return this; }
  u32(v: number): this { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); this.parts.push(b); return this; }
  u64(v: number): this { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.parts.push(b); return this; }
  bytes(b: Buffer): this { this.parts.push(b); return this; }
  /** PTP string: u8 character count including the NUL, then UCS-2LE with the NUL; empty is one 0 byte. */
  str(s: string): this {
    if (s.length === 0) return this.u8(0);
    this.u8(s.length + 1);
    return this.bytes(Buffer.from(`${s}\0`, 'utf16le'));
  }
  u16array(values: readonly number[]): this {
    this.u32(values.length);
    for (const v of values) this.u16(v);
    return this;
  }
  done(): Buffer { return Buffer.concat(this.parts); }
}

/** One PTP/IP packet: `u32 length` (whole packet), `u32 type`, payload. */
export function packet(type: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(8 + payload.length, 0);
  head.writeUInt32LE(type, 4);
  return Buffer.concat([head, payload]);
}

/** Reads a PTP string at `offset`; returns the text and the offset after it. */
export function readPtpString(b: Buffer, offset: number): { value: string; next: number } {
  const n = b.readUInt8(offset);
  if (n === 0) return { value: '', next: offset + 1 };
  const text = b.subarray(offset + 1, offset + 1 + 2 * n).toString('utf16le');
  return { value: text.replace(/\0.*$/s, ''), next: offset + 1 + 2 * n };
}

/** Splits a byte stream into PTP/IP packets; `push` returns the complete ones. */
export class PacketReader {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Array<{ type: number; payload: Buffer }> {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Array<{ type: number; payload: Buffer }> = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32LE(0);
      if (len < 8) throw new Error(`bad PTP/IP packet length ${len}`);
      if (this.buf.length < len) break;
      out.push({ type: this.buf.readUInt32LE(4), payload: Buffer.from(this.buf.subarray(8, len)) });
      this.buf = this.buf.subarray(len);
    }
    return out;
  }
}
