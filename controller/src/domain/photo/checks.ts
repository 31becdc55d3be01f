/**
 * The verdict rules: measurements in, one PhotoCheck per rule out, each with the measured value, the
 * profile's limit, a reason code when it fails, and the student-facing text from the catalogue.
 */
import { photoMessages, type PhotoCode } from '../messages/photo.ts';
import { BACKGROUND_COLOURS, type BackgroundName, type CheckId, type PhotoProfile } from './profiles.ts';
import { deltaE2000, labHue, rgbToLab, type Lab } from './colour.ts';
import { cropIsValid, DELIVERABLE_HEIGHT, DELIVERABLE_WIDTH, planCrop, type CropPlan, type GeometryAdvice, type Rect } from './geometry.ts';
import type { FrameExposure, PhotoMeasurements } from './measurements.ts';
import { targetOf, type Audience, type Cause } from './reasons.ts';

export interface PhotoCheck {
  id: string;
  passed: boolean;
  severity: 'blocking' | 'advisory';
  value: number | string | null;
  limit: string;
  /** reason code, '' when passed */
  reason: string;
  /** whom the reason speaks to and what causes it (domain/photo/reasons.ts); absent when passed */
  audience?: Audience;
  cause?: Cause;
  message: { zh: string; en: string };
  /** normalised 0..1 in the oriented original frame */
  region?: Rect;
}

export interface Evaluation {
  checks: PhotoCheck[];
  /** the crop that renders the deliverable, present only when every geometric band is met */
  crop?: CropPlan;
}

/** Share of blown skin above which the whole face is over-exposed (the lights), not a shiny spot: a glint or a forehead shine covers under a fifth. */
const OVEREXPOSED_FACE = 0.5;

const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

function check(
  profile: PhotoProfile,
  id: CheckId,
  passed: boolean,
  value: number | string | null,
  limit: string,
  reason: PhotoCode,
  region?: Rect,
): PhotoCheck {
  const text = passed ? photoMessages[`photo.check.${id}` as PhotoCode] : photoMessages[reason];
  const out: PhotoCheck = {
    id,
    passed,
    severity: profile.severity[id],
    value: typeof value === 'number' ? round(value, Math.abs(value) < 1 ? 3 : 1) : value,
    limit,
    reason: passed ? '' : reason,
    message: { zh: text.zh, en: text.en },
  };
  if (!passed) {
    const target = targetOf(reason);
    out.audience = target.audience;
    out.cause = target.cause;
  }
  if (region) out.region = region;
  return out;
}

const GEOMETRY_CODE: Record<GeometryAdvice, PhotoCode> = {
  move_closer: 'photo.geometry.move_closer',
  move_back: 'photo.geometry.move_back',
  move_left: 'photo.geometry.move_left',
  move_right: 'photo.geometry.move_right',
  too_high: 'photo.geometry.too_high',
  too_low: 'photo.geometry.too_low',
  head_proportion: 'photo.geometry.head_proportion',
};

