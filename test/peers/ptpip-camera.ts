/**
 * A fake camera speaking PTP/IP on 127.0.0.1, good enough for stock `gphoto2 --port
 * ptpip:127.0.0.1:PORT` to open a session, read and set the usual properties, capture, download and
 * delete. Each capture serves the next JPEG of a folder, in name order, byte for byte.
 *
 * Faults (`--fault F` or `setFault(F)`), each modelling a way room cameras fail:
 * - `drop`: the connection drops in the middle of a download (cable pulled, body asleep);
 * - `no-events`: the capture is accepted but no ObjectAdded/CaptureComplete ever comes (libgphoto2
 *   then waits forever: the caller must time out and kill it);
 * - `busy`: InitiateCapture answers Device Busy (0x2019);
 * - `slow`: downloads trickle (`slowBytesPerSecond`);
 * - `refuse`: the camera is gone: open sessions are cut and new connections refused;
 * - `storage-full`: InitiateCapture answers Store Full (0x200C) and the card reports 0 bytes free;
 * - `focus-failed`: InitiateCapture answers Out of Focus (0xA002, the code Nikon bodies use when
 *   autofocus cannot lock), and nothing is shot;
 * - `preview-freeze`: live view freezes: GetStream requests are never answered (the session and
 *   every other operation stay up).
 *
 * Live view: PTP 1.1 streams (SupportedStreams/EnabledStreams, GetStreamInfo, GetStream), which
 * libgphoto2's generic driver uses for `--capture-preview`; each frame is the JPEG the next capture
 * will serve. `liveView: false` models a body without it.
 *
 * Run: `npx tsx test/peers/ptpip-camera.ts --port 0 --images DIR [--fault F]`; prints
 * `ptpip: 127.0.0.1:PORT` once listening. Lines `fault F` / `fault none` on stdin change the fault.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { CAMERA_NAME, deviceInfo, initialProps, jpegSize, objectInfo, propDesc, readValue, writeValue, type CapturedObject, type DeviceProp } from './ptpip-datasets.ts';
import { Ev, Op, Packet, PacketReader, Rc, StorageId, Writer, packet } from './ptpip-protocol.ts';

export type PtpipFault = 'drop' | 'no-events' | 'busy' | 'slow' | 'refuse' | 'storage-full' | 'focus-failed' | 'preview-freeze';
export const PTPIP_FAULTS: readonly PtpipFault[] = ['drop', 'no-events', 'busy', 'slow', 'refuse', 'storage-full', 'focus-failed', 'preview-freeze'];

export interface PtpipCameraOptions {
  /** Folder of JPEGs served in name order, round robin. */
  images: string;
  port?: number;
  fault?: PtpipFault | null;
  /** Download speed under the `slow` fault. */
  slowBytesPerSecond?: number;
  /** Time between InitiateCapture and ObjectAdded: the shutter and the write to the card. */
  shutterMs?: number;
  /** Live view through the PTP 1.1 stream operations (default true); false is a body without live view. */
  liveView?: boolean;
  /** The first live-view frame of each connection comes this late (a body raising its mirror to start live view). */
  liveViewStartMs?: number;
}

