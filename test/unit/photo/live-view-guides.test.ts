import { describe, expect, it } from 'vitest';
import { planCrop, planMargin } from '../../../controller/src/domain/photo/geometry.ts';
import { liveViewGuides, liveViewWindow, type LiveViewGuides } from '../../../controller/src/domain/photo/live-view-guides.ts';
import { PROFILES, deriveProfile, type PhotoProfile } from '../../../controller/src/domain/photo/profiles.ts';

const chsi = PROFILES['chsi-2017'] as PhotoProfile;
const mid = (b: { from: number; to: number }): number => (b.from + b.to) / 2;
/** A school that wants the eyes higher and the faces narrower than the national bands. */
const school = deriveProfile(chsi, {
  thresholds: {
    eyeLineMin: { value: 210, why: 'school: eyes 210-250 px' },
    eyeLineMax: { value: 250, why: 'school: eyes 210-250 px' },
    faceWidthMin: { value: 200, why: 'school: face 200-260 px' },
    faceWidthMax: { value: 260, why: 'school: face 260 px at most' },
  },
});

/** A head sitting on the guides in a 3:4 frame of `width` pixels, as the validator would measure it. */
function headOnGuides(g: LiveViewGuides, width: number) {
  const height = (width * 4) / 3;
  return { imageWidth: width, imageHeight: height, hairTopY: mid(g.hairTop) * height, eyeY: mid(g.eyeLine) * height, faceWidth: mid(g.faceWidth) * width, faceCentreX: width / 2 };
}

describe('live-view guides from the validator geometry', () => {
  it('are the deliverable bands mapped through the centred crop at the room framing', () => {
    const g = liveViewGuides(chsi.thresholds, 0.4);
    expect(g.crop).toEqual({ x: 0.3, y: 0.3, w: 0.4, h: 0.4 });
    // Hair 50-110 px and eyes 200-300 px of 640, face 180-300 px of 480, inside a crop 0.4 of the view.
    expect(g.hairTop.from).toBeCloseTo(0.3 + (50 / 640) * 0.4, 4);
    expect(g.hairTop.to).toBeCloseTo(0.3 + (110 / 640) * 0.4, 4);
    expect(g.eyeLine).toEqual({ from: 0.425, to: 0.4875 });
    expect(g.faceWidth).toEqual({ from: 0.15, to: 0.25 });
    expect(g.head.cx).toBe(0.5);
    expect(g.head.rx).toBe(0.1);
  });

  for (const profile of [chsi, school]) {
    it(`a head placed on the guides is one the validator can crop into every band (${profile === chsi ? 'national' : 'school'} bands)`, () => {
      for (const framing of [0.3, 0.35, 0.5]) {
        const g = liveViewGuides(profile.thresholds, framing);
        const plan = planCrop(headOnGuides(g, 3000), profile.thresholds);
        expect(planMargin(plan, profile.thresholds), `framing ${framing}`).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('at the room framing the validator cuts the national deliverable exactly where the guides put it', () => {
    const g = liveViewGuides(chsi.thresholds);
    const plan = planCrop(headOnGuides(g, 3000), chsi.thresholds);
    expect(plan.crop.x).toBeCloseTo(g.crop.x * 3000, 0);
    expect(plan.crop.y).toBeCloseTo(g.crop.y * 4000, 0);
    expect(plan.crop.w).toBeCloseTo(g.crop.w * 3000, 0);
    // The head lands mid-band in the deliverable: hair 80, face 240 (eyes as far from both edges as the gap allows).
    expect([plan.hairTop, plan.faceWidth]).toEqual([80, 240]);
  });

  it('move when the profile changes: other eye and face bands give other guides', () => {
    const national = liveViewGuides(chsi.thresholds);
    const own = liveViewGuides(school.thresholds);
    expect(own.hairTop).toEqual(national.hairTop);
    expect(own.eyeLine.from).toBeGreaterThan(national.eyeLine.from);
    expect(own.eyeLine.to).toBeLessThan(national.eyeLine.to);
    expect(own.faceWidth.to).toBeLessThan(national.faceWidth.to);
    expect(own.head).not.toEqual(national.head);
  });

  it('refuses a framing outside (0, 1]', () => {
    expect(() => liveViewGuides(chsi.thresholds, 0)).toThrow(RangeError);
    expect(() => liveViewGuides(chsi.thresholds, 1.2)).toThrow(RangeError);
  });
});

describe('the live-view window', () => {
  it('crops a 3:2 frame at its sides to 3:4, keeping the pixels square (never stretched)', () => {
    const win = liveViewWindow(1200, 800);
    expect(win).toEqual({ x: 300, y: 0, w: 600, h: 800 });
    expect(win.w / win.h).toBe(3 / 4);
  });

  it('crops a frame taller than 3:4 at top and bottom, and takes a 3:4 frame whole', () => {
    expect(liveViewWindow(480, 800)).toEqual({ x: 0, y: 80, w: 480, h: 640 });
    expect(liveViewWindow(1200, 1600)).toEqual({ x: 0, y: 0, w: 1200, h: 1600 });
    // A camera on its side (2:3) is taller than 3:4: cropped top and bottom.
    const side = liveViewWindow(800, 1200);
    expect([side.x, side.w]).toEqual([0, 800]);
    expect(side.h).toBeCloseTo(1066.667, 3);
    expect(side.y).toBeCloseTo(66.667, 3);
  });
});