export function evaluatePhoto(m: PhotoMeasurements, profile: PhotoProfile, background: BackgroundName): Evaluation {
  const t = profile.thresholds;
  const checks: PhotoCheck[] = [];
  // The whole frame first: when the light is wrong, that is the cause of whatever else fails.
  const frameFault = m.frame ? frameExposureFault(m.frame, profile) : null;
  if (m.frame) checks.push(frameExposureCheck(m.frame, profile, frameFault));
  const n = m.faces.length;
  const [br, bgG, bb] = BACKGROUND_COLOURS[background];
  const expected = rgbToLab(br, bgG, bb);
  // No face in a frame too dark or too bright to read, or with the backdrop (its top corners) far off
  // its calibrated lightness: the light, not an empty seat.
  const cornerFault = n === 0 && m.frame ? backdropExposure(m.frame.corners, expected, profile) : null;
  const noFace: PhotoCode = frameFault ?? cornerFault ?? 'photo.face.none';
  checks.push(check(profile, 'face.count', n === 1, n, '= 1', n === 0 ? noFace : 'photo.face.several',
    n > 1 ? unionRect(m.faces.map((f) => f.box)) : m.faces[0]?.box));
  const face = m.faces[0];
  if (n !== 1 || !face) return { checks };

  const box = face.box;
  checks.push(check(profile, 'face.confidence', face.score >= t.minFaceScore.value, face.score, `>= ${t.minFaceScore.value}`, frameFault ?? 'photo.face.low_confidence', box));

  const plan = planCrop({
    imageWidth: m.imageWidth,
    imageHeight: m.imageHeight,
    hairTopY: face.hairTopY,
    eyeY: (face.eyeLeft.y + face.eyeRight.y) / 2,
    faceWidth: face.faceWidth,
    faceCentreX: face.faceCentreX,
  }, t);
  const cropRegion = normalise(plan.crop, m.imageWidth, m.imageHeight);
  const geo = (id: CheckId, advice: GeometryAdvice | null, value: number, limit: string): PhotoCheck =>
    check(profile, id, advice === null, value, limit, advice ? GEOMETRY_CODE[advice] : 'photo.geometry.head_proportion', cropRegion);
  checks.push(geo('head.top', plan.advice.hairTop, plan.hairTop, `${t.headTopMin.value}-${t.headTopMax.value} px`));
  checks.push(geo('eyes.line', plan.advice.eyeLine, plan.eyeLine, `${t.eyeLineMin.value}-${t.eyeLineMax.value} px`));
  checks.push(geo('face.width', plan.advice.faceWidth, plan.faceWidth, `${t.faceWidthMin.value}-${t.faceWidthMax.value} px`));
  checks.push(geo('face.centred', plan.advice.centre, plan.centreOffset, `|offset| <= ${t.centreTolerance.value} px`));

  checks.push(check(profile, 'pose.yaw', Math.abs(face.yaw) <= t.maxYaw.value, face.yaw, `|deg| <= ${t.maxYaw.value}`, 'photo.pose.turn', box));
  // Positive pitch is a head bowed forward: the student should raise the chin.
  checks.push(check(profile, 'pose.pitch', Math.abs(face.pitch) <= t.maxPitch.value, face.pitch, `|deg| <= ${t.maxPitch.value}`,
    face.pitch > 0 ? 'photo.pose.chin_up' : 'photo.pose.chin_down', box));
  checks.push(check(profile, 'pose.roll', Math.abs(face.roll) <= t.maxRoll.value, face.roll, `|deg| <= ${t.maxRoll.value}`, 'photo.pose.tilt', box));
  // A face too small in the frame cannot show whether the eyes are open: ask for the cause (come closer).
  const analysisFace = m.analysisWidth ? (face.faceWidth * m.analysisWidth) / m.imageWidth : Infinity;
  const eyesJudged = plan.advice.faceWidth !== 'move_closer' && analysisFace >= t.minFaceWidthForEyes.value;
  checks.push(eyesJudged
    ? check(profile, 'eyes.open', face.eyeOpening >= t.minEyeOpening.value, face.eyeOpening, `>= ${t.minEyeOpening.value}`, 'photo.eyes.closed', box)
    : check(profile, 'eyes.open', false, null, `face >= ${t.minFaceWidthForEyes.value} px at analysis size`, 'photo.geometry.move_closer', box));
  checks.push(check(profile, 'mouth.closed', face.mouthOpening <= t.maxMouthOpening.value, face.mouthOpening, `<= ${t.maxMouthOpening.value}`, 'photo.mouth.open', box));

  const bg = m.background;
  let levelFault: PhotoCode | null = null;
  if (bg) {
    // The backdrop is the room's reference: judged as exposure when it is even and the configured colour seen lighter or darker.
    if (bg.spread <= t.maxBackgroundSpread.value && sameColourFamily(bg.lab, expected, t.backdropHueTolerance.value)) {
      const tol = t.maxExposureOffset.value;
      levelFault = backdropExposure(bg.lab, expected, profile);
      checks.push(check(profile, 'exposure.level', levelFault === null, bg.lab.L - expected.L, `backdrop L* within +-${tol} of ${background}`, levelFault ?? 'photo.exposure.dark', bg.region));
    }
    const dE = deltaE2000(bg.lab, expected);
    // A backdrop of the right colour in the wrong light fails on colour too; the light is the cause.
    checks.push(check(profile, 'background.colour', dE <= t.maxBackgroundDeltaE.value, dE, `CIEDE2000 <= ${t.maxBackgroundDeltaE.value} from ${background} RGB(${br},${bgG},${bb})`, levelFault ?? frameFault ?? 'photo.background.colour', bg.region));
    checks.push(check(profile, 'background.uniformity', bg.spread <= t.maxBackgroundSpread.value, bg.spread, `CIEDE2000 <= ${t.maxBackgroundSpread.value}`, 'photo.background.uneven', bg.region));
    checks.push(check(profile, 'background.shadow', Math.abs(bg.leftRightL) <= t.maxBackgroundShadow.value, bg.leftRightL, `|L*| <= ${t.maxBackgroundShadow.value}`, 'photo.background.shadow', bg.region));
  }
  const lightFault = levelFault ?? frameFault;
  const fl = m.face;
  if (fl) {
    const r = fl.region;
    // Blown highlights over most of the face are over-exposure (the lights), not shine the student can dab off.
    const blown = lightFault === 'photo.exposure.bright' || fl.highlightShare > OVEREXPOSED_FACE ? 'photo.exposure.bright' : 'photo.exposure.highlights';
    checks.push(check(profile, 'exposure.highlights', fl.highlightShare <= t.maxClippedHighlights.value, fl.highlightShare, `<= ${t.maxClippedHighlights.value}`, blown, r));
    checks.push(check(profile, 'exposure.shadows', fl.shadowShare <= t.maxClippedShadows.value, fl.shadowShare, `<= ${t.maxClippedShadows.value}`, lightFault ?? 'photo.exposure.shadows', r));
    checks.push(check(profile, 'exposure.range', fl.entropy >= t.minFaceEntropy.value, fl.entropy, `>= ${t.minFaceEntropy.value} bits`, lightFault ?? 'photo.exposure.flat', r));
    // One side darker while the student sits off-centre is the seat's doing: the student moves; else the lamps.
    const balanceCause: PhotoCode = plan.advice.centre ? GEOMETRY_CODE[plan.advice.centre] : 'photo.lighting.uneven';
    checks.push(check(profile, 'lighting.balance', Math.abs(fl.halvesL) <= t.maxFaceBalance.value, fl.halvesL, `|L*| <= ${t.maxFaceBalance.value}`, balanceCause, r));
    checks.push(check(profile, 'sharpness.face', fl.sharpness >= t.minSharpness.value, fl.sharpness, `>= ${t.minSharpness.value}`, 'photo.sharpness.blurred', r));
  }
  const cl = m.clothing;
  if (cl && bg) {
    const dE = deltaE2000(cl.lab, bg.lab);
    // In a frame too dark or too bright every colour converges: the light, not the shirt.
    checks.push(check(profile, 'clothing.contrast', dE >= t.minClothingDeltaE.value, dE, `CIEDE2000 >= ${t.minClothingDeltaE.value}`, lightFault ?? 'photo.clothing.contrast', cl.region));
    if (profile.forbiddenClothingHues.length > 0) {
      const worst = Math.max(...profile.forbiddenClothingHues.map((h) => cl.hueShare[h.name]));
      const names = profile.forbiddenClothingHues.map((h) => h.name).join('/');
      checks.push(check(profile, 'clothing.colour', worst <= t.maxForbiddenClothing.value, worst, `${names} share <= ${t.maxForbiddenClothing.value}`, 'photo.clothing.colour', cl.region));
    }
  }
  return cropIsValid(plan) ? { checks, crop: plan } : { checks };
}

