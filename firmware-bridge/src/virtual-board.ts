/**
 * The virtual board: a TypeScript emulation of our firmware (firmware/rig.c) behind a byte
 * interface, reading its inputs from a RoomModel and driving the room's lights with its PWM
 * outputs. It answers the same bytes the same way, including the parsing rule (a byte >= 0x80
 * starts a new message), the heartbeat watchdog to standby and a watchdog reset after a wedge.
 * It runs on a 5 ms tick from `start()` until `stop()`.
 */
import {
  ANALOG_COUNT, ANALOG_FIRST_PIN, AVR_WATCHDOG_MS, Firmata, FIRMATA_VERSION, FIRMWARE_NAME, HANG_MAGIC, I2C_PINS, PIN_COUNT,
  PinMode, PWM_PINS, RigSysex, StatusFlag, to7bit,
} from './protocol.ts';
import type { RoomModel } from './room-model.ts';

const BH1750_ADDRESS = 0x23;
const TICK_MS = 5;
const SYSEX_MAX = 48;

interface Ramp { from: number; to: number; start: number; duration: number }

export class VirtualBoard {
  private output: ((bytes: Buffer) => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private bootAt = 0;
  /** Boots so far: each power-on (port open) and each watchdog reset. */
  bootCount = 0;
  private watchdogResets = 0;
  private bootCause = 1;
  private hungSince: number | null = null;

  private mode: number[] = [];
  private value: number[] = [];
  private analogMask = 0;
  private digitalMask = 0;
  private lastPort = [0, 0, 0];
  private samplingMs = 19;
  private lastSample = 0;
  private ramps = new Map<number, Ramp>();
  private hbTimeoutMs = 0;
  private hbStandby = 0;
  private hbRampMs = 0;
  private hbLast = 0;
  private standby = false;
  private doorPin = 0xff;
  private doorClosedLevel = 0;
  private daylightChannel = 0x7f;
  private daylightMax = 1023;
  private daylightRaw = 0;
  private seatPin = 0xff;
  private seatOccupiedLevel = 0;
  private lastFlags = 0xff;
  private i2cEnabled = false;
  private i2cContinuous: Array<{ addr: number; len: number; reg: number }> = [];

  private cmd = 0;
  private need = 0;
  private args: number[] = [];
  private inSysex = false;
  private sysex: number[] = [];
  private sysexOverflow = false;

  constructor(private readonly room: RoomModel, private readonly clock: () => number = Date.now) {}

  /** Powers the board on: it boots and announces itself like the firmware does. */
  start(output: (bytes: Buffer) => void): void {
    this.output = output;
    this.boot();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.output = null;
  }

  /** Bytes from the host, as the UART would deliver them. */
  receive(bytes: Uint8Array): void {
    if (this.hungSince !== null) return;
    for (const b of bytes) this.feed(b);
  }

  private boot(): void {
    this.bootCount += 1;
    this.bootAt = this.clock();
    this.resetState();
    this.hbLast = this.bootAt;
    this.send([Firmata.REPORT_VERSION, FIRMATA_VERSION.major, FIRMATA_VERSION.minor]);
    this.reportFirmware();
  }

  private resetState(): void {
    this.mode = Array.from({ length: PIN_COUNT }, (_, pin) => (pin >= ANALOG_FIRST_PIN ? PinMode.ANALOG : pin >= 2 ? PinMode.OUTPUT : PinMode.INPUT));
    this.value = Array.from({ length: PIN_COUNT }, () => 0);
    for (const pin of PWM_PINS) this.room.setPwm(pin, 0);
    this.ramps.clear();
    this.analogMask = 0;
    this.digitalMask = 0;
    this.samplingMs = 19;
    this.hbTimeoutMs = 0;
    this.standby = false;
    this.doorPin = 0xff;
    this.seatPin = 0xff;
    this.daylightChannel = 0x7f;
    this.lastFlags = 0xff;
    this.i2cContinuous = [];
    this.need = 0;
    this.inSysex = false;
  }

  private send(bytes: number[]): void {
    this.output?.(Buffer.from(bytes));
  }

  private tick(): void {
    const now = this.clock();
    if (this.hungSince !== null) {
      if (now - this.hungSince < AVR_WATCHDOG_MS) return;
      this.hungSince = null;
      this.watchdogResets += 1;
      this.bootCause = 8;
      this.boot();
      return;
    }
    this.runRamps(now);
    this.checkHeartbeat(now);
    for (let port = 0; port < 3; port++) {
      if ((this.digitalMask >> port) & 1 && this.readPort(port) !== this.lastPort[port]) this.reportPort(port);
    }
    if (now - this.lastSample >= this.samplingMs) {
      this.lastSample = now;
      this.sample();
      if (this.doorPin !== 0xff && this.flags() !== this.lastFlags) this.reportStatus();
    }
  }

  // ---- inputs ----
  private pinLevel(pin: number): number {
    const inputs = this.room.inputs();
    const level = inputs.digital.get(pin);
    if (level !== undefined) return level;
    if (this.mode[pin] === PinMode.OUTPUT) return this.value[pin] ?? 0;
    if (this.mode[pin] === PinMode.PWM) return (this.value[pin] ?? 0) > 0 ? 1 : 0;
    return this.mode[pin] === PinMode.PULLUP ? 1 : 0;
  }

  private readPort(port: number): number {
    let v = 0;
    for (let i = 0; i < 8; i++) {
      const pin = port * 8 + i;
      if (pin >= PIN_COUNT) break;
      if (this.pinLevel(pin)) v |= 1 << i;
    }
    return v;
  }

  private reportPort(port: number): void {
    const v = this.readPort(port);
    this.lastPort[port] = v;
    this.send([Firmata.DIGITAL_MESSAGE | port, v & 0x7f, v >> 7]);
  }

  private sample(): void {
    const analog = this.room.inputs().analog;
    for (let ch = 0; ch < ANALOG_COUNT; ch++) {
      const want = (this.analogMask >> ch) & 1;
      if (!want && ch !== this.daylightChannel) continue;
      const v = analog.get(ch) ?? 0;
      if (ch === this.daylightChannel) this.daylightRaw = v;
      if (want) this.send([Firmata.ANALOG_MESSAGE | ch, ...to7bit(v)]);
    }
    for (const q of this.i2cContinuous) this.i2cRead(q.addr, q.reg, q.len);
  }

  // ---- outputs ----
  private setPwm(pin: number, v: number): void {
    this.value[pin] = v;
    this.room.setPwm(pin, v);
  }

  private startRamp(pin: number, to: number, duration: number): void {
    if (pin >= PIN_COUNT || this.mode[pin] !== PinMode.PWM) return;
    this.ramps.delete(pin);
    if (duration === 0) this.setPwm(pin, to);
    else this.ramps.set(pin, { from: this.value[pin] ?? 0, to, start: this.clock(), duration });
  }

  private runRamps(now: number): void {
    for (const [pin, r] of this.ramps) {
      const t = now - r.start;
      if (t >= r.duration) {
        this.setPwm(pin, r.to);
        this.ramps.delete(pin);
      } else {
        this.setPwm(pin, r.from + Math.trunc(((r.to - r.from) * t) / r.duration));
      }
    }
  }

  private checkHeartbeat(now: number): void {
    if (this.hbTimeoutMs === 0 || this.standby || now - this.hbLast < this.hbTimeoutMs) return;
    this.standby = true;
    for (let pin = 0; pin < PIN_COUNT; pin++) if (this.mode[pin] === PinMode.PWM) this.startRamp(pin, this.hbStandby, this.hbRampMs);
    this.reportStatus();
  }

  private setPinMode(pin: number, mode: number): void {
    if (pin < 2 || pin >= PIN_COUNT) return;
    const ok = mode === PinMode.INPUT || mode === PinMode.OUTPUT || mode === PinMode.PULLUP
      || (mode === PinMode.PWM && PWM_PINS.includes(pin)) || (mode === PinMode.ANALOG && pin >= ANALOG_FIRST_PIN)
      || (mode === PinMode.I2C && I2C_PINS.includes(pin));
    if (!ok) return;
    this.ramps.delete(pin);
    this.mode[pin] = mode;
    this.value[pin] = 0;
    if (PWM_PINS.includes(pin)) this.room.setPwm(pin, 0);
    if (mode === PinMode.ANALOG) this.analogMask &= ~(1 << (pin - ANALOG_FIRST_PIN));
  }

  private analogWrite(pin: number, v: number): void {
    if (pin >= PIN_COUNT || this.mode[pin] !== PinMode.PWM) return;
    this.ramps.delete(pin);
    this.setPwm(pin, Math.min(255, v));
  }

  // ---- replies ----
  private reportFirmware(): void {
    const name = [...FIRMWARE_NAME].flatMap((c) => to7bit(c.charCodeAt(0)));
    this.send([Firmata.START_SYSEX, Firmata.REPORT_FIRMWARE, FIRMATA_VERSION.major, FIRMATA_VERSION.minor, ...name, Firmata.END_SYSEX]);
  }

  private reportCapabilities(): void {
    const out: number[] = [Firmata.START_SYSEX, Firmata.CAPABILITY_RESPONSE];
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      if (pin >= 2) {
        out.push(PinMode.INPUT, 1, PinMode.OUTPUT, 1, PinMode.PULLUP, 1);
        if (PWM_PINS.includes(pin)) out.push(PinMode.PWM, 8);
        if (pin >= ANALOG_FIRST_PIN) out.push(PinMode.ANALOG, 10);
        if (I2C_PINS.includes(pin)) out.push(PinMode.I2C, 1);
      }
      out.push(0x7f);
    }
    out.push(Firmata.END_SYSEX);
    this.send(out);
  }

