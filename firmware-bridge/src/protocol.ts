/**
 * The rig firmware's wire protocol as the host and the virtual board see it: the Firmata subset
 * johnny-five uses and our sysex extensions. Mirrors firmware-bridge/firmware/protocol.h (a test
 * compares the two), so the virtual board and the AVR firmware cannot drift apart silently.
 */

export const Firmata = {
  DIGITAL_MESSAGE: 0x90,
  ANALOG_MESSAGE: 0xe0,
  REPORT_ANALOG: 0xc0,
  REPORT_DIGITAL: 0xd0,
  SET_PIN_MODE: 0xf4,
  SET_DIGITAL_PIN_VALUE: 0xf5,
  REPORT_VERSION: 0xf9,
  SYSTEM_RESET: 0xff,
  START_SYSEX: 0xf0,
  END_SYSEX: 0xf7,
  ANALOG_MAPPING_QUERY: 0x69,
  ANALOG_MAPPING_RESPONSE: 0x6a,
  CAPABILITY_QUERY: 0x6b,
  CAPABILITY_RESPONSE: 0x6c,
  PIN_STATE_QUERY: 0x6d,
  PIN_STATE_RESPONSE: 0x6e,
  EXTENDED_ANALOG: 0x6f,
  I2C_REQUEST: 0x76,
  I2C_REPLY: 0x77,
  I2C_CONFIG: 0x78,
  REPORT_FIRMWARE: 0x79,
  SAMPLING_INTERVAL: 0x7a,
} as const;

export const PinMode = { INPUT: 0x00, OUTPUT: 0x01, ANALOG: 0x02, PWM: 0x03, I2C: 0x06, PULLUP: 0x0b } as const;

export const FIRMATA_VERSION = { major: 2, minor: 5 } as const;
export const FIRMWARE_NAME = 'rig-firmata';

/** Our sysex commands, in Firmata's user-defined range (0x01-0x0F). */
export const RigSysex = {
  /** pin, target (2 x 7 bit, 0-255), duration ms (2 x 7 bit); any direct write cancels it. */
  RAMP: 0x01,
  /** timeout in 100 ms units (0 = off), standby level 0-255, standby ramp ms; each 2 x 7 bit. */
  HEARTBEAT_CONFIG: 0x02,
  /** The host is alive (no payload). */
  HEARTBEAT: 0x03,
  /** Query (no payload) and reply: see `decodeStatus`. Also sent unprompted when a flag changes. */
  STATUS: 0x04,
  /** door pin, door closed level (0/1), daylight analog channel (127 = none), daylight max (2 x 7 bit); optionally seat pin (127 = none), seat occupied level (0/1). */
  READINESS_CONFIG: 0x05,
  /** Magic 0x2A 0x55: wedge the main loop with interrupts off (the AVR watchdog must reset it). */
  DEBUG_HANG: 0x0e,
} as const;

export const HANG_MAGIC = [0x2a, 0x55] as const;

export const StatusFlag = { STANDBY: 0x01, HEARTBEAT_ARMED: 0x02, DOOR_CLOSED: 0x04, DAYLIGHT_OK: 0x08, READY: 0x10, SEAT_OCCUPIED: 0x20 } as const;

/** Uno/Nano pin layout the firmware reports. */
export const PIN_COUNT = 20;
export const ANALOG_FIRST_PIN = 14;
export const ANALOG_COUNT = 6;
export const PWM_PINS: readonly number[] = [3, 5, 6, 9, 10, 11];
export const I2C_PINS: readonly number[] = [18, 19];
/** The hardware watchdog period the firmware arms (WDTO_500MS). */
export const AVR_WATCHDOG_MS = 500;

/** The firmware's own health, as its STATUS reply reports it. */
export interface FirmwareStatus {
  uptimeS: number;
  watchdogResets: number;
  /** MCUSR at boot: 1 power-on, 2 external, 4 brown-out, 8 watchdog. */
  bootCause: number;
  standby: boolean;
  heartbeatArmed: boolean;
  doorClosed: boolean;
  daylightOk: boolean;
  ready: boolean;
  msSinceHeartbeat: number;
  daylightRaw: number;
  rampsActive: number;
  /** A seat pin is configured and reads occupied. */
  seatOccupied: boolean;
  /** The MCU's internal temperature sensor, ADC counts against the 1.1 V reference; null from a firmware that does not send it. */
  temperatureRaw: number | null;
}

