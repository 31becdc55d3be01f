import { describe, expect, it } from 'vitest';
import { evaluatePhoto, fileSizeCheck, selectFaces, verdictOf } from '../../../controller/src/domain/photo/checks.ts';
import { rgbToLab } from '../../../controller/src/domain/photo/colour.ts';
import type { FaceFound, PhotoMeasurements } from '../../../controller/src/domain/photo/measurements.ts';
import { CHECK_IDS, PROFILES, deriveProfile } from '../../../controller/src/domain/photo/profiles.ts';
import { photoMessages } from '../../../controller/src/domain/messages/photo.ts';

const face = (over: Partial<FaceFound> = {}): FaceFound => ({
  score: 0.98, box: { x: 0.3, y: 0.2, w: 0.4, h: 0.3 },
  eyeLeft: { x: 1350, y: 1600 }, eyeRight: { x: 1650, y: 1600 },
  faceWidth: 600, faceCentreX: 1500, chinY: 2000, hairTopY: 1200,
  yaw: 1, pitch: 2, roll: 0.5, eyeOpening: 0.08, mouthOpening: 0.01, ...over,
});

const good = (over: Partial<PhotoMeasurements> = {}): PhotoMeasurements => ({
  imageWidth: 3000, imageHeight: 4000, faces: [face()],
  background: { lab: rgbToLab(100, 197, 255), spread: 1, leftRightL: 0.5, region: { x: 0, y: 0, w: 1, h: 0.5 } },
  face: { lightness: 65, highlightShare: 0, shadowShare: 0, entropy: 6.5, halvesL: 2, sharpness: 90, region: { x: 0.4, y: 0.4, w: 0.2, h: 0.1 } },
  clothing: { lab: rgbToLab(30, 30, 30), hueShare: { blue: 0, yellow: 0 }, region: { x: 0.3, y: 0.6, w: 0.4, h: 0.2 } },
  ...over,
});

const chsi = PROFILES['chsi-2017']!;
const failed = (m: PhotoMeasurements, profile = chsi, bg: 'blue' | 'white' | 'grey' = 'blue') =>
  evaluatePhoto(m, profile, bg).checks.filter((c) => !c.passed).map((c) => c.reason);

