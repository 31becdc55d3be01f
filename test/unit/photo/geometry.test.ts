import { describe, expect, it } from 'vitest';
import { cropIsValid, planCrop, planMargin, type HeadGeometry } from '../../../controller/src/domain/photo/geometry.ts';
import { PROFILES } from '../../../controller/src/domain/photo/profiles.ts';

const t = PROFILES['chsi-2017']!.thresholds;
// A head well inside a 3000x4000 frame: face 600 px wide, hair top 400 px above the eyes.
const head = (over: Partial<HeadGeometry> = {}): HeadGeometry => ({
  imageWidth: 3000, imageHeight: 4000, hairTopY: 1200, eyeY: 1600, faceWidth: 600, faceCentreX: 1500, ...over,
});

describe('deliverable crop', () => {
  it('lands hair top, eye line and face width inside the standard bands and centres the face', () => {
    const plan = planCrop(head(), t);
    expect(cropIsValid(plan)).toBe(true);
    expect(plan.hairTop).toBeGreaterThanOrEqual(50);
    expect(plan.hairTop).toBeLessThanOrEqual(110);
    expect(plan.eyeLine).toBeGreaterThanOrEqual(200);
    expect(plan.eyeLine).toBeLessThanOrEqual(300);
    expect(plan.faceWidth).toBeCloseTo(240, 5);
    expect(plan.centreOffset).toBeCloseTo(0, 6);
    // 480x640 output: the crop keeps the 3:4 shape
    expect(plan.crop.w / plan.crop.h).toBeCloseTo(0.75, 9);
    // crop maths: eye line in deliverable = (eyeY - crop.y) * scale
    expect((1600 - plan.crop.y) * plan.scale).toBeCloseTo(plan.eyeLine, 9);
  });
  it('asks a student who is too far away to move closer (no enlargement past the profile limit)', () => {
    const plan = planCrop(head({ faceWidth: 120, hairTopY: 1520 }), t);
    expect(plan.scale).toBe(t.maxUpscale.value);
    expect(plan.advice.faceWidth).toBe('move_closer');
    expect(cropIsValid(plan)).toBe(false);
  });
  it('asks a student who fills the frame to move back', () => {
    const plan = planCrop(head({ imageWidth: 1200, imageHeight: 1600, faceWidth: 900, hairTopY: 100, eyeY: 700, faceCentreX: 600 }), t);
    expect(plan.advice.faceWidth).toBe('move_back');
  });
  it('says which way to move when the face sits at the side of the frame (student\'s own left/right)', () => {
    expect(planCrop(head({ faceCentreX: 300 }), t).advice.centre).toBe('move_left');
    expect(planCrop(head({ faceCentreX: 2750 }), t).advice.centre).toBe('move_right');
  });
  it('reports a head too high in the frame when the crop would need to start above it', () => {
    const plan = planCrop(head({ hairTopY: 10, eyeY: 410 }), t);
    expect(plan.advice.hairTop).toBe('too_high');
  });
  it('reports an odd head shape (e.g. a hat) when hair-to-eye distance cannot fit with the face width', () => {
    const plan = planCrop(head({ hairTopY: 300 }), t); // 1300 px from hair to eyes for a 600 px face
    expect(cropIsValid(plan)).toBe(false);
    expect(plan.advice.hairTop ?? plan.advice.faceWidth).not.toBeNull();
  });
});

describe('the crop with the widest margins', () => {
  // Full hair: a hair-to-eye gap of 1.05 face widths, so at the face-width band's middle (240 px) the
  // gap (252 px) is more than the bands allow (300 - 50 = 250).
  const tall = head({ hairTopY: 970, eyeY: 1600, faceWidth: 600 });
  it('keeps hair top, eye line and face width equally far from the edges of their bands', () => {
    const plan = planCrop(tall, t);
    const margins = [plan.hairTop - 50, 110 - plan.hairTop, plan.eyeLine - 200, 300 - plan.eyeLine, plan.faceWidth - 180, 300 - plan.faceWidth];
    expect(Math.min(...margins)).toBeGreaterThan(10);
    expect(planMargin(plan, t)).toBeCloseTo(Math.min(...margins, 12 - Math.abs(plan.centreOffset)), 6);
  });
  it('does better than a face width at the middle of its band with the rest pushed to their ends', () => {
    const plan = planCrop(tall, t);
    // Clamping the face width to the end of its feasible range put the hair at 50 and the eyes at 300 exactly.
    expect((1600 - 970) * (240 / 600)).toBeGreaterThan(250);
    expect(Math.min(plan.hairTop - 50, 110 - plan.hairTop, plan.eyeLine - 200, 300 - plan.eyeLine, plan.faceWidth - 180, 300 - plan.faceWidth)).toBeGreaterThan(15);
    expect(plan.hairTop).toBeGreaterThan(65);
    expect(plan.eyeLine).toBeLessThan(285);
  });
  it('moves the measured positions by no more than the noise: 5 px of hair-top noise keeps the verdict', () => {
    for (const dy of [-5, 5]) expect(cropIsValid(planCrop({ ...tall, hairTopY: tall.hairTopY + dy }, t))).toBe(true);
  });
});
