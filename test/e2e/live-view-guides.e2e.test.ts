/**
 * The pose screen's guides come from the validator's profile, not from constants in the UI: a school
 * profile with other eye and face bands moves them, in the kiosk state and on the screen in Chromium.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import { liveViewGuides } from '../../controller/src/domain/photo/live-view-guides.ts';
import { PROFILES, deriveProfile, type PhotoProfile } from '../../controller/src/domain/photo/profiles.ts';
import type { PhotoValidatorPort } from '../../controller/src/app/ports/kiosk.ts';
import { launchChromium, waitForState } from '../support/browser.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { projectRoot } from '../support/paths.ts';

const national = PROFILES['chsi-2017'] as PhotoProfile;
// The school keeps the profile's id: the kiosk asks for `chsi-2017` and the validator answers with the override.
const school = deriveProfile(national, {
  thresholds: {
    eyeLineMin: { value: 210, why: 'school: eyes 210-250 px' },
    eyeLineMax: { value: 250, why: 'school: eyes 210-250 px' },
    faceWidthMin: { value: 200, why: 'school: face 200-260 px' },
    faceWidthMax: { value: 260, why: 'school: face 200-260 px' },
  },
});

let k: TestKiosk;
let browser: Browser;
let validator: PhotoValidatorPort;

beforeAll(async () => {
  validator = await createPhotoValidator({ profiles: { 'chsi-2017': school } });
  [k, browser] = await Promise.all([startTestKiosk({ uiDir: join(projectRoot, 'kiosk-ui', 'dist'), validator }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await k?.close();
  await validator?.close();
});

describe('live-view guides from the validator profile', () => {
  it('the kiosk state carries the school profile guides, not the national ones', async () => {
    const { body } = await k.api('GET', '/api/kiosk/state');
    expect(body.guides).toEqual(liveViewGuides(school.thresholds));
    expect(body.guides.eyeLine).not.toEqual(liveViewGuides(national.thresholds).eyeLine);
  });

  it('the pose screen draws the eye band, hair band and head outline where the state puts them', async () => {
    const s = k.runtime.demoStudents[0];
    expect((await k.api('POST', '/api/kiosk/scan', { code: s?.collectionCode })).status).toBe(200);
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    expect((await k.api('POST', '/api/kiosk/confirm')).body.state).toBe('pose');
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    try {
      await page.goto(k.url);
      await waitForState(page, 'pose');
      const guides = page.getByTestId('guides');
      await guides.waitFor();
      const drawn = await guides.evaluate((svg) => {
        const num = (sel: string, attr: string): number => Number(svg.querySelector(sel)?.getAttribute(attr));
        return {
          eye: [num('[data-guide="eye-line"]', 'y'), num('[data-guide="eye-line"]', 'height')],
          hair: [num('[data-guide="hair-top"]', 'y'), num('[data-guide="hair-top"]', 'height')],
          head: [num('[data-guide="head"]', 'cx'), num('[data-guide="head"]', 'cy'), num('[data-guide="head"]', 'rx'), num('[data-guide="head"]', 'ry')],
        };
      });
      const g = liveViewGuides(school.thresholds);
      const [W, H] = [480, 640];
      expect(drawn.eye[0]).toBeCloseTo(g.eyeLine.from * H, 3);
      expect(drawn.eye[1]).toBeCloseTo((g.eyeLine.to - g.eyeLine.from) * H, 3);
      expect(drawn.hair[0]).toBeCloseTo(g.hairTop.from * H, 3);
      expect(drawn.head[0]).toBeCloseTo(g.head.cx * W, 3);
      expect(drawn.head[1]).toBeCloseTo(g.head.cy * H, 3);
      expect(drawn.head[2]).toBeCloseTo(g.head.rx * W, 3);
      expect(drawn.head[3]).toBeCloseTo(g.head.ry * H, 3);
      // The national profile would have drawn the eye band elsewhere.
      expect(drawn.eye[0]).not.toBeCloseTo(liveViewGuides(national.thresholds).eyeLine.from * H, 1);
    } finally {
      await page.close();
      await k.api('POST', '/api/kiosk/cancel');
    }
  });
});
