// The part of firmata-io (no published types) that the rig driver uses.
declare module 'firmata-io' {
  import { EventEmitter } from 'node:events';

  export interface FirmataPin {
    supportedModes: number[];
    mode?: number;
    value: number;
    state?: number;
    analogChannel: number;
    report?: number;
  }

  export interface FirmataTransport {
    write(data: Buffer, callback?: (err?: Error | null) => void): unknown;
    on(event: string, listener: (...args: unknown[]) => void): unknown;
  }

  export class Firmata extends EventEmitter {
    constructor(port: FirmataTransport, options?: { reportVersionTimeout?: number; samplingInterval?: number; skipCapabilities?: boolean });
    readonly MODES: Record<'INPUT' | 'OUTPUT' | 'ANALOG' | 'PWM' | 'I2C' | 'PULLUP', number>;
    isReady: boolean;
    versionReceived: boolean;
    firmware: { name?: string; version?: { major: number; minor: number } };
    version: { major?: number; minor?: number };
    pins: FirmataPin[];
    analogPins: number[];
    transport: FirmataTransport;
    pinMode(pin: number, mode: number): void;
    analogWrite(pin: number, value: number): void;
    pwmWrite(pin: number, value: number): void;
    digitalWrite(pin: number, value: number): void;
    reportAnalogPin(channel: number, value: 0 | 1): void;
    reportDigitalPin(pin: number, value: 0 | 1): void;
    queryPinState(pin: number, callback: () => void): void;
    queryFirmware(callback: () => void): void;
    reportVersion(callback: () => void): void;
    setSamplingInterval(ms: number): void;
    i2cConfig(options?: { delay?: number }): this;
    i2cWrite(address: number, bytes: number[]): this;
    i2cReadOnce(address: number, bytesToRead: number, callback: (data: number[]) => void): this;
    sysexCommand(message: number[]): this;
    sysexResponse(commandByte: number, handler: (this: Firmata, data: number[]) => void): this;
    reset(): void;
  }

  /** The package's module.exports: a transport binder carrying the class (Node's ESM sees only the default export). */
  const bindTransport: { Firmata: typeof Firmata };
  export default bindTransport;
}
