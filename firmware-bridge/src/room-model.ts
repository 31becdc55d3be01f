/**
 * A model of the capture room: the studio lights (PWM duty from the board), daylight through the
 * window, the door and the seat, turned into what the sensors read. The virtual board reads its
 * inputs from it; the simavr harness is fed from it; the simulated camera exposes with it.
 */
import type { LightChannelName as LightChannel } from '../../controller/src/domain/lighting.ts';
import { windowSpillPerPercent } from '../../controller/src/domain/readiness.ts';
import { atmegaTemperatureMv } from './protocol.ts';
import { defaultCalibration } from '../../controller/src/domain/lighting.ts';
import type { SceneLighting } from '../../controller/src/domain/calibration/scene-light.ts';

export type { LightChannel };

/** Lux each light gives at full power: at the subject and on the backdrop (a dim backdrop light gives a darker, less even background). */
const fullPower: Record<LightChannel, { subject: number; backdrop: number }> = {
  key: { subject: 800, backdrop: 120 },
  fill: { subject: 450, backdrop: 80 },
  background: { subject: 40, backdrop: 700 },
  hair: { subject: 90, backdrop: 10 },
};

/**
 * Where each lamp's light lands, as shares of its output: the key stands at camera left and lights the
 * near half of the face fully and the far half at `cross`; the fill mirrors it. The background lamp
 * is aimed at the backdrop's centre (its edges get `edge`), and the key and fill spill onto the side
 * of the backdrop behind them. Daylight is even.
 */
const geometry = {
  cross: 0.35,
  edge: 0.8,
  spill: { near: 1.25, centre: 1, far: 0.75 },
  daylight: 0.3,
};

type Spread = { left: number; right: number; bLeft: number; bCentre: number; bRight: number };

function spread(pct: Record<LightChannel, number>, lamp: Record<LightChannel, number>, daylightLux: number): Spread {
  const out = (ch: LightChannel, where: 'subject' | 'backdrop'): number => (pct[ch] / 100) * lamp[ch] * fullPower[ch][where];
  const day = daylightLux * geometry.daylight;
  const key = out('key', 'subject'), fill = out('fill', 'subject'), hairS = out('hair', 'subject'), bgS = out('background', 'subject');
  const keyB = out('key', 'backdrop'), fillB = out('fill', 'backdrop'), bg = out('background', 'backdrop'), hairB = out('hair', 'backdrop');
  const { near, centre, far } = geometry.spill;
  return {
    left: key + geometry.cross * fill + hairS + bgS + day,
    right: fill + geometry.cross * key + hairS + bgS + day,
    bLeft: bg * geometry.edge + keyB * near + fillB * far + hairB + day,
    bCentre: bg + (keyB + fillB) * centre + hairB + day,
    bRight: bg * geometry.edge + fillB * near + keyB * far + hairB + day,
  };
}

/** The reference room: the default calibration's levels, new lamps, no daylight (the demo portrait as lit). */
const reference = spread(
  { key: defaultCalibration.levels.key ?? 0, fill: defaultCalibration.levels.fill ?? 0, background: defaultCalibration.levels.background ?? 0, hair: defaultCalibration.levels.hair ?? 0 },
  { key: 1, fill: 1, background: 1, hair: 1 },
  0,
);

export interface RoomWiring {
  lights: Partial<Record<LightChannel, number>>;
  doorPin: number;
  doorClosedWhen: 'low' | 'high';
  /** Analog pin number (14 = A0) of the window's daylight sensor. */
  daylightPin: number;
  /** Seat switch (pressure mat) pin and its level when someone sits; absent: no seat switch. */
  seat?: { pin: number; occupiedWhen: 'low' | 'high' };
}

export interface SensorInputs {
  /** ADC counts (0-1023) per analog channel. */
  analog: Map<number, number>;
  /** Logic level per digital pin. */
  digital: Map<number, 0 | 1>;
  /** BH1750 raw count (lux x 1.2) at the subject. */
  bh1750Raw: number;
  /** The MCU's internal temperature sensor output (mV). */
  temperatureMv: number;
}

