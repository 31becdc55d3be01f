/**
 * firmata-io over a serialport stream, with our sysex extensions: the handshake (version, firmware,
 * capabilities, analog mapping) with a deadline, status replies as events, ramps, heartbeat.
 * johnny-five gets the `io` of a connected link as its IO plugin.
 */
import firmataIo, { type Firmata, type FirmataTransport } from 'firmata-io';
import { DeviceError } from '../../controller/src/app/ports/device.ts';
import { decodeStatus, FIRMWARE_NAME, HANG_MAGIC, heartbeatConfigMessage, rampMessage, readinessConfigMessage, RigSysex, type FirmwareStatus } from './protocol.ts';

/** A serial stream as firmata-io and our link use it (serialport's SerialPort or SerialPortStream). */
export interface SerialStream extends FirmataTransport {
  readonly isOpen: boolean;
  close(callback?: (err?: Error | null) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}

const STATUS_EVENT = 'rig-status';
let statusHandlerRegistered = false;

/** firmata-io keeps sysex handlers in one table for all boards: register ours once, dispatch per board. */
function registerStatusHandler(io: Firmata): void {
  if (statusHandlerRegistered) return;
  statusHandlerRegistered = true;
  io.sysexResponse(RigSysex.STATUS, function onStatus(this: Firmata, data: number[]) {
    const status = decodeStatus(data);
    if (status) this.emit(STATUS_EVENT, status);
  });
}

export class RigLink {
  private closed = false;

  private constructor(readonly io: Firmata, readonly port: SerialStream) {}

  /**
   * Opens the handshake on an open (or opening) stream. Rejects with `rig.no_answer` (transient)
   * when no Firmata board answers within `timeoutMs`, `rig.wrong_firmware` (permanent) when the
   * board runs some other firmware; the stream is closed on failure.
   */
  static async connect(port: SerialStream, opts: { timeoutMs?: number; requireOurFirmware?: boolean } = {}): Promise<RigLink> {
    const io = new firmataIo.Firmata(port, { reportVersionTimeout: 300 });
    registerStatusHandler(io);
    const link = new RigLink(io, port);
    // An error after the handshake must never go unhandled (a write to a port that just vanished).
    io.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new DeviceError('rig.no_answer', true, `no Firmata answer within ${opts.timeoutMs ?? 5000} ms`)), opts.timeoutMs ?? 5000);
        const fail = (err: unknown): void => {
          clearTimeout(timer);
          reject(new DeviceError('rig.offline', true, 'serial port failed during the handshake', { cause: err }));
        };
        io.once('ready', () => {
          clearTimeout(timer);
          io.removeListener('error', fail);
          resolve();
        });
        io.once('error', fail);
        port.on('close', () => fail(new Error('port closed')));
      });
      if (opts.requireOurFirmware !== false && io.firmware.name !== FIRMWARE_NAME) {
        throw new DeviceError('rig.wrong_firmware', false, `the board runs "${io.firmware.name ?? '?'}", not ${FIRMWARE_NAME}`);
      }
      return link;
    } catch (err) {
      await link.close();
      throw err;
    }
  }

  get firmwareName(): string {
    return this.io.firmware.name ?? '';
  }

  onStatus(listener: (s: FirmwareStatus) => void): () => void {
    this.io.on(STATUS_EVENT, listener);
    return () => this.io.removeListener(STATUS_EVENT, listener);
  }

  /** Asks for the firmware's status; rejects with `rig.timeout` (transient) when no reply comes. */
  status(timeoutMs = 1000): Promise<FirmwareStatus> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new DeviceError('rig.timeout', true, `no status reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onStatus((s) => {
        clearTimeout(timer);
        off();
        resolve(s);
      });
      this.send([RigSysex.STATUS]);
    });
  }

  ramp(pin: number, duty: number, durationMs: number): void {
    this.send(rampMessage(pin, duty, durationMs));
  }

  configureHeartbeat(timeoutMs: number, standbyDuty: number, standbyRampMs: number): void {
    this.send(heartbeatConfigMessage(timeoutMs, standbyDuty, standbyRampMs));
  }

  heartbeat(): void {
    this.send([RigSysex.HEARTBEAT]);
  }

  configureReadiness(doorPin: number, doorClosedLevel: 0 | 1, daylightChannel: number, daylightMax: number, seat?: { pin: number; occupiedLevel: 0 | 1 }): void {
    this.send(readinessConfigMessage(doorPin, doorClosedLevel, daylightChannel, daylightMax, seat));
  }

  /** Wedges the firmware's main loop (the AVR watchdog must reset it): for technicians and tests. */
  hang(): void {
    this.send([RigSysex.DEBUG_HANG, ...HANG_MAGIC]);
  }

  /** Writes raw bytes (tests: garbage and truncated frames). */
  writeRaw(bytes: number[]): void {
    if (this.port.isOpen) this.port.write(Buffer.from(bytes));
  }

  private send(message: number[]): void {
    if (!this.port.isOpen) throw new DeviceError('rig.offline', true, 'the board is not connected');
    this.io.sysexCommand(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
