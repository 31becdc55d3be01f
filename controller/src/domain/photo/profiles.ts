/**
 * Photo profiles (照片规格): the national standard and its variants, every number with its reason.
 * Checks read thresholds from here only; a profile is data, so a school can ship its own.
 */
import type { Rgb } from './colour.ts';

export type Severity = 'blocking' | 'advisory';
export type BackgroundName = 'blue' | 'white' | 'grey';

/** A number with the one-line reason it has this value. */
export interface Limit {
  value: number;
  why: string;
}

export const BACKGROUND_COLOURS: Record<BackgroundName, Rgb> = {
  blue: [100, 197, 255], // 浅蓝 RGB(100,197,255), the standard's light blue
  white: [255, 255, 255],
  grey: [240, 240, 240], // 浅灰 RGB(240,240,240)
};

/** The configuration file's spellings (config/default.yaml `photo.background`) and the short ones. */
export type BackgroundSpelling = BackgroundName | 'light-blue' | 'light-grey';

export function backgroundName(s: BackgroundSpelling): BackgroundName {
  return s === 'light-blue' ? 'blue' : s === 'light-grey' ? 'grey' : s;
}

/** Every check the engine runs; ids are stable (stored with each capture attempt). */
export const CHECK_IDS = [
  'image.size',
  'exposure.frame',
  'face.count',
  'face.confidence',
  'head.top',
  'eyes.line',
  'face.width',
  'face.centred',
  'pose.yaw',
  'pose.pitch',
  'pose.roll',
  'eyes.open',
  'mouth.closed',
  'background.colour',
  'background.uniformity',
  'background.shadow',
  'exposure.level',
  'exposure.highlights',
  'exposure.shadows',
  'exposure.range',
  'lighting.balance',
  'sharpness.face',
  'clothing.contrast',
  'clothing.colour',
  'file.size',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface PhotoThresholds {
  headTopMin: Limit;
  headTopMax: Limit;
  eyeLineMin: Limit;
  eyeLineMax: Limit;
  faceWidthMin: Limit;
  faceWidthMax: Limit;
  centreTolerance: Limit;
  maxUpscale: Limit;
  minFaceScore: Limit;
  maxYaw: Limit;
  maxPitch: Limit;
  maxRoll: Limit;
  minEyeOpening: Limit;
  maxMouthOpening: Limit;
  maxBackgroundDeltaE: Limit;
  maxBackgroundSpread: Limit;
  maxBackgroundShadow: Limit;
  minFrameMeanL: Limit;
  maxFrameShadows: Limit;
  maxFrameHighlights: Limit;
  maxExposureOffset: Limit;
  backdropHueTolerance: Limit;
  minFaceWidthForEyes: Limit;
  maxClippedHighlights: Limit;
  maxClippedShadows: Limit;
  minFaceEntropy: Limit;
  maxFaceBalance: Limit;
  minSharpness: Limit;
  minClothingDeltaE: Limit;
  maxForbiddenClothing: Limit;
  minFileKB: Limit;
  maxFileKB: Limit;
  minQuality: Limit;
}

export interface PhotoProfile {
  id: string;
  title: { zh: string; en: string };
  backgrounds: readonly BackgroundName[];
  defaultBackground: BackgroundName;
  /** Lab hue ranges (degrees) of clothing colours the profile forbids, empty when none. */
  forbiddenClothingHues: ReadonlyArray<{ name: 'blue' | 'yellow'; from: number; to: number }>;
  thresholds: PhotoThresholds;
  severity: Record<CheckId, Severity>;
}

const L = (value: number, why: string): Limit => ({ value, why });

/** 教毕指〔2017〕99号 numbers plus the project's choices where the standard gives none. */
const NATIONAL: PhotoThresholds = {
  headTopMin: L(50, 'standard: top of hair 50-110 px from the top edge'),
  headTopMax: L(110, 'standard: top of hair 50-110 px from the top edge'),
  eyeLineMin: L(200, 'standard: eyes 200-300 px from the top edge'),
  eyeLineMax: L(300, 'standard: eyes 200-300 px from the top edge'),
  faceWidthMin: L(180, 'standard: face width (cheek to cheek) 180-300 px'),
  faceWidthMax: L(300, 'standard: face width (cheek to cheek) 180-300 px'),
  centreTolerance: L(12, 'standard says "horizontally centred" without a number; 12 px = 2.5% of 480, below what a viewer notices'),
  maxUpscale: L(1.1, 'enlarging the camera pixels invents detail (the standard forbids distortion); up to 10% stays under one pixel of resampling blur, more fails as "move closer"'),
  minFaceScore: L(0.6, 'below 0.6 the detector confuses faces with face-like objects (posters, prints) in our tests'),
  maxYaw: L(5, 'ISO/IEC 19794-5 7.2.2: yaw within +-5 degrees'),
  maxPitch: L(10, 'ISO/IEC 19794-5 says 5, but the landmark model reads 5-7 degrees on frontal portraits (the NASA demo portrait: 6.5); 10 blocks only a clearly bowed or raised head'),
  maxRoll: L(8, 'ISO/IEC 19794-5 7.2.2: roll within +-8 degrees'),
  minEyeOpening: L(0.02, 'OFIQ eyes-open measure (smaller eye opening / eye-to-chin distance) is centred at 0.02'),
  maxMouthOpening: L(0.05, 'inner-lip gap / eye-to-chin distance; above 0.05 the teeth show, which "lips closed" excludes'),
  maxBackgroundDeltaE: L(12, 'CIEDE2000 12 keeps the named colour family (light blue vs cyan vs white) while allowing camera white balance drift'),
  maxBackgroundSpread: L(8, 'CIEDE2000 between background patches; above 8 a gradient or stain is visible on a 480x640 print'),
  maxBackgroundShadow: L(6, 'lightness L* difference between left and right background; 6 is a visible one-sided shadow'),
  minFrameMeanL: L(20, 'mean L* of the whole frame; compliant room frames measure 60-77 (the backdrop is L* 76-100), a real portrait in dark uniform on a dark wall 31, a frame with the lights off 6: under 20 nothing in it can be judged'),
  maxFrameShadows: L(0.25, 'share of the frame with every channel <= 5; a compliant frame has 0-4 % (black clothing folds), a quarter crushed to black is a frame too dark to read'),
  maxFrameHighlights: L(0.15, 'share of the seated student\'s zone with every channel >= 250; compliant frames 0-5 % (a white backdrop between arm and head), an over-exposed frame 20 % and more'),
  maxExposureOffset: L(12, 'L* of the backdrop (when even and of the configured hue) against the configured colour: the room\'s own grey card. 12 is a little under one stop; the face is never judged against a fixed lightness, so every skin tone is treated alike'),
  backdropHueTolerance: L(30, 'hue angle (degrees) within which the backdrop is the configured colour seen lighter or darker, and so a valid exposure reference; beyond it the background colour check reports it'),
  minFaceWidthForEyes: L(64, 'cheek-to-cheek width in analysis pixels (long side 512) under which an open eye spans 3 px or less in the mesh, too few to tell open from closed: the student is asked to come closer instead'),
  maxClippedHighlights: L(0.05, 'more than 5% of face pixels at 250+ is a hot spot or over-exposure the standard forbids; glints on glasses or skin stay under it'),
  maxClippedShadows: L(0.02, 'more than 2% of face pixels at 5 or less is crushed shadow'),
  minFaceEntropy: L(5, 'luminance entropy under 5 bits (OFIQ dynamic range score 62) means a flat, badly exposed face'),
  maxFaceBalance: L(15, 'L* difference between the two face halves; studio portraits with a key light measure about 11, 15 is a clearly one-sided light'),
  minSharpness: L(2, 'Laplacian variance of the face at 160 px width per unit of the face\'s own grey-level variance (x100): in-focus fixtures 4-18 whatever the skin tone, a Gaussian defocus of 3 px (at 390 px face width) 0.6-1.1, of 2 px 1.2-3'),
  minClothingDeltaE: L(15, 'CIEDE2000 clothing vs background; below 15 the upload check reports a "black edge" (clothing melts into background)'),
  maxForbiddenClothing: L(0.2, 'share of torso pixels strongly coloured in a forbidden hue; 20% is the garment itself (collar and skin fill the rest), a badge stays under 5%'),
  minFileKB: L(20, 'standard: typically 20-40 KB after compression'),
  maxFileKB: L(40, 'standard: typically 20-40 KB after compression'),
  minQuality: L(60, 'standard: JPEG quality factor >= 60'),
};

const NATIONAL_SEVERITY: Record<CheckId, Severity> = {
  'image.size': 'blocking',
  'exposure.frame': 'blocking',
  'face.count': 'blocking',
  'face.confidence': 'blocking',
  'head.top': 'blocking',
  'eyes.line': 'blocking',
  'face.width': 'blocking',
  'face.centred': 'blocking',
  'pose.yaw': 'blocking',
  'pose.pitch': 'blocking',
  'pose.roll': 'blocking',
  'eyes.open': 'blocking',
  // The standard asks for lips closed, but the registry's upload checks do not test expression; a
  // false alarm on a nervous smile would loop students through retakes, so the kiosk advises.
  'mouth.closed': 'advisory',
  'background.colour': 'blocking',
  'background.uniformity': 'blocking',
  'background.shadow': 'blocking',
  'exposure.level': 'blocking',
  'exposure.highlights': 'blocking',
  'exposure.shadows': 'advisory',
  'exposure.range': 'advisory',
  'lighting.balance': 'blocking',
  'sharpness.face': 'blocking',
  'clothing.contrast': 'blocking',
  'clothing.colour': 'advisory',
  'file.size': 'blocking',
};

export const PROFILES: Record<string, PhotoProfile> = {
  'chsi-2017': {
    id: 'chsi-2017',
    title: { zh: '学历证书电子注册图像（2017 规范）', en: 'Diploma e-registration photo (2017 standard)' },
    backgrounds: ['blue', 'white', 'grey'],
    defaultBackground: 'blue',
    forbiddenClothingHues: [],
    thresholds: NATIONAL,
    severity: NATIONAL_SEVERITY,
  },
  'xinhua-audit': {
    id: 'xinhua-audit',
    title: { zh: '新华审核版（浅蓝背景）', en: 'Xinhua audit variant (light blue only)' },
    backgrounds: ['blue'],
    defaultBackground: 'blue',
    forbiddenClothingHues: [],
    thresholds: {
      ...NATIONAL,
      minFileKB: L(30, 'xinhua-audit: file size > 30 KB'),
      maxFileKB: L(60, 'xinhua-audit: file size < 60 KB'),
    },
    // Photos are audited by people who reject open-mouth smiles and faces with crushed shadows, so the kiosk stops them here.
    severity: { ...NATIONAL_SEVERITY, 'mouth.closed': 'blocking', 'exposure.shadows': 'blocking' },
  },
  'seed-2008': {
    id: 'seed-2008',
    title: { zh: '学校通知版（2008）', en: 'School notice variant (2008)' },
    backgrounds: ['blue', 'white', 'grey'],
    defaultBackground: 'blue',
    // Lab hue angles: blue sits near 250-310 degrees, yellow near 80-105; orange (about 50-65) stays allowed.
    forbiddenClothingHues: [
      { name: 'blue', from: 220, to: 315 },
      { name: 'yellow', from: 75, to: 110 },
    ],
    thresholds: {
      ...NATIONAL,
      minFileKB: L(30, 'size that every variant accepts: 30-40 KB'),
      maxFileKB: L(40, 'size that every variant accepts: 30-40 KB'),
    },
    // The notice's own rule (no blue or yellow clothing) is what this profile exists for: it blocks.
    severity: { ...NATIONAL_SEVERITY, 'clothing.colour': 'blocking' },
  },
};

export const DEFAULT_PROFILE = 'chsi-2017';

/** The profile with this id, or undefined; callers turn undefined into a `photo.profile.unknown` error. */
export function findProfile(id: string | undefined, table: Record<string, PhotoProfile> = PROFILES): PhotoProfile | undefined {
  return table[id ?? DEFAULT_PROFILE];
}

/** What a school's configuration may change in a profile: numbers (with the reason for the change) and severities. */
export interface ProfileOverride {
  id?: string;
  thresholds?: Partial<Record<keyof PhotoThresholds, Limit>>;
  severity?: Partial<Record<CheckId, Severity>>;
  backgrounds?: BackgroundName[];
}

/** A profile derived from a built-in one; unknown keys are not accepted by the type, so a typo fails at load. */
export function deriveProfile(base: PhotoProfile, o: ProfileOverride): PhotoProfile {
  const thresholds = { ...base.thresholds };
  for (const [k, v] of Object.entries(o.thresholds ?? {}) as Array<[keyof PhotoThresholds, Limit | undefined]>) if (v) thresholds[k] = v;
  const severity = { ...base.severity };
  for (const [k, v] of Object.entries(o.severity ?? {}) as Array<[CheckId, Severity | undefined]>) if (v) severity[k] = v;
  const backgrounds = o.backgrounds ?? base.backgrounds;
  return {
    ...base,
    id: o.id ?? base.id,
    thresholds,
    severity,
    backgrounds,
    defaultBackground: backgrounds.includes(base.defaultBackground) ? base.defaultBackground : (backgrounds[0] ?? base.defaultBackground),
  };
}
