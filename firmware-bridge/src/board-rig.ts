/**
 * The rig driver: johnny-five over our firmware (firmata-io on a current serialport stream), with
 * components built from the configured pins through a controller table per chip. It keeps the
 * room's readings with their times, judges readiness with the domain rule, beats the firmware's
 * heartbeat, and reconnects by itself when the port comes back.
 *
 * Timers: one 250 ms tick (heartbeat, status poll, light confirmation, staleness) from `open()` to
 * `close()`, and a reconnect attempt every 500 ms while the board is away.
 */
import five, { type Board, type Led } from 'johnny-five';
import { DeviceError, type DeviceStatus, type DeviceStatusEvent, type DriverChoice } from '../../controller/src/app/ports/device.ts';
import type { BoardHealth, ReadinessReport, RigPort, RigReadings, SimulatedRigControls } from '../../controller/src/app/ports/rig.ts';
import {
  defaultCalibration, dutyToPercent, lightChannels, percentToDuty, sceneLevels, sceneLux,
  type LightCalibration, type LightChannelName, type LightPercent, type SceneName,
} from '../../controller/src/domain/lighting.ts';
import { assessRoom, compensatedDaylight, defaultReadinessLimits, type ReadinessLimits, type ReadinessVerdict } from '../../controller/src/domain/readiness.ts';
import { chipControllers, type Cleanup, type SensorChips } from './chip-controllers.ts';
import { PinMode, type FirmwareStatus } from './protocol.ts';
import { RigLink, type SerialStream } from './rig-link.ts';

export interface BoardWiring {
  lights: Partial<Record<LightChannelName, number>>;
  door: { pin: number; closedWhen: 'low' | 'high' };
  /** Analog pin (14 = A0) of the window sensor. */
  daylight: { pin: number };
  /** Seat switch (pressure mat); absent: none fitted. */
  seat?: { pin: number; occupiedWhen: 'low' | 'high' };
}


export type { SensorChips } from './chip-controllers.ts';

export interface BoardRigOptions {
  path: string;
  baudRate: number;
  wiring: BoardWiring;
  choice: DriverChoice;
  chips?: Partial<SensorChips>;
  /** Opens a serial stream (default: a serialport `SerialPort` on `path`). */
  openPort: (path: string, baudRate: number) => SerialStream;
  calibration?: LightCalibration;
  limits?: ReadinessLimits;
  /** The firmware drops to standby after this much host silence. */
  heartbeatTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  controls?: SimulatedRigControls;
  clock?: () => number;
}


/** The lights on their way to a new scene (see BoardRig.settle). */
interface Settling {
  low: number;
  high: number;
  /** PWM duty per pin the scene asks for. */
  duties: Map<number, number>;
  confirmedAt: number | null;
  giveUpAt: number;
}

interface Connection {
  link: RigLink;
  board: Board;
  leds: Map<LightChannelName, Led>;
  cleanups: Cleanup[];
}

export class BoardRig implements RigPort {
  readonly choice: DriverChoice;
  readonly controls?: SimulatedRigControls;
  private readonly clock: () => number;
  private calibration: LightCalibration;
  private readonly limits: ReadinessLimits;
  private readonly chips: SensorChips;
  private conn: Connection | null = null;
  private closed = false;
  private tickTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private lastReportAt: number | null = null;
  private activeScene: SceneName = 'standby';
  /**
   * Set while the lights move to a new scene: the targets they come from (low, high), the duty
   * each channel must reach, when the board confirmed them all (null: not yet), and a bound after
   * which the room is judged as it is. Settled: confirmed, then a subject measurement begun after.
   * The board's confirmation, not the host's clock, says when a ramp is over: a busy board (or
   * simavr behind wall-clock time) ramps late.
   */
  private settle: Settling | null = null;
  private readonly state: RigReadings = { subjectLux: null, door: null, daylightRaw: null, lights: {}, seat: null, boardTemperatureC: null };
  private firmware: (FirmwareStatus & { at: number; name: string; heartbeatAt: number }) | null = null;
  private lastHeartbeatSent = 0;
  private hostStalled = false;
  /** The level the host last asked of each lamp (a scene's, or set by hand): what a relight restores. */
  private commanded: LightPercent = {};
  private lastVerdictKey = '';
  private readonly listeners = new Set<(r: ReadinessReport) => void>();
  private readonly statusListeners = new Set<(e: DeviceStatusEvent) => void>();

