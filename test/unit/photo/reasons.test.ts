import { describe, expect, it } from 'vitest';
import { evaluatePhoto } from '../../../controller/src/domain/photo/checks.ts';
import { rgbToLab } from '../../../controller/src/domain/photo/colour.ts';
import type { FaceFound, PhotoMeasurements } from '../../../controller/src/domain/photo/measurements.ts';
import { PROFILES } from '../../../controller/src/domain/photo/profiles.ts';
import { PHOTO_REASONS, adviseReview, audienceOf } from '../../../controller/src/domain/photo/reasons.ts';
import { photoMessages } from '../../../controller/src/domain/messages/photo.ts';
import { kioskMessages } from '../../../controller/src/domain/messages/kiosk.ts';

const face = (over: Partial<FaceFound> = {}): FaceFound => ({
  score: 0.98, box: { x: 0.3, y: 0.2, w: 0.4, h: 0.3 },
  eyeLeft: { x: 1350, y: 1600 }, eyeRight: { x: 1650, y: 1600 },
  faceWidth: 600, faceCentreX: 1500, chinY: 2000, hairTopY: 1200,
  yaw: 1, pitch: 2, roll: 0.5, eyeOpening: 0.08, mouthOpening: 0.01, ...over,
});
const good = (over: Partial<PhotoMeasurements> = {}): PhotoMeasurements => ({
  imageWidth: 3000, imageHeight: 4000, analysisWidth: 384, faces: [face()],
  frame: { meanL: 63, shadowShare: 0.03, highlightShare: 0.001, range: 220, corners: rgbToLab(100, 197, 255) },
  background: { lab: rgbToLab(100, 197, 255), spread: 1, leftRightL: 0.5, region: { x: 0, y: 0, w: 1, h: 0.5 } },
  face: { lightness: 65, highlightShare: 0, shadowShare: 0, entropy: 6.5, halvesL: 2, sharpness: 90, region: { x: 0.4, y: 0.4, w: 0.2, h: 0.1 } },
  clothing: { lab: rgbToLab(30, 30, 30), hueShare: { blue: 0, yellow: 0 }, region: { x: 0.3, y: 0.6, w: 0.4, h: 0.2 } },
  ...over,
});
const chsi = PROFILES['chsi-2017']!;
const failed = (m: PhotoMeasurements, bg: 'blue' | 'white' | 'grey' = 'blue') =>
  evaluatePhoto(m, chsi, bg).checks.filter((c) => !c.passed).map((c) => c.reason);

describe('who a reason speaks to', () => {
  it('gives every failure code of the photo catalogue an audience and a cause', () => {
    const codes = Object.keys(photoMessages).filter((k) => !k.startsWith('photo.check.'));
    expect(Object.keys(PHOTO_REASONS).sort()).toEqual(codes.sort());
  });
  it('sends lights, backdrop and camera to the technician, posture and clothing to the student', () => {
    expect(audienceOf('photo.exposure.dark')).toBe('technician');
    expect(audienceOf('photo.lighting.uneven')).toBe('technician');
    expect(audienceOf('photo.background.shadow')).toBe('technician');
    expect(audienceOf('photo.geometry.move_closer')).toBe('student');
    expect(audienceOf('photo.clothing.colour')).toBe('student');
    expect(audienceOf('photo.profile.unknown')).toBe('staff');
    expect(audienceOf('no.such.code')).toBe('staff');
  });
  it('puts the audience and cause on each failed check', () => {
    const c = evaluatePhoto(good({ face: { ...good().face!, halvesL: 25 } }), chsi, 'blue').checks.find((x) => x.id === 'lighting.balance')!;
    expect(c).toMatchObject({ passed: false, reason: 'photo.lighting.uneven', audience: 'technician', cause: 'lights' });
  });
});

