/**
 * The virtual room (firmware-bridge/src/room-model.ts) as calibration drives it, without the board
 * in between: light levels reach the room at once. For tests and the calibration benchmark that run
 * hundreds of shots; the routes' integration test uses the virtual board itself.
 */
import { RoomModel } from '../../firmware-bridge/src/room-model.ts';
import type { CalibrationRig } from '../../controller/src/app/ports/calibration.ts';
import type { ReadinessReport, RigReadings } from '../../controller/src/app/ports/rig.ts';
import { lightChannels, percentToDuty, type LightPercent } from '../../controller/src/domain/lighting.ts';

const pins = { key: 3, fill: 5, background: 6, hair: 9 } as const;

export class RoomRig implements CalibrationRig {
  readonly room = new RoomModel({ lights: { ...pins }, doorPin: 2, doorClosedWhen: 'low', daylightPin: 14 });

  async setLights(levels: LightPercent): Promise<void> {
    for (const ch of lightChannels) {
      const v = levels[ch];
      if (v !== undefined) this.room.setPwm(pins[ch], percentToDuty(v));
    }
  }

  readiness(): ReadinessReport {
    const reasons: string[] = [];
    if (this.room.doorState() === 'open') reasons.push('rig.door_open');
    if (this.room.daylight() > 480) reasons.push('rig.daylight');
    return { ready: reasons.length === 0, reasons, door: this.room.doorState(), daylight: this.room.daylight() > 480, lights: { left: 1, right: 1 }, at: new Date().toISOString(), simulated: true };
  }

  readings(): RigReadings {
    const at = Date.now();
    const pct = this.room.lightPercent();
    return {
      subjectLux: { value: this.room.illuminance().subject, at: at - 1 },
      door: { value: this.room.doorState(), at },
      daylightRaw: null,
      seat: null,
      boardTemperatureC: null,
      lights: { key: { value: pct.key, at }, fill: { value: pct.fill, at }, background: { value: pct.background, at } },
    };
  }
}