  private constructor(private readonly o: BoardRigOptions) {
    this.choice = o.choice;
    if (o.controls) this.controls = o.controls;
    this.clock = o.clock ?? Date.now;
    this.calibration = o.calibration ?? defaultCalibration;
    this.limits = o.limits ?? { ...defaultReadinessLimits };
    this.chips = { subject: 'BH1750', window: 'ANALOG', door: 'REED', seat: 'SWITCH', dimmer: 'PWM', temperature: 'ATMEGA328P', ...o.chips };
  }

  /** Connects (rejects with the DeviceError of the first attempt: nothing is left running). */
  static async open(o: BoardRigOptions): Promise<BoardRig> {
    const rig = new BoardRig(o);
    await rig.connect();
    rig.tickTimer = setInterval(() => rig.tick(), 250);
    return rig;
  }

  private async connect(): Promise<void> {
    const port = this.o.openPort(this.o.path, this.o.baudRate);
    const link = await RigLink.connect(port, { timeoutMs: this.o.handshakeTimeoutMs ?? 5000 });
    let conn: Connection | null = null;
    try {
      const board = new five.Board({ io: link.io, repl: false, debug: false, sigint: false });
      board.on('error', () => undefined); // failures surface as the port closing
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new DeviceError('rig.no_answer', true, 'johnny-five did not get ready')), 5000);
        board.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      conn = { link, board, leds: new Map(), cleanups: [] };
      const w = this.o.wiring;
      for (const ch of lightChannels) {
        const pin = w.lights[ch];
        if (pin !== undefined) conn.leds.set(ch, chipControllers.dimmer[this.chips.dimmer](board, pin));
      }
      conn.cleanups.push(chipControllers.door[this.chips.door](board, w.door.pin, w.door.closedWhen, (d) => this.update(() => { this.state.door = { value: d, at: this.clock() }; })));
      conn.cleanups.push(chipControllers.window[this.chips.window](board, w.daylight.pin, (raw) => this.update(() => { this.state.daylightRaw = { value: raw, at: this.clock() }; })));
      conn.cleanups.push(chipControllers.subject[this.chips.subject](link.io, this.clock, (lux, measuredFrom) => this.update(() => {
        this.state.subjectLux = { value: lux, at: this.clock() };
        // A measurement begun after the board confirmed the new levels shows the scene as it is.
        if (this.settle?.confirmedAt != null && measuredFrom >= this.settle.confirmedAt) this.settle = null;
      })));
      if (w.seat) {
        conn.cleanups.push(chipControllers.seat[this.chips.seat](board, w.seat.pin, w.seat.occupiedWhen, (s) => this.update(() => { this.state.seat = { value: s, at: this.clock() }; })));
      }
      // The door's (and seat's) level right now (the Switch only reports changes after its first read).
      link.io.queryPinState(w.door.pin, () => undefined);
      if (w.seat) link.io.queryPinState(w.seat.pin, () => undefined);
      const onData = (): void => { this.lastReportAt = this.clock(); };
      port.on('data', onData);
      conn.cleanups.push(() => port.removeListener('data', onData));
      conn.cleanups.push(link.onStatus((s) => {
        const now = this.clock();
        const wasStandby = this.firmware?.standby ?? false;
        this.firmware = { ...s, at: now, name: link.firmwareName, heartbeatAt: now - s.msSinceHeartbeat };
        // Out of standby: the host went silent for longer than the heartbeat timeout (a stalled
        // machine) and speaks again. The firmware left its lamps at the standby level; light the
        // scene in force again, judged as settling from standby meanwhile.
        if (wasStandby && !s.standby) {
          try {
            this.relight('standby', 500);
          } catch {
            // The port vanished under the command: its close event does the rest (and a reconnect relights).
          }
        }
        this.update(() => {
          if (s.temperatureRaw !== null) this.state.boardTemperatureC = { value: chipControllers.temperature[this.chips.temperature](s.temperatureRaw), at: now };
        });
      }));
      // The board announcing itself again means it restarted (watchdog, brown-out): its pin modes,
      // reports and heartbeat settings are gone, so start over as after a lost port.
      const current = conn;
      const onReboot = (): void => this.lost(current);
      link.io.on('reportversion', onReboot);
      conn.cleanups.push(() => link.io.removeListener('reportversion', onReboot));
      const onClose = (): void => this.lost(current);
      port.on('close', onClose);
      conn.cleanups.push(() => port.removeListener('close', onClose));
      this.conn = conn;
      this.lastReportAt = this.clock();
      const closedLevel = w.door.closedWhen === 'low' ? 0 : 1;
      link.configureReadiness(w.door.pin, closedLevel, w.daylight.pin - 14, this.limits.daylightMax,
        w.seat ? { pin: w.seat.pin, occupiedLevel: w.seat.occupiedWhen === 'low' ? 0 : 1 } : undefined);
      link.configureHeartbeat(this.o.heartbeatTimeoutMs ?? 3000, percentToDuty(sceneLevels(this.calibration, 'standby').key ?? 10), 1000);
      link.heartbeat();
      // The board came up dark: the lights rise to the scene in force, and are judged as settling meanwhile.
      this.relight(null, 500);
      this.emitStatus('connected');
      this.update(() => undefined);
    } catch (err) {
      // Half set up: stop what was started (johnny-five's Sensor runs an interval) before giving up.
      if (conn) {
        if (this.conn === conn) this.conn = null;
        for (const c of conn.cleanups.splice(0)) c();
      }
      await link.close();
      throw err;
    }
  }

  private lost(conn: Connection): void {
    if (this.conn !== conn) return;
    this.conn = null;
    for (const c of conn.cleanups.splice(0)) c();
    this.state.lights = {};
    this.state.seat = null;
    this.emitStatus('lost', 'rig.offline');
    this.update(() => undefined);
    conn.link.close().catch(() => undefined); // the port is already gone; closing only releases it
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closed || this.conn) return;
      this.emitStatus('reconnecting', 'rig.offline');
      this.connect().catch(() => this.scheduleReconnect());
    }, 500);
  }

  private tick(): void {
    const conn = this.conn;
    if (conn && !this.hostStalled) {
      try {
        conn.link.heartbeat();
        this.lastHeartbeatSent = this.clock();
        conn.link.status(1000).catch(() => undefined);
        for (const [ch, pin] of Object.entries(this.o.wiring.lights) as Array<[LightChannelName, number]>) {
          conn.link.io.queryPinState(pin, () => {
            const state = conn.link.io.pins[pin]?.state ?? 0;
            this.state.lights[ch] = { value: dutyToPercent(state), at: this.clock() };
            this.confirmLevels(conn);
          });
        }
      } catch {
        // The port vanished between two ticks: its close event does the rest.
      }
    }
    this.update(() => undefined);
  }

  private update(change: () => void): void {
    change();
    const verdict = this.verdict();
    const report = this.report(verdict);
    const key = JSON.stringify([report.ready, report.reasons, report.door, report.daylight, report.scene, report.settling]);
    if (key === this.lastVerdictKey) return;
    this.lastVerdictKey = key;
    for (const l of [...this.listeners]) {
      try {
        l(report);
      } catch {
        // One listener's failure must not hide the change from the others.
      }
    }
  }

  private studioPercent(): number {
    return Object.values(this.state.lights).reduce((sum, r) => sum + (r?.value ?? 0), 0);
  }

  /** A sensor reading older than twice the staleness limit counts as none (the board may report, the sensor not). */
  private fresh(r: { value: number; at: number } | null): number | null {
    return r && this.clock() - r.at <= 2 * this.limits.staleAfterMs ? r.value : null;
  }

  private settlingTo(low: number, high: number, scene: SceneName, rampMs: number): Settling {
    const duties = new Map<number, number>();
    for (const [ch, percent] of Object.entries(sceneLevels(this.calibration, scene)) as Array<[LightChannelName, number]>) {
      const pin = this.o.wiring.lights[ch];
      if (pin !== undefined) duties.set(pin, percentToDuty(percent));
    }
    // A lamp that never gets there is judged as it is after this (lights_low / lights_high).
    return { low, high, duties, confirmedAt: null, giveUpAt: this.clock() + rampMs + 3000 };
  }

  /** After a pin-state reply: has the board put every channel on the scene's duty? */
  private confirmLevels(conn: Connection): void {
    const s = this.settle;
    if (!s || s.confirmedAt !== null) return;
    for (const [pin, duty] of s.duties) if ((conn.link.io.pins[pin]?.state ?? -1) !== duty) return;
    s.confirmedAt = this.clock();
    // Without a subject sensor the board's word is all there is to wait for.
    if (this.chips.subject === 'none') this.settle = null;
    this.update(() => undefined);
  }

  /**
   * Puts the lamps back where the host last asked for them (the scene in force, or a technician's or
   * the calibration's own levels) from where they are now (dark: null, or another scene's level).
   */
  private relight(from: SceneName | null, rampMs: number): void {
    this.applyLevels({ ...sceneLevels(this.calibration, this.activeScene), ...this.commanded }, rampMs);
    const was = from === null ? 0 : sceneLux(this.calibration, from);
    this.settle = this.settlingTo(was, was, this.activeScene, rampMs);
  }

  /** Whether the lights are still on their way to the active scene. */
  private settling(): boolean {
    if (this.settle && this.clock() > this.settle.giveUpAt) this.settle = null;
    return this.settle !== null;
  }

  private verdict(): ReadinessVerdict {
    const settling = this.settling();
    return assessRoom({
      now: this.clock(),
      connected: this.conn !== null,
      lastReportAt: this.lastReportAt,
      standby: this.firmware?.standby ?? false,
      door: this.state.door?.value ?? null,
      daylightRaw: this.state.daylightRaw?.value ?? null,
      studioPercent: this.studioPercent(),
      subjectLux: this.chips.subject === 'none' ? sceneLux(this.calibration, this.activeScene) : this.fresh(this.state.subjectLux),
      targetLux: sceneLux(this.calibration, this.activeScene),
      settlingFrom: settling && this.settle ? { low: this.settle.low, high: this.settle.high } : null,
    }, this.limits);
  }

  private report(v: ReadinessVerdict): ReadinessReport {
    const target = sceneLux(this.calibration, this.activeScene);
    const lux = this.state.subjectLux?.value ?? 0;
    const rel = target > 0 ? lux / target : 1;
    const raw = this.state.daylightRaw?.value;
    return {
      ready: v.ready, reasons: v.reasons,
      door: this.state.door?.value ?? 'open',
      daylight: raw !== undefined && compensatedDaylight(raw, this.studioPercent()) > this.limits.daylightMax,
      lights: { left: rel, right: rel },
      at: new Date(this.clock()).toISOString(),
      simulated: this.choice.simulated,
      scene: this.activeScene,
      settling: this.settle !== null,
    };
  }

  readiness(): ReadinessReport {
    return this.report(this.verdict());
  }

  onChange(listener: (report: ReadinessReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (event: DeviceStatusEvent) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private emitStatus(status: DeviceStatus, code?: string): void {
    const e: DeviceStatusEvent = { status, at: this.clock(), ...(code ? { code } : {}) };
    for (const l of [...this.statusListeners]) {
      try {
        l(e);
      } catch {
        // as above
      }
    }
  }

  private applyLevels(levels: LightPercent, rampMs: number): void {
    const conn = this.conn;
    if (!conn) throw new DeviceError('rig.offline', true, 'the board is not connected');
    this.commanded = { ...this.commanded, ...levels };
    for (const [ch, percent] of Object.entries(levels) as Array<[LightChannelName, number]>) {
      const pin = this.o.wiring.lights[ch];
      const led = conn.leds.get(ch);
      if (pin === undefined || !led) continue;
      const duty = percentToDuty(percent);
      if (rampMs > 0) {
        // Soft start and stop run in the firmware: the lamps ramp even if the host stalls. (Setting
        // the mode again would switch the lamp off first: the ramp would start from dark.)
        if (conn.link.io.pins[pin]?.mode !== PinMode.PWM) conn.link.io.pinMode(pin, PinMode.PWM);
        conn.link.ramp(pin, duty, rampMs);
      } else {
        led.brightness(duty);
      }
    }
  }

  async setLights(levels: LightPercent, rampMs = 0): Promise<void> {
    for (const [ch, v] of Object.entries(levels)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) throw new RangeError(`light ${ch} must be 0-100 %, got ${String(v)}`);
    }
    this.applyLevels(levels, rampMs);
  }

  async scene(name: SceneName, rampMs = 800): Promise<void> {
    if (!this.conn) {
      // Remembered all the same: the board, once back, is lit for the state the kiosk is in now.
      this.activeScene = name;
      this.commanded = { ...this.commanded, ...sceneLevels(this.calibration, name) };
      throw new DeviceError('rig.offline', true, 'the board is not connected');
    }
    this.applyLevels(sceneLevels(this.calibration, name), rampMs);
    if (name !== this.activeScene) {
      // Mid-way through an earlier change the light may still be anywhere that one spanned.
      const was = sceneLux(this.calibration, this.activeScene);
      this.settle = this.settlingTo(Math.min(this.settle?.low ?? was, was), Math.max(this.settle?.high ?? was, was), name, rampMs);
    }
    this.activeScene = name;
    this.update(() => undefined);
  }

  /** A new calibration (a technician activated a profile): the current scene is re-lit with it and readiness judged by it. */
  async calibrate(calibration: LightCalibration): Promise<void> {
    this.calibration = calibration;
    this.applyLevels(sceneLevels(calibration, this.activeScene), 0);
    this.update(() => undefined);
  }

  readings(): RigReadings {
    return { ...this.state, lights: { ...this.state.lights } };
  }

  health(): BoardHealth | null {
    const f = this.firmware;
    if (!f) return null;
    return { firmware: f.name, uptimeS: f.uptimeS, watchdogResets: f.watchdogResets, lastHeartbeatAt: f.heartbeatAt, standby: f.standby, at: f.at };
  }

  /** Wedges the firmware's main loop so that its watchdog must reset it (technicians' check of the watchdog). */
  wedgeFirmware(): void {
    if (!this.conn) throw new DeviceError('rig.offline', true, 'the board is not connected');
    this.conn.link.hang();
  }

  /**
   * Test handle: the host says nothing to the board (no heartbeat, no query), as a stalled machine,
   * until the returned function is called.
   */
  stallHost(): () => void {
    this.hostStalled = true;
    return () => {
      this.hostStalled = false;
    };
  }

  /** Epoch ms the host last sent a heartbeat (0 before the first). */
  heartbeatSentAt(): number {
    return this.lastHeartbeatSent;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.tickTimer = null;
    this.reconnectTimer = null;
    const conn = this.conn;
    this.conn = null;
    this.listeners.clear();
    this.statusListeners.clear();
    if (conn) {
      for (const c of conn.cleanups.splice(0)) c();
      await conn.link.close();
    }
  }
}