describe('the kiosk advice from a report', () => {
  it('turns a blocking room fault into "the room is being adjusted", with nothing for the student to fix', () => {
    const advice = adviseReview([
      { passed: false, severity: 'blocking', reason: 'photo.exposure.dark' },
      { passed: false, severity: 'advisory', reason: 'photo.mouth.open' },
    ]);
    expect(advice).toEqual({ roomFault: true, student: [], technician: ['photo.exposure.dark'], staff: [] });
    expect(kioskMessages['kiosk.room.adjusting'].zh).toContain('请稍候');
  });
  it('shows the student only what the student can fix, blocking first', () => {
    const advice = adviseReview([
      { passed: false, severity: 'advisory', reason: 'photo.mouth.open' },
      { passed: true, severity: 'blocking', reason: '' },
      { passed: false, severity: 'blocking', reason: 'photo.pose.tilt' },
      { passed: false, severity: 'advisory', reason: 'photo.exposure.flat' },
    ]);
    expect(advice).toEqual({ roomFault: false, student: ['photo.pose.tilt', 'photo.mouth.open'], technician: ['photo.exposure.flat'], staff: [] });
  });
  it('treats an unreadable camera file as a room fault and an unknown profile as the office\'s', () => {
    expect(adviseReview([], 'photo.input.corrupt').roomFault).toBe(true);
    expect(adviseReview([], 'photo.profile.unknown')).toEqual({ roomFault: false, student: [], technician: [], staff: ['photo.profile.unknown'] });
  });
});

describe('advice aimed at the cause', () => {
  it('reports a frame too dark to read as the lights, not as "no face"', () => {
    const dark = good({ faces: [], frame: { meanL: 6, shadowShare: 0.4, highlightShare: 0, range: 30, corners: rgbToLab(10, 20, 30) } });
    expect(failed(dark)).toEqual(['photo.exposure.dark', 'photo.exposure.dark']);
    expect(failed(good({ faces: [] }))).toEqual(['photo.face.none']);
    // a dim room: the frame still has some light, but the backdrop corners are far darker than calibrated
    const dim = good({ faces: [], frame: { meanL: 35, shadowShare: 0.05, highlightShare: 0, range: 90, corners: rgbToLab(45, 90, 120) } });
    expect(failed(dim)).toEqual(['photo.exposure.dark']);
  });
  it('asks a student whose face is too small to judge the eyes to come closer, not to open them', () => {
    const small = good({ faces: [face({ eyeOpening: 0.01 })], analysisWidth: 30 }); // face 6 analysis px wide
    expect(failed(small)).toContain('photo.geometry.move_closer');
    expect(failed(small)).not.toContain('photo.eyes.closed');
    expect(failed(good({ faces: [face({ eyeOpening: 0.01 })] }))).toContain('photo.eyes.closed');
  });
  it('blames the lamps for a one-sided face when the student sits centred, the seat when not', () => {
    const uneven = { ...good().face!, halvesL: 25 };
    expect(failed(good({ face: uneven }))).toEqual(['photo.lighting.uneven']);
    expect(failed(good({ face: uneven, faces: [face({ faceCentreX: 2750 })] }))).not.toContain('photo.lighting.uneven');
  });
  it('calls a face blown out by an over-bright frame over-exposure, not shine', () => {
    const bright = good({ frame: { meanL: 90, shadowShare: 0, highlightShare: 0.3, range: 120, corners: rgbToLab(220, 255, 255) }, face: { ...good().face!, highlightShare: 0.9 } });
    expect(failed(bright)).toContain('photo.exposure.bright');
    expect(failed(bright)).not.toContain('photo.exposure.highlights');
    expect(failed(good({ face: { ...good().face!, highlightShare: 0.1 } }))).toEqual(['photo.exposure.highlights']);
  });
  it('judges exposure on the backdrop, never on how light the face is', () => {
    const darkSkin = good({ face: { ...good().face!, lightness: 22, entropy: 5.4 } });
    expect(failed(darkSkin)).toEqual([]);
    const dimRoom = good({ background: { lab: rgbToLab(45, 90, 120), spread: 1, leftRightL: 0, region: { x: 0, y: 0, w: 1, h: 0.5 } } });
    expect(failed(dimRoom)).toEqual(['photo.exposure.dark', 'photo.exposure.dark']);
    // a backdrop of another colour is the backdrop's fault, not the light's
    expect(failed(good(), 'white')).toEqual(['photo.background.colour']);
  });
  it('does not name a hat when the head does not fit the bands', () => {
    expect(photoMessages['photo.geometry.head_proportion'].zh).not.toContain('帽');
    expect(photoMessages['photo.geometry.head_proportion'].en).not.toMatch(/hat/i);
  });
});