/** The whole-frame exposure fault, if any: too dark (mean level or crushed shadows) or too bright (blown where the student sits). */
export function frameExposureFault(f: FrameExposure, profile: PhotoProfile): 'photo.exposure.dark' | 'photo.exposure.bright' | null {
  const t = profile.thresholds;
  if (f.meanL < t.minFrameMeanL.value || f.shadowShare > t.maxFrameShadows.value) return 'photo.exposure.dark';
  if (f.highlightShare > t.maxFrameHighlights.value) return 'photo.exposure.bright';
  return null;
}

function frameExposureCheck(f: FrameExposure, profile: PhotoProfile, fault: PhotoCode | null): PhotoCheck {
  const t = profile.thresholds;
  const limit = `mean L* >= ${t.minFrameMeanL.value}, crushed <= ${t.maxFrameShadows.value}, blown <= ${t.maxFrameHighlights.value}`;
  const value = `mean L* ${f.meanL.toFixed(1)}, crushed ${f.shadowShare.toFixed(3)}, blown ${f.highlightShare.toFixed(3)}`;
  return check(profile, 'exposure.frame', fault === null, value, limit, fault ?? 'photo.exposure.dark', { x: 0, y: 0, w: 1, h: 1 });
}

/** The exposure fault the backdrop shows: its L* off the configured colour's by more than the profile allows, when it is that colour at all. */
function backdropExposure(measured: Lab, expected: Lab, profile: PhotoProfile): 'photo.exposure.dark' | 'photo.exposure.bright' | null {
  const t = profile.thresholds;
  if (!sameColourFamily(measured, expected, t.backdropHueTolerance.value)) return null;
  const offset = measured.L - expected.L;
  return offset < -t.maxExposureOffset.value ? 'photo.exposure.dark' : offset > t.maxExposureOffset.value ? 'photo.exposure.bright' : null;
}