  private reportAnalogMapping(): void {
    const map = Array.from({ length: PIN_COUNT }, (_, pin) => (pin >= ANALOG_FIRST_PIN ? pin - ANALOG_FIRST_PIN : 0x7f));
    this.send([Firmata.START_SYSEX, Firmata.ANALOG_MAPPING_RESPONSE, ...map, Firmata.END_SYSEX]);
  }

  private reportPinState(pin: number): void {
    if (pin >= PIN_COUNT) return;
    const mode = this.mode[pin] ?? 0;
    const state = mode === PinMode.INPUT || mode === PinMode.PULLUP ? this.pinLevel(pin) : (this.value[pin] ?? 0);
    this.send([Firmata.START_SYSEX, Firmata.PIN_STATE_RESPONSE, pin, mode, state & 0x7f, ...(state > 0x7f ? [state >> 7] : []), Firmata.END_SYSEX]);
  }

  private flags(): number {
    let f = 0;
    if (this.standby) f |= StatusFlag.STANDBY;
    if (this.hbTimeoutMs) f |= StatusFlag.HEARTBEAT_ARMED;
    const doorOk = this.doorPin < PIN_COUNT && this.pinLevel(this.doorPin) === this.doorClosedLevel;
    const dayOk = this.daylightChannel < ANALOG_COUNT && this.daylightRaw <= this.daylightMax;
    if (doorOk) f |= StatusFlag.DOOR_CLOSED;
    if (dayOk) f |= StatusFlag.DAYLIGHT_OK;
    if (doorOk && dayOk && !this.standby) f |= StatusFlag.READY;
    if (this.seatPin < PIN_COUNT && this.pinLevel(this.seatPin) === this.seatOccupiedLevel) f |= StatusFlag.SEAT_OCCUPIED;
    return f;
  }

