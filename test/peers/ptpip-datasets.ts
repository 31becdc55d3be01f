/**
 * The datasets the fake camera sends (DeviceInfo, ObjectInfo, DevicePropDesc) and its device
 * properties, laid out as libgphoto2 unpacks them (see ptpip-protocol.ts for the wire format).
 */
import { Dt, Ev, FormatJpeg, Op, StorageId, Writer } from './ptpip-protocol.ts';

export const CAMERA_NAME = 'Fake PTP/IP Camera';

export interface DeviceProp {
  type: number;
  writable: boolean;
  value: number | string;
  /** Allowed values (enumeration form); a range is given as [min, max, step] with `range`. */
  values: ReadonlyArray<number | string>;
  range?: boolean;
}

export interface CapturedObject {
  handle: number;
  file: string;
  jpeg: Buffer;
  width: number;
  height: number;
  name: string;
}

export function initialProps(): Map<number, DeviceProp> {
  return new Map<number, DeviceProp>([
    [0x5001, { type: Dt.UINT8, writable: false, value: 87, values: [0, 100, 1], range: true }], // BatteryLevel
    [0x5003, { type: Dt.STR, writable: true, value: '6000x4000', values: ['6000x4000', '3984x2656', '2976x1984', '1488x992'] }], // ImageSize
    [0x5004, { type: Dt.UINT8, writable: true, value: 3, values: [0, 1, 2, 3] }], // CompressionSetting (3 = RAW+JPEG here)
    [0x5005, { type: Dt.UINT16, writable: true, value: 2, values: [1, 2, 4, 6, 7] }], // WhiteBalance
    [0x5007, { type: Dt.UINT16, writable: true, value: 800, values: [400, 560, 800, 1100] }], // FNumber (x100)
    [0x500a, { type: Dt.UINT16, writable: true, value: 2, values: [1, 2] }], // FocusMode
    [0x500d, { type: Dt.UINT32, writable: true, value: 80, values: [400, 167, 80, 50, 40] }], // ExposureTime (0.1 ms)
    [0x500f, { type: Dt.UINT16, writable: true, value: 100, values: [100, 200, 400, 800] }], // ExposureIndex (ISO)
    [0x5020, { type: Dt.UINT32, writable: false, value: 1, values: [1] }], // SupportedStreams (PTP 1.1): bit 0, video
    [0x5021, { type: Dt.UINT32, writable: true, value: 0, values: [0, 1] }], // EnabledStreams
  ]);
}

export function writeValue(w: Writer, type: number, v: number | string): void {
  if (type === Dt.STR) w.str(String(v));
  else if (type === Dt.UINT8) w.u8(Number(v));
  else if (type === Dt.UINT16) w.u16(Number(v));
  else w.u32(Number(v));
}

export function readValue(type: number, b: Buffer): number | string {
  if (type === Dt.STR) {
    const n = b.readUInt8(0);
    return n === 0 ? '' : b.subarray(1, 1 + 2 * n).toString('utf16le').replace(/\0.*$/s, '');
  }
  if (type === Dt.UINT8) return b.readUInt8(0);
  if (type === Dt.UINT16) return b.readUInt16LE(0);
  return b.readUInt32LE(0);
}

/** Width and height from a JPEG's first SOF marker (no decode). */
export function jpegSize(jpeg: Buffer): { width: number; height: number } {
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) { i++; continue; }
    const marker = jpeg[i + 1] as number;
    const len = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return { width: 0, height: 0 };
}

export function ptpDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}


/** DevicePropDesc: code, type, get/set, factory default, current value, then the range or enumeration form. */
export function propDesc(code: number, p: DeviceProp): Buffer {
  const w = new Writer().u16(code).u16(p.type).u8(p.writable ? 1 : 0);
  writeValue(w, p.type, p.value);
  writeValue(w, p.type, p.value);
  if (p.range) {
    w.u8(1);
    for (const v of p.values) writeValue(w, p.type, v);
  } else {
    w.u8(2).u16(p.values.length);
    for (const v of p.values) writeValue(w, p.type, v);
  }
  return w.done();
}

/**
 * DeviceInfo, PTP 1.1 (StandardVersion 110). Vendor extension 0 and a manufacturer that names no
 * real brand keep libgphoto2 on its generic code paths.
 */
export function deviceInfo(props: readonly number[], liveView: boolean): Buffer {
  return new Writer()
    .u16(110).u32(0).u16(0).str('').u16(0)
    .u16array([Op.GetDeviceInfo, Op.OpenSession, Op.CloseSession, Op.GetStorageIDs, Op.GetStorageInfo, Op.GetNumObjects,
      Op.GetObjectHandles, Op.GetObjectInfo, Op.GetObject, Op.DeleteObject, Op.InitiateCapture,
      Op.GetDevicePropDesc, Op.GetDevicePropValue, Op.SetDevicePropValue,
      ...(liveView ? [Op.GetStreamInfo, Op.GetStream] : [])])
    .u16array([Ev.ObjectAdded, Ev.CaptureComplete])
    .u16array(props)
    .u16array([FormatJpeg])
    .u16array([FormatJpeg])
    .str('Example Optics').str(CAMERA_NAME).str('1.0').str('FAKE0001')
    .done();
}

/** ObjectInfo of a captured JPEG in the card's root folder (parent 0: no folder look-ups needed). */
export function objectInfo(o: CapturedObject): Buffer {
  const now = ptpDate(new Date());
  return new Writer()
    .u32(StorageId).u16(FormatJpeg).u16(0).u32(o.jpeg.length)
    .u16(0).u32(0).u32(0).u32(0)
    .u32(o.width).u32(o.height).u32(24)
    .u32(0).u16(0).u32(0).u32(o.handle)
    .str(o.name).str(now).str(now).str('')
    .done();
}