export function to7bit(v: number): [number, number] {
  return [v & 0x7f, (v >> 7) & 0x7f];
}

/** Decodes the payload of a STATUS reply (the bytes between the command byte and END_SYSEX). */
export function decodeStatus(d: readonly number[]): FirmwareStatus | null {
  if (d.length < 12) return null;
  const b = (i: number): number => d[i] ?? 0;
  const flags = b(6);
  return {
    uptimeS: b(0) | (b(1) << 7) | (b(2) << 14),
    watchdogResets: b(3) | (b(4) << 7),
    bootCause: b(5),
    standby: (flags & StatusFlag.STANDBY) !== 0,
    heartbeatArmed: (flags & StatusFlag.HEARTBEAT_ARMED) !== 0,
    doorClosed: (flags & StatusFlag.DOOR_CLOSED) !== 0,
    daylightOk: (flags & StatusFlag.DAYLIGHT_OK) !== 0,
    ready: (flags & StatusFlag.READY) !== 0,
    msSinceHeartbeat: b(7) | (b(8) << 7),
    daylightRaw: b(9) | (b(10) << 7),
    rampsActive: b(11),
    seatOccupied: (flags & StatusFlag.SEAT_OCCUPIED) !== 0,
    temperatureRaw: d.length >= 14 ? b(12) | (b(13) << 7) : null,
  };
}

export function rampMessage(pin: number, target: number, durationMs: number): number[] {
  return [RigSysex.RAMP, pin, ...to7bit(Math.round(target)), ...to7bit(Math.min(16383, Math.round(durationMs)))];
}

export function heartbeatConfigMessage(timeoutMs: number, standbyLevel: number, standbyRampMs: number): number[] {
  return [RigSysex.HEARTBEAT_CONFIG, ...to7bit(Math.ceil(timeoutMs / 100)), ...to7bit(standbyLevel), ...to7bit(Math.min(16383, standbyRampMs))];
}

export function readinessConfigMessage(
  doorPin: number, doorClosedLevel: 0 | 1, daylightChannel: number, daylightMax: number, seat?: { pin: number; occupiedLevel: 0 | 1 },
): number[] {
  return [RigSysex.READINESS_CONFIG, doorPin, doorClosedLevel, daylightChannel, ...to7bit(daylightMax), ...(seat ? [seat.pin, seat.occupiedLevel] : [])];
}

/**
 * ATmega328P internal temperature sensor: ADC counts (1.1 V reference, 10 bit) to degrees C. The
 * datasheet's typical curve (table "Temperature vs. Sensor Output Voltage", section 24.8) gives
 * 242 mV at -45 C, 314 mV at 25 C and 380 mV at 85 C; between these points it is linear. Uncalibrated
 * parts are off by up to +-10 C, enough to tell a cool board from one cooking next to a lamp.
 */
export const temperatureCurve: ReadonlyArray<readonly [mV: number, c: number]> = [[242, -45], [314, 25], [380, 85]];
export function atmegaTemperatureC(raw: number): number {
  const mV = (raw * 1100) / 1024;
  const [p0, p1, p2] = temperatureCurve as [readonly [number, number], readonly [number, number], readonly [number, number]];
  const [a, b] = mV < p1[0] ? [p0, p1] : [p1, p2];
  return a[1] + ((mV - a[0]) * (b[1] - a[1])) / (b[0] - a[0]);
}

/** The inverse, for the room model feeding simulated boards: the sensor's millivolts at a temperature. */
export function atmegaTemperatureMv(c: number): number {
  const [p0, p1, p2] = temperatureCurve as [readonly [number, number], readonly [number, number], readonly [number, number]];
  const [a, b] = c < p1[1] ? [p0, p1] : [p1, p2];
  return a[0] + ((c - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
}