  private reportStatus(): void {
    const now = this.clock();
    const up = Math.floor((now - this.bootAt) / 1000);
    this.lastFlags = this.flags();
    this.send([
      Firmata.START_SYSEX, RigSysex.STATUS, up & 0x7f, (up >> 7) & 0x7f, (up >> 14) & 0x7f, ...to7bit(this.watchdogResets),
      this.bootCause & 0x7f, this.lastFlags, ...to7bit(Math.min(16383, now - this.hbLast)), ...to7bit(this.daylightRaw), this.ramps.size,
      // The MCU's temperature sensor as the firmware's ADC reads it against 1.1 V.
      ...to7bit(Math.min(1023, Math.round((this.room.inputs().temperatureMv * 1024) / 1100))),
      Firmata.END_SYSEX,
    ]);
  }

  private i2cRead(addr: number, reg: number, len: number): void {
    if (addr !== BH1750_ADDRESS) return; // nobody answers: the firmware sends nothing either
    const raw = this.room.inputs().bh1750Raw;
    const data = [raw >> 8, raw & 0xff].slice(0, len);
    this.send([Firmata.START_SYSEX, Firmata.I2C_REPLY, ...to7bit(addr), ...to7bit(reg < 0 ? 0 : reg), ...data.flatMap((b) => to7bit(b)), Firmata.END_SYSEX]);
  }