/** What the camera served, for tests: every object a capture produced, in order. */
export interface ServedObject {
  handle: number;
  file: string;
  bytes: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class PtpipCamera {
  private server: Server | null = null;
  private port = 0;
  private fault: PtpipFault | null;
  private files: string[] = [];
  private next = 0;
  private nextHandle = 1;
  private nextConnection = 1;
  private readonly objects = new Map<number, CapturedObject>();
  private readonly props: Map<number, DeviceProp>;
  private readonly sockets = new Set<Socket>();
  /** Event sockets by connection number, for sending capture events. */
  private readonly eventSockets = new Map<number, Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly served: ServedObject[] = [];
  /** Operation codes received, in order (tests read which commands gphoto2 sent). */
  readonly operations: number[] = [];
  /** Init_Command_Requests received: one per gphoto2 connection. */
  connections = 0;
  /** Live-view frames served through the PTP 1.1 stream operations. */
  previewFrames = 0;
  /** Live-view requests left unanswered under the `preview-freeze` fault. */
  frozenStreams = 0;
  /** Connections that have had their first live-view frame (`liveViewStartMs`). */
  private readonly streaming = new WeakSet<Socket>();

  constructor(private readonly options: PtpipCameraOptions) {
    this.fault = options.fault ?? null;
    this.props = initialProps();
    if (options.liveView === false) {
      this.props.delete(0x5020);
      this.props.delete(0x5021);
    }
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.files = (await readdir(this.options.images)).filter((f) => /\.jpe?g$/i.test(f)).sort();
    if (this.files.length === 0) throw new Error(`no JPEG files in ${this.options.images}`);
    if (this.fault !== 'refuse') await this.listen(this.options.port ?? 0);
    else this.port = this.options.port ?? 0;
    return this;
  }

  private listen(port: number): Promise<void> {
    const server = createServer((s) => this.accept(s));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const a = server.address();
        if (a && typeof a === 'object') this.port = a.port;
        resolve();
      });
    });
  }

  private async unlisten(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** Changes the fault from now on; `refuse` cuts every connection and stops listening, clearing it listens again on the same port. */
  async setFault(fault: PtpipFault | null): Promise<void> {
    const was = this.fault;
    this.fault = fault;
    if (fault === 'refuse' && was !== 'refuse') await this.unlisten();
    if (fault !== 'refuse' && was === 'refuse' && this.port !== 0) await this.listen(this.port);
  }

  /** Current value of a device property (tests check the settings the actor locked). */
  propValue(code: number): number | string | undefined {
    return this.props.get(code)?.value;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.unlisten();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private accept(sock: Socket): void {
    this.sockets.add(sock);
    sock.setNoDelay(true);
    const reader = new PacketReader();
    const conn = { kind: 'unknown' as 'unknown' | 'command' | 'event', id: 0, pending: null as null | { op: number; tid: number; params: number[]; data: Buffer[] } };
    // Commands on one connection are answered strictly in order, even when one takes time.
    let chain = Promise.resolve();
    sock.on('data', (chunk) => {
      let packets;
      try {
        packets = reader.push(chunk);
      } catch {
        sock.destroy();
        return;
      }
      for (const p of packets) {
        chain = chain.then(() => this.onPacket(sock, conn, p.type, p.payload)).catch(() => { sock.destroy(); });
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      this.sockets.delete(sock);
      if (conn.kind === 'event') this.eventSockets.delete(conn.id);
    });
  }

  private async onPacket(
    sock: Socket,
    conn: { kind: 'unknown' | 'command' | 'event'; id: number; pending: null | { op: number; tid: number; params: number[]; data: Buffer[] } },
    type: number,
    payload: Buffer,
  ): Promise<void> {
    if (sock.destroyed) return;
    switch (type) {
      case Packet.InitCommandRequest: {
        this.connections++;
        conn.kind = 'command';
        conn.id = this.nextConnection++;
        const w = new Writer().u32(conn.id).bytes(Buffer.from('fakecam-guid-000', 'latin1')).bytes(Buffer.from(`${CAMERA_NAME}\0`, 'utf16le')).u16(0).u16(1);
        sock.write(packet(Packet.InitCommandAck, w.done()));
        return;
      }
      case Packet.InitEventRequest: {
        conn.kind = 'event';
        conn.id = payload.readUInt32LE(0);
        this.eventSockets.set(conn.id, sock);
        sock.write(packet(Packet.InitEventAck));
        return;
      }
      case Packet.CmdRequest: {
        const dataphase = payload.readUInt32LE(0);
        const op = payload.readUInt16LE(4);
        const tid = payload.readUInt32LE(6);
        const params: number[] = [];
        for (let o = 10; o + 4 <= payload.length; o += 4) params.push(payload.readUInt32LE(o));
        this.operations.push(op);
        if (op === Op.SetDevicePropValue || dataphase === 2) {
          conn.pending = { op, tid, params, data: [] };
          return;
        }
        await this.command(sock, conn.id, op, tid, params, null);
        return;
      }
      case Packet.StartData:
        return;
      case Packet.Data:
      case Packet.EndData: {
        const p = conn.pending;
        if (!p) return;
        p.data.push(payload.subarray(4));
        if (type === Packet.EndData) {
          conn.pending = null;
          await this.command(sock, conn.id, p.op, p.tid, p.params, Buffer.concat(p.data));
        }
        return;
      }
      default:
        return;
    }
  }

  private respond(sock: Socket, code: number, tid: number, params: number[] = []): void {
    const w = new Writer().u16(code).u32(tid);
    for (const p of params) w.u32(p);
    sock.write(packet(Packet.CmdResponse, w.done()));
  }

  /** Sends a data-in phase: Start_Data, Data packets, End_Data; the caller then responds. */
  private async sendData(sock: Socket, tid: number, data: Buffer, opts: { chunk?: number; delayMs?: number; dropAfter?: number } = {}): Promise<boolean> {
    sock.write(packet(Packet.StartData, new Writer().u32(tid).u64(data.length).done()));
    const chunk = opts.chunk ?? 64 * 1024;
    let sent = 0;
    do {
      const piece = data.subarray(sent, sent + chunk);
      const last = sent + piece.length >= data.length;
      if (opts.dropAfter !== undefined && sent >= opts.dropAfter) {
        // The camera vanishes mid-transfer: every socket of this camera goes at once.
        for (const s of this.sockets) s.destroy();
        return false;
      }
      sock.write(packet(last ? Packet.EndData : Packet.Data, Buffer.concat([new Writer().u32(tid).done(), piece])));
      sent += piece.length;
      if (opts.delayMs && !last) {
        await sleep(opts.delayMs);
        if (sock.destroyed) return false;
      }
    } while (sent < data.length);
    return true;
  }

  private async command(sock: Socket, connId: number, op: number, tid: number, params: number[], data: Buffer | null): Promise<void> {
    switch (op) {
      case Op.OpenSession:
      case Op.CloseSession:
        this.respond(sock, Rc.OK, tid);
        if (op === Op.CloseSession) this.objects.clear();
        return;
      case Op.GetDeviceInfo:
        await this.sendData(sock, tid, deviceInfo([...this.props.keys()], this.options.liveView !== false));
        this.respond(sock, Rc.OK, tid);
        return;
      case Op.GetStorageIDs:
        await this.sendData(sock, tid, new Writer().u32(1).u32(StorageId).done());
        this.respond(sock, Rc.OK, tid);
        return;
      case Op.GetStorageInfo: {
        const full = this.fault === 'storage-full';
        const w = new Writer().u16(4).u16(2).u16(0).u64(32_000_000_000).u64(full ? 0 : 16_000_000_000).u32(full ? 0 : 1600).str('SD').str('FAKECAM');
        await this.sendData(sock, tid, w.done());
        this.respond(sock, Rc.OK, tid);
        return;
      }
      case Op.GetNumObjects:
        this.respond(sock, Rc.OK, tid, [this.objects.size]);
        return;
      case Op.GetObjectHandles: {
        const w = new Writer().u32(this.objects.size);
        for (const h of this.objects.keys()) w.u32(h);
        await this.sendData(sock, tid, w.done());
        this.respond(sock, Rc.OK, tid);
        return;
      }
      case Op.GetObjectInfo: {
        const o = this.objects.get(params[0] ?? 0);
        if (!o) return this.respond(sock, Rc.InvalidObjectHandle, tid);
        await this.sendData(sock, tid, objectInfo(o));
        this.respond(sock, Rc.OK, tid);
        return;
      }
      case Op.GetObject: {
        const o = this.objects.get(params[0] ?? 0);
        if (!o) return this.respond(sock, Rc.InvalidObjectHandle, tid);
        let ok: boolean;
        if (this.fault === 'drop') ok = await this.sendData(sock, tid, o.jpeg, { chunk: 16 * 1024, dropAfter: Math.floor(o.jpeg.length / 2) });
        else if (this.fault === 'slow') {
          const chunk = 4096;
          ok = await this.sendData(sock, tid, o.jpeg, { chunk, delayMs: Math.max(1, Math.round((chunk / (this.options.slowBytesPerSecond ?? 16 * 1024)) * 1000)) });
        } else ok = await this.sendData(sock, tid, o.jpeg);
        if (ok) this.respond(sock, Rc.OK, tid);
        return;
      }
      case Op.DeleteObject:
        this.respond(sock, this.objects.delete(params[0] ?? 0) ? Rc.OK : Rc.InvalidObjectHandle, tid);
        return;
      case Op.InitiateCapture:
        return this.capture(sock, connId, tid);
      case Op.GetDevicePropDesc: {
        const code = params[0] ?? 0;
        const p = this.props.get(code);
        if (!p) return this.respond(sock, Rc.DevicePropNotSupported, tid);
        await this.sendData(sock, tid, propDesc(code, p));
        this.respond(sock, Rc.OK, tid);
        return;
      }
      case Op.GetDevicePropValue: {
        const p = this.props.get(params[0] ?? 0);
        if (!p) return this.respond(sock, Rc.DevicePropNotSupported, tid);
        const w = new Writer();
        writeValue(w, p.type, p.value);
        await this.sendData(sock, tid, w.done());
        this.respond(sock, Rc.OK, tid);
        return;
      }
      case Op.SetDevicePropValue: {
        const p = this.props.get(params[0] ?? 0);
        if (!p) return this.respond(sock, Rc.DevicePropNotSupported, tid);
        if (!p.writable || !data || data.length === 0) return this.respond(sock, Rc.InvalidDevicePropValue, tid);
        const v = readValue(p.type, data);
        if (!p.values.includes(v)) return this.respond(sock, Rc.InvalidDevicePropValue, tid);
        p.value = v;
        this.respond(sock, Rc.OK, tid);
        return;
      }
      case Op.GetStreamInfo: {
        if (this.options.liveView === false) return this.respond(sock, Rc.OperationNotSupported, tid);
        // PTP 1.1 StreamInfo: u64 dataset size, u64 time resolution, u32 frame header size, frame max size, packet header size, packet max size, packet alignment.
        const w = new Writer().u64(36).u64(1_000_000).u32(0).u32(1 << 20).u32(0).u32(1 << 20).u32(1);
        await this.sendData(sock, tid, w.done());
        this.respond(sock, Rc.OK, tid);
        return;
      }
      case Op.GetStream: {
        if (this.options.liveView === false) return this.respond(sock, Rc.OperationNotSupported, tid);
        if (this.props.get(0x5021)?.value !== 1) return this.respond(sock, Rc.GeneralError, tid);
        if (this.fault === 'preview-freeze') {
          this.frozenStreams++;
          return;
        }
        if (!this.streaming.has(sock)) {
          this.streaming.add(sock);
          if (this.options.liveViewStartMs) await sleep(this.options.liveViewStartMs);
        }
        // One live-view frame: the image the next capture will serve.
        const jpeg = await readFile(join(this.options.images, this.files[this.next % this.files.length] as string));
        this.previewFrames++;
        await this.sendData(sock, tid, jpeg);
        this.respond(sock, Rc.OK, tid);
        return;
      }
      default:
        this.respond(sock, Rc.OperationNotSupported, tid);
    }
  }

  private async capture(sock: Socket, connId: number, tid: number): Promise<void> {
    if (this.fault === 'busy') return this.respond(sock, Rc.DeviceBusy, tid);
    if (this.fault === 'storage-full') return this.respond(sock, Rc.StoreFull, tid);
    if (this.fault === 'focus-failed') return this.respond(sock, Rc.OutOfFocus, tid);
    const file = this.files[this.next % this.files.length] as string;
    this.next++;
    const jpeg = await readFile(join(this.options.images, file));
    const handle = this.nextHandle++;
    const { width, height } = jpegSize(jpeg);
    const name = `IMG_${String(handle).padStart(4, '0')}.JPG`;
    this.objects.set(handle, { handle, file, jpeg, width, height, name });
    this.served.push({ handle, file, bytes: jpeg.length });
    this.respond(sock, Rc.OK, tid);
    if (this.fault === 'no-events') return;
    this.later(this.options.shutterMs ?? 30, () => {
      const ev = this.eventSockets.get(connId);
      if (!ev || ev.destroyed) return;
      // ObjectAdded first: libgphoto2 gives up ~40 ms after CaptureComplete if the object is not announced yet.
      ev.write(packet(Packet.Event, new Writer().u16(Ev.ObjectAdded).u32(0xffffffff).u32(handle).done()));
      ev.write(packet(Packet.Event, new Writer().u16(Ev.CaptureComplete).u32(0xffffffff).done()));
    });
  }
}

export async function startPtpipCamera(options: PtpipCameraOptions): Promise<PtpipCamera> {
  return new PtpipCamera(options).start();
}

function parseFault(v: string | undefined): PtpipFault | null {
  if (v === undefined || v === 'none' || v === '') return null;
  if ((PTPIP_FAULTS as readonly string[]).includes(v)) return v as PtpipFault;
  throw new Error(`unknown fault ${v} (one of ${PTPIP_FAULTS.join(', ')}, none)`);
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const images = arg('--images');
  if (!images) throw new Error('usage: ptpip-camera.ts --port 0 --images DIR [--fault F]');
  const cam = await startPtpipCamera({ images, port: Number(arg('--port') ?? 0), fault: parseFault(arg('--fault')) });
  process.stdout.write(`ptpip: ${cam.address}\n`);
  process.stdin.setEncoding('utf8');
  let rest = '';
  process.stdin.on('data', (chunk: string) => {
    rest += chunk;
    let nl;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      const m = /^fault\s+(\S+)$/.exec(line);
      if (m) cam.setFault(parseFault(m[1])).then(() => process.stdout.write(`fault: ${m[1]}\n`), (err: unknown) => process.stderr.write(`${String(err)}\n`));
    }
  });
  const stop = (): void => { cam.close().then(() => process.exit(0), () => process.exit(1)); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`ptpip-camera: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