export class RoomModel {
  private readonly duty_ = new Map<number, number>();
  private daylightLux = 0;
  private door: 'open' | 'closed' = 'closed';
  private seat: 'occupied' | 'empty' = 'empty';
  /** The board's own temperature (C): a control box next to warm lamps. */
  private boardC = 30;
  /** Lamp output relative to new (1); an ageing or failed lamp gives less light for the same duty. */
  private readonly lamp: Record<LightChannel, number> = { key: 1, fill: 1, background: 1, hair: 1 };
  private readonly listeners = new Set<() => void>();

  constructor(readonly wiring: RoomWiring) {}

  setPwm(pin: number, duty: number): void {
    if (this.duty_.get(pin) === duty) return;
    this.duty_.set(pin, duty);
    this.emit();
  }

  setDaylight(lux: number): void {
    this.daylightLux = Math.max(0, lux);
    this.emit();
  }

  setDoor(door: 'open' | 'closed'): void {
    this.door = door;
    this.emit();
  }

  setSeat(seat: 'occupied' | 'empty'): void {
    this.seat = seat;
    this.emit();
  }

  setBoardTemperature(c: number): void {
    this.boardC = c;
    this.emit();
  }

  /** PWM duty (0-255) the board drives on a pin now. */
  duty(pin: number): number {
    return this.duty_.get(pin) ?? 0;
  }

  setLampOutput(channel: LightChannel, factor: number): void {
    this.lamp[channel] = Math.max(0, factor);
    this.emit();
  }

  doorState(): 'open' | 'closed' {
    return this.door;
  }

  daylight(): number {
    return this.daylightLux;
  }

  /** Percent (0-100) of each wired light as the board drives it now. */
  lightPercent(): Record<LightChannel, number> {
    const out = { key: 0, fill: 0, background: 0, hair: 0 };
    for (const [ch, pin] of Object.entries(this.wiring.lights) as Array<[LightChannel, number]>) out[ch] = ((this.duty_.get(pin) ?? 0) / 255) * 100;
    return out;
  }

  illuminance(): { subject: number; backdrop: number } {
    const pct = this.lightPercent();
    let subject = this.daylightLux * 0.3;
    let backdrop = this.daylightLux * 0.3;
    for (const ch of Object.keys(fullPower) as LightChannel[]) {
      subject += (pct[ch] / 100) * this.lamp[ch] * fullPower[ch].subject;
      backdrop += (pct[ch] / 100) * this.lamp[ch] * fullPower[ch].backdrop;
    }
    return { subject, backdrop };
  }

  /** The light the simulated camera renders with, relative to the reference room. */
  sceneLighting(): SceneLighting {
    const s = spread(this.lightPercent(), this.lamp, this.daylightLux);
    return {
      subject: { left: s.left / reference.left, right: s.right / reference.right },
      backdrop: { left: s.bLeft / reference.bLeft, centre: s.bCentre / reference.bCentre, right: s.bRight / reference.bRight },
    };
  }

  inputs(): SensorInputs {
    const pct = this.lightPercent();
    const studio = pct.key + pct.fill + pct.background + pct.hair;
    // The window sensor sees daylight (1 count per 4 lux) plus a little spill from the studio lights.
    const window = Math.round(Math.min(1023, this.daylightLux / 4 + studio * windowSpillPerPercent));
    const closedLevel: 0 | 1 = this.wiring.doorClosedWhen === 'low' ? 0 : 1;
    const digital = new Map<number, 0 | 1>([[this.wiring.doorPin, this.door === 'closed' ? closedLevel : ((1 - closedLevel) as 0 | 1)]]);
    const seat = this.wiring.seat;
    if (seat) {
      const occupiedLevel: 0 | 1 = seat.occupiedWhen === 'low' ? 0 : 1;
      digital.set(seat.pin, this.seat === 'occupied' ? occupiedLevel : ((1 - occupiedLevel) as 0 | 1));
    }
    return {
      analog: new Map([[this.wiring.daylightPin - 14, window]]),
      digital,
      bh1750Raw: Math.round(Math.min(65535, this.illuminance().subject * 1.2)),
      temperatureMv: Math.round(atmegaTemperatureMv(this.boardC)),
    };
  }

  /** Subscribes to input changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}