/** Same named colour, perhaps lighter or darker: both neutral, or both coloured with hue angles within `tolerance` degrees. */
function sameColourFamily(measured: Lab, expected: Lab, tolerance: number): boolean {
  const m = labHue(measured);
  const e = labHue(expected);
  const NEUTRAL = 8; // CIELAB chroma under which a colour reads as white or grey
  if (e.chroma < NEUTRAL) return m.chroma < NEUTRAL * 1.5;
  if (m.chroma < NEUTRAL) return false;
  const d = Math.abs(m.hue - e.hue);
  return Math.min(d, 360 - d) <= tolerance;
}

/** Too few pixels for the 480x640 deliverable: a verdict on the photo (the file itself read fine). */
export function imageSizeCheck(profile: PhotoProfile, width: number, height: number): PhotoCheck {
  return check(profile, 'image.size', width >= DELIVERABLE_WIDTH && height >= DELIVERABLE_HEIGHT, `${width}x${height}`, `>= ${DELIVERABLE_WIDTH}x${DELIVERABLE_HEIGHT}`, 'photo.image.too_small');
}

/** The deliverable's file-size rule, checked once the renderer has found its quality. */
export function fileSizeCheck(profile: PhotoProfile, bytes: number): PhotoCheck {
  const t = profile.thresholds;
  const kb = bytes / 1024;
  return check(profile, 'file.size', kb >= t.minFileKB.value && kb <= t.maxFileKB.value, kb, `${t.minFileKB.value}-${t.maxFileKB.value} KB`, 'photo.file.size');
}

/**
 * The faces that count: those at or above the profile's confidence; when none reaches it, the weak
 * ones (so a single unclear face fails on confidence, not as "no face"). A weak extra detection
 * beside a clear face (a face-like pattern on a shirt) is not a second person.
 */
export function selectFaces<T extends { score: number }>(faces: readonly T[], minScore: number): T[] {
  const strong = faces.filter((f) => f.score >= minScore);
  return strong.length > 0 ? strong : [...faces];
}

/** fail when any blocking check failed; advisory failures are reported but do not fail the photo. */
export function verdictOf(checks: readonly PhotoCheck[]): 'pass' | 'fail' {
  return checks.some((c) => !c.passed && c.severity === 'blocking') ? 'fail' : 'pass';
}

function normalise(r: Rect, w: number, h: number): Rect {
  return { x: r.x / w, y: r.y / h, w: r.w / w, h: r.h / h };
}

function unionRect(rs: Rect[]): Rect {
  const x0 = Math.min(...rs.map((r) => r.x));
  const y0 = Math.min(...rs.map((r) => r.y));
  const x1 = Math.max(...rs.map((r) => r.x + r.w));
  const y1 = Math.max(...rs.map((r) => r.y + r.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
