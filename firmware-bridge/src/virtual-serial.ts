/**
 * A virtual serial port with the virtual board at its far end: a serialport binding (the same
 * interface as the native one), so `SerialPortStream`, firmata-io and johnny-five run unchanged.
 * Opening the port boots the board, as an Uno's DTR reset does; closing it powers the board off.
 * Test handles: `unplug()` makes the port vanish (pending reads fail, the stream closes with an
 * error, and opening fails until `plugIn()`).
 */
import { SerialPortStream } from '@serialport/stream';
import { RoomModel, type RoomWiring } from './room-model.ts';
import { VirtualBoard } from './virtual-board.ts';

// The binding contract of @serialport/bindings-interface, restated: its package exports hide its types from NodeNext resolution.
interface OpenOptions {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  lock?: boolean;
  stopBits?: 1 | 1.5 | 2;
  parity?: string;
  rtscts?: boolean;
  xon?: boolean;
  xoff?: boolean;
  xany?: boolean;
  hupcl?: boolean;
}
interface PortInfo { path: string; manufacturer: string | undefined; serialNumber: string | undefined; pnpId: string | undefined; locationId: string | undefined; productId: string | undefined; vendorId: string | undefined }
interface PortStatus { cts: boolean; dsr: boolean; dcd: boolean }
type SetOptions = Record<string, boolean | undefined>;
interface UpdateOptions { baudRate: number }
interface BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  isOpen: boolean;
  close(): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  update(options: UpdateOptions): Promise<void>;
  set(options: SetOptions): Promise<void>;
  get(): Promise<PortStatus>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}
interface BindingInterface<T extends BindingPortInterface> {
  list(): Promise<PortInfo[]>;
  open(options: OpenOptions): Promise<T>;
}

class CanceledError extends Error {
  readonly canceled = true;
}

const unplugged = (): Error => Object.assign(new Error('virtual board unplugged'), { code: 'EIO' });

class VirtualPort implements BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  isOpen = true;
  private readonly inbox: Buffer[] = [];
  private waiter: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private vanished = false;

  constructor(private readonly line: VirtualSerialLine, options: OpenOptions) {
    this.openOptions = { dataBits: 8, lock: true, stopBits: 1, parity: 'none', rtscts: false, xon: false, xoff: false, xany: false, hupcl: true, ...options };
    line.board.start((bytes) => this.deliver(bytes));
  }

  private deliver(bytes: Buffer): void {
    this.inbox.push(bytes);
    const w = this.waiter;
    this.waiter = null;
    w?.resolve();
  }

  /** The device vanished: the pending read fails with a non-cancel error (serialport then closes with it). */
  vanish(): void {
    this.line.board.stop();
    this.vanished = true;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(unplugged());
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    if (this.vanished) {
      this.isOpen = false;
      return;
    }
    this.isOpen = false;
    this.line.board.stop();
    this.line.detach(this);
    const w = this.waiter;
    this.waiter = null;
    w?.reject(new CanceledError('port closed'));
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    while (this.inbox.length === 0) {
      if (this.vanished) throw unplugged();
      if (!this.isOpen) throw new CanceledError('port closed');
      await new Promise<void>((resolve, reject) => { this.waiter = { resolve, reject }; });
    }
    const head = this.inbox[0] as Buffer;
    const n = Math.min(length, head.length);
    head.copy(buffer, offset, 0, n);
    if (n === head.length) this.inbox.shift();
    else this.inbox[0] = head.subarray(n);
    return { buffer, bytesRead: n };
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.vanished) throw unplugged();
    if (!this.isOpen) throw new CanceledError('port closed');
    const copy = Buffer.from(buffer);
    // The UART hands bytes over after the call returns, never inside the host's write.
    setImmediate(() => {
      if (this.isOpen) this.line.board.receive(copy);
    });
  }

  async update(_options: UpdateOptions): Promise<void> {}
  async set(_options: SetOptions): Promise<void> {}
  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: true };
  }
  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate };
  }
  async flush(): Promise<void> {}
  async drain(): Promise<void> {}
}

/** One virtual board on one virtual serial line, with the room it sits in. */
export class VirtualSerialLine {
  readonly room: RoomModel;
  readonly board: VirtualBoard;
  private port: VirtualPort | null = null;
  private plugged = true;

  constructor(readonly path: string, wiring: RoomWiring, clock: () => number = Date.now) {
    this.room = new RoomModel(wiring);
    this.board = new VirtualBoard(this.room, clock);
  }

  /** The binding serialport uses to reach this line. */
  readonly binding: BindingInterface<VirtualPort> = {
    list: async (): Promise<PortInfo[]> => (this.plugged ? [{ path: this.path, manufacturer: 'virtual', serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: undefined, vendorId: undefined }] : []),
    open: async (options: OpenOptions): Promise<VirtualPort> => {
      if (options.path !== this.path || !this.plugged) throw Object.assign(new Error(`no such port ${options.path}`), { code: 'ENOENT' });
      if (this.port) throw Object.assign(new Error(`${options.path} is busy`), { code: 'EBUSY' });
      this.port = new VirtualPort(this, options);
      return this.port;
    },
  };

  /** A serialport stream on this line (not yet open unless `autoOpen`). */
  openStream(baudRate = 57_600, autoOpen = true): SerialPortStream {
    return new SerialPortStream({ binding: this.binding, path: this.path, baudRate, autoOpen });
  }

  detach(port: VirtualPort): void {
    if (this.port === port) this.port = null;
  }

  unplug(): void {
    this.plugged = false;
    const p = this.port;
    this.port = null;
    p?.vanish();
  }

  plugIn(): void {
    this.plugged = true;
  }
}
