/**
 * The rig's components as a controller table per chip, as johnny-five does: each entry starts its
 * chip on johnny-five's board (or firmata-io) and turns raw readings into domain values, with the
 * datasheet's page beside the arithmetic. BoardRig picks one per role from its `chips` option.
 */
import five, { type Board, type Led } from 'johnny-five';
import type { Firmata } from 'firmata-io';
import { atmegaTemperatureC } from './protocol.ts';

/** Which chip sits behind each sensor role (johnny-five's controller names). */
export interface SensorChips {
  subject: 'BH1750' | 'none';
  window: 'ANALOG';
  door: 'REED';
  seat: 'SWITCH';
  dimmer: 'PWM';
  /** The board's own temperature: the MCU's internal sensor, read by our firmware. */
  temperature: 'ATMEGA328P';
}

export type Cleanup = () => void;

/** Controller table: what each chip needs to start and how its readings become domain values. */
export const chipControllers = {
  subject: {
    // Our own BH1750 controller on johnny-five's IO: its Light class starts an interval it never stops.
    /** `onLux` gets the reading and when the measurement it reports began (for telling a reading before a light change from one after). */
    BH1750: (io: Firmata, clock: () => number, onLux: (lux: number, measuredFrom: number) => void): Cleanup => {
      const address = 0x23; // ADDR pin low (datasheet p. 10)
      let stopped = false;
      let timer: NodeJS.Timeout | null = null;
      io.i2cConfig({ delay: 0 });
      io.i2cWrite(address, [0x10]); // continuously H-resolution mode, 1 lx steps (p. 5)
      const next = (): void => {
        // H-resolution measurement takes up to 180 ms (p. 2); read once per measurement.
        timer = setTimeout(() => {
          let answered = false;
          // The count read now integrates the light of the last measurement time (120-180 ms, p. 2).
          const measuredFrom = clock() - 180;
          io.i2cReadOnce(address, 2, (data) => {
            if (stopped || answered) return;
            answered = true;
            if (timer) clearTimeout(timer);
            // p. 7: illuminance = count / 1.2
            onLux(Math.round((((data[0] ?? 0) << 8) | (data[1] ?? 0)) / 1.2), measuredFrom);
            next();
          });
          // No answer (sensor absent, reply lost): ask again; the reading meanwhile turns stale.
          timer = setTimeout(() => {
            answered = true;
            if (!stopped) next();
          }, 1000);
        }, 180);
      };
      next();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      };
    },
    none: (): Cleanup => () => undefined,
  },
  window: {
    ANALOG: (board: Board, pin: number, onRaw: (raw: number) => void): Cleanup => {
      const sensor = new five.Sensor({ pin: `A${pin - 14}`, board, freq: 50 });
      sensor.on('data', () => onRaw(sensor.raw));
      return () => {
        sensor.removeAllListeners('data');
        sensor.disable();
      };
    },
  },
  door: {
    REED: (board: Board, pin: number, closedWhen: 'low' | 'high', onDoor: (d: 'open' | 'closed') => void): Cleanup => {
      // johnny-five's Switch reads "closed" at level 1; a reed switch to ground closes at level 0.
      const sw = new five.Switch({ pin, board, invert: closedWhen === 'low' });
      sw.on('open', () => onDoor('open'));
      sw.on('close', () => onDoor('closed'));
      return () => sw.removeAllListeners();
    },
  },
  seat: {
    // A pressure mat is a switch like the door's: closed (level per wiring) while someone sits.
    SWITCH: (board: Board, pin: number, occupiedWhen: 'low' | 'high', onSeat: (s: 'occupied' | 'empty') => void): Cleanup => {
      const sw = new five.Switch({ pin, board, invert: occupiedWhen === 'low' });
      sw.on('open', () => onSeat('empty'));
      sw.on('close', () => onSeat('occupied'));
      return () => sw.removeAllListeners();
    },
  },
  dimmer: {
    PWM: (board: Board, pin: number): Led => new five.Led({ pin, board }),
  },
  temperature: {
    ATMEGA328P: (raw: number): number => Math.round(atmegaTemperatureC(raw) * 10) / 10,
  },
} as const;