describe('photo checks', () => {
  it('passes a compliant measurement set, with a crop for the deliverable', () => {
    const e = evaluatePhoto(good(), chsi, 'blue');
    expect(e.checks.every((c) => c.passed)).toBe(true);
    expect(verdictOf(e.checks)).toBe('pass');
    expect(e.crop).toBeDefined();
  });
  it('tells no face from several faces', () => {
    expect(failed(good({ faces: [] }))).toEqual(['photo.face.none']);
    expect(failed(good({ faces: [face(), face()] }))).toEqual(['photo.face.several']);
  });
  it('does not count a weak extra detection as a second person, but keeps a lone weak face', () => {
    expect(selectFaces([{ score: 0.95 }, { score: 0.4 }], 0.6)).toEqual([{ score: 0.95 }]);
    expect(selectFaces([{ score: 0.9 }, { score: 0.8 }], 0.6)).toHaveLength(2);
    expect(selectFaces([{ score: 0.4 }], 0.6)).toEqual([{ score: 0.4 }]);
    expect(failed(good({ faces: [face({ score: 0.4 })] }))).toEqual(['photo.face.low_confidence']);
  });
  it('measures the background against the chosen colour', () => {
    expect(failed(good(), chsi, 'white')).toContain('photo.background.colour');
    const white = good({ background: { lab: rgbToLab(250, 250, 250), spread: 1, leftRightL: 0, region: { x: 0, y: 0, w: 1, h: 1 } } });
    expect(failed(white, chsi, 'white')).not.toContain('photo.background.colour');
  });
  it('reports pose with the direction to correct', () => {
    expect(failed(good({ faces: [face({ pitch: 14 })] }))).toContain('photo.pose.chin_up');
    expect(failed(good({ faces: [face({ pitch: -14 })] }))).toContain('photo.pose.chin_down');
    expect(failed(good({ faces: [face({ roll: 9 })] }))).toContain('photo.pose.tilt');
    expect(failed(good({ faces: [face({ yaw: -7 })] }))).toContain('photo.pose.turn');
  });
  it('treats a teeth-showing smile as advice under chsi-2017 but blocks it under xinhua-audit', () => {
    const smile = good({ faces: [face({ mouthOpening: 0.1 })] });
    const a = evaluatePhoto(smile, chsi, 'blue').checks;
    expect(a.find((c) => c.id === 'mouth.closed')).toMatchObject({ passed: false, severity: 'advisory', reason: 'photo.mouth.open' });
    expect(verdictOf(a)).toBe('pass');
    expect(verdictOf(evaluatePhoto(smile, PROFILES['xinhua-audit']!, 'blue').checks)).toBe('fail');
  });
  it('forbids blue or yellow clothing only under seed-2008', () => {
    const blue = good({ clothing: { lab: rgbToLab(40, 60, 200), hueShare: { blue: 0.5, yellow: 0 }, region: { x: 0, y: 0, w: 1, h: 1 } } });
    expect(evaluatePhoto(blue, chsi, 'blue').checks.some((c) => c.id === 'clothing.colour')).toBe(false);
    expect(failed(blue, PROFILES['seed-2008']!)).toContain('photo.clothing.colour');
  });
  it('flags clothing that melts into the background', () => {
    const same = good({ clothing: { lab: rgbToLab(100, 195, 250), hueShare: { blue: 0, yellow: 0 }, region: { x: 0, y: 0, w: 1, h: 1 } } });
    expect(failed(same)).toContain('photo.clothing.contrast');
  });
  it('gives no crop when a geometric band cannot be met', () => {
    const e = evaluatePhoto(good({ faces: [face({ faceWidth: 100 })] }), chsi, 'blue');
    expect(e.crop).toBeUndefined();
    expect(e.checks.find((c) => c.id === 'face.width')?.reason).toBe('photo.geometry.move_closer');
  });
  it('checks the file size band per profile', () => {
    expect(fileSizeCheck(chsi, 35 * 1024).passed).toBe(true);
    expect(fileSizeCheck(chsi, 45 * 1024).passed).toBe(false);
    expect(fileSizeCheck(PROFILES['xinhua-audit']!, 45 * 1024).passed).toBe(true);
  });
  it('lets a school derive its own profile: a stricter number, a softer severity', () => {
    const school = deriveProfile(chsi, {
      id: 'school-x',
      thresholds: { maxRoll: { value: 3, why: 'school asks for a straighter head than ISO' } },
      severity: { 'background.shadow': 'advisory' },
      backgrounds: ['white'],
    });
    const tilted = good({ faces: [face({ roll: 5 })], background: { lab: rgbToLab(250, 250, 250), spread: 1, leftRightL: 9, region: { x: 0, y: 0, w: 1, h: 1 } } });
    expect(failed(tilted, chsi, 'white')).not.toContain('photo.pose.tilt');
    const checks = evaluatePhoto(tilted, school, 'white').checks;
    expect(checks.find((c) => c.id === 'pose.roll')?.passed).toBe(false);
    expect(checks.find((c) => c.id === 'background.shadow')).toMatchObject({ passed: false, severity: 'advisory' });
    expect(school.defaultBackground).toBe('white');
    expect(chsi.thresholds.maxRoll.value).toBe(8); // the built-in is untouched
  });
  it('has a reason, a severity and both languages for every check of every profile', () => {
    for (const p of Object.values(PROFILES)) {
      for (const id of CHECK_IDS) expect(['blocking', 'advisory']).toContain(p.severity[id]);
      for (const [name, limit] of Object.entries(p.thresholds)) expect(limit.why.length, `${p.id}.${name}`).toBeGreaterThan(10);
    }
    for (const id of CHECK_IDS) expect(photoMessages[`photo.check.${id}` as keyof typeof photoMessages], id).toBeDefined();
    for (const c of evaluatePhoto(good({ faces: [face({ pitch: 30, roll: 20, mouthOpening: 0.2 })] }), chsi, 'white').checks) {
      expect(c.message.zh.length).toBeGreaterThan(0);
      expect(c.message.en.length).toBeGreaterThan(0);
      if (!c.passed) expect(photoMessages[c.reason as keyof typeof photoMessages]).toBeDefined();
    }
  });
});