  private i2cRequest(d: number[]): void {
    if (d.length < 2 || !this.i2cEnabled) return;
    const addr = d[0] ?? 0;
    const mode = ((d[1] ?? 0) >> 3) & 0x03;
    const bytes: number[] = [];
    for (let i = 2; i + 1 < d.length; i += 2) bytes.push((d[i] ?? 0) | ((d[i + 1] ?? 0) << 7));
    if (mode === 0) return; // a write: the BH1750 twin only needs to be powered, it always measures
    if (mode === 3) {
      this.i2cContinuous = this.i2cContinuous.filter((q) => q.addr !== addr);
      return;
    }
    const reg = bytes.length >= 2 ? (bytes[0] ?? 0) : -1;
    const len = bytes.length >= 2 ? (bytes[1] ?? 0) : (bytes[0] ?? 0);
    if (mode === 1) this.i2cRead(addr, reg, len);
    else if (this.i2cContinuous.length < 2) this.i2cContinuous.push({ addr, reg, len });
  }

  private runSysex(m: number[]): void {
    const d = m.slice(1);
    const d14 = (i: number): number => (d[i] ?? 0) | ((d[i + 1] ?? 0) << 7);
    switch (m[0]) {
      case Firmata.REPORT_FIRMWARE: this.reportFirmware(); break;
      case Firmata.CAPABILITY_QUERY: this.reportCapabilities(); break;
      case Firmata.ANALOG_MAPPING_QUERY: this.reportAnalogMapping(); break;
      case Firmata.PIN_STATE_QUERY: if (d.length >= 1) this.reportPinState(d[0] ?? 0); break;
      case Firmata.EXTENDED_ANALOG:
        if (d.length >= 2) this.analogWrite(d[0] ?? 0, d.slice(1, 3).reduce((v, b, i) => v | (b << (7 * i)), 0));
        break;
      case Firmata.SAMPLING_INTERVAL: if (d.length >= 2) this.samplingMs = Math.max(10, d14(0)); break;
      case Firmata.I2C_CONFIG: this.i2cEnabled = true; break;
      case Firmata.I2C_REQUEST: this.i2cRequest(d); break;
      case RigSysex.RAMP: if (d.length >= 5) this.startRamp(d[0] ?? 0, Math.min(255, d14(1)), d14(3)); break;
      case RigSysex.HEARTBEAT_CONFIG:
        if (d.length >= 6) {
          this.hbTimeoutMs = d14(0) * 100;
          this.hbStandby = Math.min(255, d14(2));
          this.hbRampMs = d14(4);
          this.hbLast = this.clock();
          this.standby = false;
        }
        break;
      case RigSysex.HEARTBEAT:
        this.hbLast = this.clock();
        this.standby = false;
        break;
      case RigSysex.STATUS: this.reportStatus(); break;
      case RigSysex.READINESS_CONFIG:
        if (d.length >= 5) {
          this.doorPin = (d[0] ?? 0xff) < PIN_COUNT ? (d[0] ?? 0xff) : 0xff;
          this.doorClosedLevel = d[1] ? 1 : 0;
          this.daylightChannel = d[2] ?? 0x7f;
          this.daylightMax = d14(3);
          this.seatPin = d.length >= 7 && (d[5] ?? 0xff) < PIN_COUNT ? (d[5] ?? 0xff) : 0xff;
          this.seatOccupiedLevel = d.length >= 7 && d[6] ? 1 : 0;
          this.reportStatus();
        }
        break;
      case RigSysex.DEBUG_HANG:
        if (d[0] === HANG_MAGIC[0] && d[1] === HANG_MAGIC[1]) this.hungSince = this.clock();
        break;
      default: break;
    }
  }

