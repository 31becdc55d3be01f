import { describe, expect, it } from 'vitest';
import { exposureFactor, parseAperture, parseShutter } from '../../../controller/src/domain/calibration/camera-exposure.ts';
import { decide, exposureStep, type CalibrationLimits, type RoomSettings } from '../../../controller/src/domain/calibration/auto-rule.ts';
import { defaultTargets, lightnessToY, type ShotFigures } from '../../../controller/src/domain/calibration/figures.ts';
import { compareProfiles, morningCheck, type CalibrationProfile } from '../../../controller/src/domain/calibration/profile.ts';

const limits: CalibrationLimits = { light: { min: 5, max: 100 }, iso: ['100', '200', '400'], aperture: ['f/5.6', 'f/8', 'f/11'], shutter: ['1/125'], whiteBalance: 'Flash', maxShots: 8 };
const room = (key: number, fill: number, background: number, iso = '100'): RoomSettings => ({ lights: { key, fill, background }, camera: { iso, aperture: 'f/8', shutter: '1/125' } });
const Lstar = (y: number): number => 116 * Math.cbrt(y) - 16;

/** Figures of a shot whose face halves have these linear luminances and whose backdrop is this exposure (1 = the profile colour). */
function figures(left: number, right: number, backdrop: number, o: { spread?: number; deltaE?: number } = {}): ShotFigures {
  return {
    histogram: new Array(64).fill(1 / 64), clipped: { high: 0, low: 0 },
    background: { lab: { L: 76, a: -12, b: -37 }, deltaE: o.deltaE ?? Math.abs(Math.log(backdrop)) * 20, exposure: backdrop, cells: [[0.5]], spread: o.spread ?? 1, leftRightL: 0 },
    face: { lightness: Lstar((left + right) / 2), left, right, halvesL: Lstar(left) - Lstar(right), region: { x: 0.35, y: 0.32, w: 0.3, h: 0.26 }, placedBy: 'guide' },
    grey: null,
  };
}
const target = lightnessToY(defaultTargets.faceLightness);

describe('camera exposure arithmetic', () => {
  it('reads the body\'s values and counts stops from ISO 100, f/8, 1/125', () => {
    expect(parseAperture('f/5.6')).toBe(5.6);
    expect(parseShutter('1/250')).toBeCloseTo(0.004);
    expect(parseShutter('2s')).toBe(2);
    expect(exposureFactor({ iso: '200', aperture: 'f/8', shutter: '1/125' })).toBeCloseTo(2);
    expect(exposureFactor({ iso: '100', aperture: 'f/11', shutter: '1/125' })).toBeCloseTo(0.53, 2);
    expect(exposureFactor({ iso: 'auto', aperture: 'f/8', shutter: '1/125' })).toBeNull();
  });

  it('steps ISO first, then aperture, within the limits', () => {
    expect(exposureStep(room(50, 50, 50).camera, limits, 1)).toMatchObject({ iso: '200' });
    expect(exposureStep(room(50, 50, 50, '400').camera, limits, 1)).toMatchObject({ iso: '400', aperture: 'f/5.6' });
    expect(exposureStep({ iso: '400', aperture: 'f/5.6', shutter: '1/125' }, limits, 1)).toBeNull();
    expect(exposureStep(room(50, 50, 50).camera, limits, -1)).toMatchObject({ aperture: 'f/11' });
  });
});

