import { describe, expect, it } from 'vitest';
import { assessRoom, defaultReadinessLimits, type RoomSnapshot } from '../../../controller/src/domain/readiness.ts';
import { sceneLevels, sceneLux, defaultCalibration, percentToDuty, dutyToPercent } from '../../../controller/src/domain/lighting.ts';

const now = 1_000_000;
const ready: RoomSnapshot = {
  now, connected: true, lastReportAt: now - 20, standby: false, door: 'closed', daylightRaw: 21, studioPercent: 210, subjectLux: 938, targetLux: 938,
};

describe('readiness rule', () => {
  it('is ready in a dark, closed room lit as calibrated', () => {
    expect(assessRoom(ready)).toEqual({ ready: true, reasons: [] });
  });

  it('says offline when the board is gone, whatever the last readings were', () => {
    expect(assessRoom({ ...ready, connected: false })).toEqual({ ready: false, reasons: ['rig.offline'] });
  });

  it('counts a report older than its limit as no report', () => {
    expect(assessRoom({ ...ready, lastReportAt: now - defaultReadinessLimits.staleAfterMs - 1 }).reasons).toEqual(['rig.stale']);
    expect(assessRoom({ ...ready, lastReportAt: now - defaultReadinessLimits.staleAfterMs }).ready).toBe(true);
    expect(assessRoom({ ...ready, lastReportAt: null }).reasons).toEqual(['rig.unknown']);
  });

  it('lists every reason at once: door, daylight, lights, standby', () => {
    const r = assessRoom({ ...ready, door: 'open', daylightRaw: 400, subjectLux: 500, standby: true });
    expect(r.reasons).toEqual(['rig.standby', 'rig.door_open', 'rig.daylight', 'rig.lights_low']);
  });

  it('takes the studio lights spill off the window sensor before judging daylight', () => {
    // 210 % of studio light adds 21 counts: 140 raw is 119 of daylight (under 120), 142 raw is 121.
    expect(assessRoom({ ...ready, daylightRaw: 140 }).ready).toBe(true);
    expect(assessRoom({ ...ready, daylightRaw: 142 }).reasons).toEqual(['rig.daylight']);
    // The same 140 counts with the lights off is daylight.
    expect(assessRoom({ ...ready, daylightRaw: 140, studioPercent: 0 }).reasons).toEqual(['rig.daylight']);
  });

  it('holds the subject illuminance within the tolerance of the scene target', () => {
    expect(assessRoom({ ...ready, subjectLux: 938 * 0.91 }).ready).toBe(true);
    expect(assessRoom({ ...ready, subjectLux: 938 * 0.89 }).reasons).toEqual(['rig.lights_low']);
    expect(assessRoom({ ...ready, subjectLux: 938 * 1.11 }).reasons).toEqual(['rig.lights_high']);
    expect(assessRoom({ ...ready, subjectLux: null }).reasons).toEqual(['rig.unknown']);
    expect(assessRoom({ ...ready, door: null, subjectLux: null }).reasons).toEqual(['rig.unknown']);
  });
});

describe('lighting scenes', () => {
  it('derives every scene from the calibration, the still at the calibrated levels', () => {
    expect(sceneLevels(defaultCalibration, 'full')).toEqual(defaultCalibration.levels);
    expect(sceneLevels(defaultCalibration, 'modelling').key).toBe(40);
    expect(sceneLux(defaultCalibration, 'standby')).toBeCloseTo(93.8);
  });

  it('maps percent to an 8-bit duty and back, clamped', () => {
    expect(percentToDuty(100)).toBe(255);
    expect(percentToDuty(150)).toBe(255);
    expect(percentToDuty(-5)).toBe(0);
    expect(dutyToPercent(percentToDuty(80))).toBeCloseTo(80, 0);
  });
});

describe('readiness rule while the lights move between scenes', () => {
  it('takes any level between the old and the new scene while settling, and only the new one after', () => {
    const halfway = { ...ready, subjectLux: 700, targetLux: 938 };
    expect(assessRoom(halfway).reasons).toEqual(['rig.lights_low']);
    const fromModelling = { low: 469, high: 469 };
    expect(assessRoom({ ...halfway, settlingFrom: fromModelling })).toEqual({ ready: true, reasons: [] });
    // Still judged: a level outside both scenes is a reason even while settling.
    expect(assessRoom({ ...halfway, subjectLux: 200, settlingFrom: fromModelling }).reasons).toEqual(['rig.lights_low']);
    expect(assessRoom({ ...halfway, subjectLux: 1200, settlingFrom: fromModelling }).reasons).toEqual(['rig.lights_high']);
    // Turned back mid-way (modelling -> full -> standby): anything from standby up to full.
    expect(assessRoom({ ...halfway, targetLux: 94, subjectLux: 700, settlingFrom: { low: 469, high: 938 } }).ready).toBe(true);
  });
});