  private runCommand(): void {
    const hi = this.cmd & 0xf0;
    const lo = this.cmd & 0x0f;
    const [a = 0, b = 0] = this.args;
    if (hi === Firmata.DIGITAL_MESSAGE) {
      const v = a | (b << 7);
      for (let i = 0; i < 8; i++) {
        const pin = lo * 8 + i;
        if (pin < PIN_COUNT && this.mode[pin] === PinMode.OUTPUT) this.value[pin] = (v >> i) & 1;
      }
    } else if (hi === Firmata.ANALOG_MESSAGE) {
      this.analogWrite(lo, a | (b << 7));
    } else if (hi === Firmata.REPORT_ANALOG) {
      if (lo < ANALOG_COUNT) this.analogMask = a ? this.analogMask | (1 << lo) : this.analogMask & ~(1 << lo);
    } else if (hi === Firmata.REPORT_DIGITAL) {
      if (lo < 3) {
        if (a) {
          this.digitalMask |= 1 << lo;
          this.reportPort(lo);
        } else {
          this.digitalMask &= ~(1 << lo);
        }
      }
    } else if (this.cmd === Firmata.SET_PIN_MODE) {
      this.setPinMode(a, b);
    } else if (this.cmd === Firmata.SET_DIGITAL_PIN_VALUE) {
      if (a < PIN_COUNT && this.mode[a] === PinMode.OUTPUT) this.value[a] = b ? 1 : 0;
    }
  }

  private feed(c: number): void {
    if (c === Firmata.END_SYSEX && this.inSysex) {
      this.inSysex = false;
      if (!this.sysexOverflow && this.sysex.length > 0) this.runSysex(this.sysex);
      return;
    }
    if (c & 0x80) {
      this.inSysex = false;
      this.need = 0;
      if (c === Firmata.END_SYSEX) return;
      if (c === Firmata.START_SYSEX) {
        this.inSysex = true;
        this.sysex = [];
        this.sysexOverflow = false;
        return;
      }
      if (c === Firmata.REPORT_VERSION) {
        this.send([Firmata.REPORT_VERSION, FIRMATA_VERSION.major, FIRMATA_VERSION.minor]);
        return;
      }
      if (c === Firmata.SYSTEM_RESET) {
        this.resetState();
        return;
      }
      const hi = c & 0xf0;
      this.cmd = c;
      this.args = [];
      if (hi === Firmata.DIGITAL_MESSAGE || hi === Firmata.ANALOG_MESSAGE || c === Firmata.SET_PIN_MODE || c === Firmata.SET_DIGITAL_PIN_VALUE) this.need = 2;
      else if (hi === Firmata.REPORT_ANALOG || hi === Firmata.REPORT_DIGITAL) this.need = 1;
      return;
    }
    if (this.inSysex) {
      if (this.sysex.length < SYSEX_MAX) this.sysex.push(c);
      else this.sysexOverflow = true;
      return;
    }
    if (this.need === 0) return;
    this.args.push(c);
    if (this.args.length === this.need) {
      this.runCommand();
      this.need = 0;
    }
  }
}