describe('the auto-calibration rule', () => {
  it('stops when every target holds', () => {
    const d = decide({ shots: 2, settings: room(50, 70, 80), figures: figures(target, target, 1), targets: defaultTargets, limits });
    expect(d).toMatchObject({ kind: 'stop', reason: 'calibration.converged', params: { shots: 2 } });
  });

  it('lights a dark face more, the key most when the left half is darker', () => {
    const d = decide({ shots: 1, settings: room(20, 20, 70), figures: figures(target / 4, target / 2, 1), targets: defaultTargets, limits });
    if (d.kind !== 'adjust') throw new Error(JSON.stringify(d));
    // Face light x2.8 and the key/fill ratio x4 want the key past 100 %: the camera goes up a stop and every light halves.
    expect(d.next.camera.iso).toBe('200');
    expect(d.next.lights.key).toBeGreaterThan(40);
    expect(d.next.lights.key / d.next.lights.fill).toBeCloseTo(4, 0);
    expect(d.next.lights.background).toBeCloseTo(35, 0);
    expect(d.failing).toEqual(expect.arrayContaining(['face.exposure', 'face.balance']));
  });

  it('moves the camera a step when the lights would pass 100 %, and rescales them', () => {
    const d = decide({ shots: 1, settings: room(60, 60, 60), figures: figures(target / 3, target / 3, 0.5), targets: defaultTargets, limits });
    if (d.kind !== 'adjust') throw new Error(JSON.stringify(d));
    expect(d.next.camera.iso).not.toBe('100');
    expect(Math.max(d.next.lights.key, d.next.lights.fill, d.next.lights.background)).toBeLessThanOrEqual(100);
  });

  it('stops with a reason when the background lamp is at 100 % and the backdrop still too dark', () => {
    const settings: RoomSettings = { lights: { key: 50, fill: 50, background: 100 }, camera: { iso: '400', aperture: 'f/5.6', shutter: '1/125' } };
    const d = decide({ shots: 3, settings, figures: figures(target, target, 0.5), targets: defaultTargets, limits });
    expect(d).toMatchObject({ kind: 'stop', reason: 'calibration.background_too_dark', params: { level: 100 } });
  });

  it('names the background lamp when moving it alone changed nothing', () => {
    const previous = { settings: room(50, 50, 20), figures: figures(target, target, 0.5) };
    const d = decide({ shots: 2, settings: room(50, 50, 40), figures: figures(target, target, 0.5), previous, targets: defaultTargets, limits });
    expect(d).toMatchObject({ kind: 'stop', reason: 'calibration.channel_unresponsive', params: { channel: 'background' } });
  });

  it('does not blame a lamp for a change hidden by a clipped face', () => {
    const previous = { settings: room(90, 30, 70), figures: figures(0.95, 0.9, 1) };
    const d = decide({ shots: 2, settings: room(30, 30, 70), figures: figures(0.95, 0.9, 1), previous, targets: defaultTargets, limits });
    expect(d.kind === 'stop' && d.reason === 'calibration.channel_unresponsive').toBe(false);
  });

  it('says which limit holds the room back when nothing is left to move', () => {
    const settings: RoomSettings = { lights: { key: 100, fill: 30, background: 50 }, camera: { iso: '400', aperture: 'f/5.6', shutter: '1/125' } };
    // The face wants twice the light and the key four times the fill's share: the key is at 100 % and the camera at its most, so the fill stays.
    const d = decide({ shots: 3, settings, figures: figures(target / 3, target * 0.75, 1), targets: defaultTargets, limits });
    expect(d).toMatchObject({ kind: 'stop', reason: 'calibration.unbalanced', params: { channel: 'key' } });
  });

  it('stops at the shot limit', () => {
    const d = decide({ shots: 8, settings: room(50, 50, 50), figures: figures(target / 2, target / 2, 1), targets: defaultTargets, limits });
    expect(d).toMatchObject({ kind: 'stop', reason: 'calibration.shot_limit' });
  });
});

describe('the morning check and the comparison', () => {
  const profile = (id: number, f: ShotFigures, key = 50): CalibrationProfile => ({
    id, name: `p${id}`, settings: room(key, 60, 70), figures: f, subjectLux: 800, technician: 't', createdAt: '2026-12-01T00:00:00Z', active: true,
  });

  it('passes when the room gives the profile\'s figures', () => {
    const f = figures(target, target, 1);
    expect(morningCheck(profile(1, f), { figures: f, subjectLux: 790 })).toEqual({ passed: true, drifts: [] });
  });

  it('names the key light when the left half darkened', () => {
    const v = morningCheck(profile(1, figures(target, target, 1)), { figures: figures(target * 0.6, target, 1), subjectLux: 650 });
    expect(v.passed).toBe(false);
    expect(v.drifts.map((d) => [d.code, d.channel])).toEqual([
      ['calibration.drift.face', 'key'], ['calibration.drift.balance', 'key'], ['calibration.drift.subject_lux', 'key'],
    ]);
  });

  it('lists differing settings first', () => {
    const f = figures(target, target, 1);
    expect(compareProfiles(profile(1, f, 40), profile(2, f, 55))[0]).toEqual({ item: 'lights.key', a: 40, b: 55 });
  });
});
