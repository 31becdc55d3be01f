/**
 * Calibration profiles (校准方案): the room's settings with the figures they gave, and the two
 * judgements made against them: the morning check (one shot: pass, or what drifted) and the
 * comparison of two profiles. Pure.
 */
import type { CalibrationLights, RoomSettings } from './auto-rule.ts';
import type { ShotFigures } from './figures.ts';
import { channelSide } from './scene-light.ts';
import { deltaE2000 } from '../photo/colour.ts';

export interface CalibrationProfile {
  id: number;
  name: string;
  settings: RoomSettings;
  figures: ShotFigures;
  /** Illuminance the subject sensor read under the settings (lux), null when the rig has no such sensor. */
  subjectLux: number | null;
  technician: string;
  createdAt: string;
  active: boolean;
}

/** How far the morning shot may sit from the profile's figures (configuration `calibration.drift`). */
export interface DriftTolerance {
  /** L* of the face. */
  faceLightness: number;
  /** L* between the face halves, beyond the profile's own. */
  balance: number;
  /** CIEDE2000 of the backdrop to the profile's backdrop. */
  background: number;
  /** Share by which the subject sensor may read off (0.1 = 10 %). */
  subjectLux: number;
}

export const defaultDriftTolerance: DriftTolerance = { faceLightness: 4, balance: 4, background: 4, subjectLux: 0.1 };

export type DriftCode = 'calibration.drift.face' | 'calibration.drift.balance' | 'calibration.drift.background' | 'calibration.drift.subject_lux';

export interface Drift {
  code: DriftCode;
  /** The channel most likely responsible. */
  channel: keyof CalibrationLights | 'key_fill' | null;
  /** Profile figure, figure now. */
  expected: number;
  measured: number;
}

export interface MorningVerdict {
  passed: boolean;
  drifts: Drift[];
}

const r1 = (v: number): number => Math.round(v * 10) / 10;
const sideOf = (side: 'left' | 'right'): keyof CalibrationLights => (channelSide.key === side ? 'key' : 'fill');

export function morningCheck(
  profile: Pick<CalibrationProfile, 'figures' | 'subjectLux'>,
  now: { figures: ShotFigures; subjectLux: number | null },
  tol: DriftTolerance = defaultDriftTolerance,
): MorningVerdict {
  const drifts: Drift[] = [];
  const p = profile.figures.face, n = now.figures.face;
  // Which half moved more says which lamp: each half is lit mostly by the lamp on its side.
  const leftMoved = Math.abs(Math.log(Math.max(n.left, 1e-6) / Math.max(p.left, 1e-6)));
  const rightMoved = Math.abs(Math.log(Math.max(n.right, 1e-6) / Math.max(p.right, 1e-6)));
  const faceChannel = (): Drift['channel'] => {
    if (Math.abs(leftMoved - rightMoved) < 0.05) return 'key_fill';
    return sideOf(leftMoved > rightMoved ? 'left' : 'right');
  };
  if (Math.abs(n.lightness - p.lightness) > tol.faceLightness) {
    drifts.push({ code: 'calibration.drift.face', channel: faceChannel(), expected: r1(p.lightness), measured: r1(n.lightness) });
  }
  if (Math.abs(n.halvesL - p.halvesL) > tol.balance) {
    drifts.push({ code: 'calibration.drift.balance', channel: faceChannel(), expected: r1(p.halvesL), measured: r1(n.halvesL) });
  }
  const pb = profile.figures.background, nb = now.figures.background;
  const d = pb && nb ? deltaE2000(pb.lab, nb.lab) : null;
  if (d === null || d > tol.background) {
    drifts.push({
      code: 'calibration.drift.background', channel: 'background',
      expected: r1(profile.figures.background?.lab.L ?? 0), measured: r1(now.figures.background?.lab.L ?? 0),
    });
  }
  if (profile.subjectLux !== null && now.subjectLux !== null && profile.subjectLux > 0
    && Math.abs(now.subjectLux / profile.subjectLux - 1) > tol.subjectLux) {
    drifts.push({ code: 'calibration.drift.subject_lux', channel: faceChannel(), expected: Math.round(profile.subjectLux), measured: Math.round(now.subjectLux) });
  }
  return { passed: drifts.length === 0, drifts };
}

export interface ProfileDifference {
  item: string;
  a: number | string | null;
  b: number | string | null;
}

/** Side by side: every setting and headline figure of two profiles, the differing ones first. */
export function compareProfiles(a: CalibrationProfile, b: CalibrationProfile): ProfileDifference[] {
  const rows: ProfileDifference[] = [
    { item: 'lights.key', a: a.settings.lights.key, b: b.settings.lights.key },
    { item: 'lights.fill', a: a.settings.lights.fill, b: b.settings.lights.fill },
    { item: 'lights.background', a: a.settings.lights.background, b: b.settings.lights.background },
    { item: 'camera.iso', a: a.settings.camera.iso, b: b.settings.camera.iso },
    { item: 'camera.aperture', a: a.settings.camera.aperture, b: b.settings.camera.aperture },
    { item: 'camera.shutter', a: a.settings.camera.shutter, b: b.settings.camera.shutter },
    { item: 'camera.whiteBalance', a: a.settings.camera.whiteBalance ?? null, b: b.settings.camera.whiteBalance ?? null },
    { item: 'face.lightness', a: r1(a.figures.face.lightness), b: r1(b.figures.face.lightness) },
    { item: 'face.halvesL', a: r1(a.figures.face.halvesL), b: r1(b.figures.face.halvesL) },
    { item: 'background.deltaE', a: a.figures.background ? r1(a.figures.background.deltaE) : null, b: b.figures.background ? r1(b.figures.background.deltaE) : null },
    { item: 'background.spread', a: a.figures.background ? r1(a.figures.background.spread) : null, b: b.figures.background ? r1(b.figures.background.spread) : null },
    { item: 'subjectLux', a: a.subjectLux === null ? null : Math.round(a.subjectLux), b: b.subjectLux === null ? null : Math.round(b.subjectLux) },
  ];
  return [...rows.filter((r) => r.a !== r.b), ...rows.filter((r) => r.a === r.b)];
}
