/**
 * What calibration needs besides the camera: the rig's lights and sensors, the imaging side's
 * measurement of a test shot, the validator's checks, and the profile store. Types only.
 */
import type { LightPercent } from '../../domain/lighting.ts';
import type { ReadinessReport, RigReadings } from './rig.ts';
import type { ShotFigures, FaceFigures } from '../../domain/calibration/figures.ts';
import type { CalibrationProfile } from '../../domain/calibration/profile.ts';
import type { Drift } from '../../domain/calibration/profile.ts';
import type { Rect } from '../../domain/photo/geometry.ts';
import type { PhotoCheck } from '../../domain/photo/checks.ts';
import type { AuditEntry } from './audit.ts';

/**
 * The rig as calibration drives it. `setLights` rejects with a DeviceError (`rig.offline`) while the
 * board is away; `readings()` tells when the board has confirmed a level (light channels, percent).
 */
export interface CalibrationRig {
  setLights(levels: LightPercent): Promise<void>;
  readiness(): ReadinessReport;
  readings(): RigReadings;
}

/** Measures one test shot (imaging/calibration-figures.ts), with the grey card where one is mounted; rejects only on an unreadable JPEG. */
export type ShotMeasure = (jpeg: Buffer, face: { region: Rect; placedBy: FaceFigures['placedBy'] }, grey: Rect | null) => Promise<ShotFigures>;

/** The validator as calibration reads it: the verdict, the checks and the face box. */
export interface ShotValidator {
  validate(jpeg: Buffer): Promise<{ verdict: 'pass' | 'fail' | 'error'; checks: PhotoCheck[]; face?: Rect }>;
}

export interface MorningCheckRecord {
  id: number;
  profileId: number;
  at: string;
  technician: string;
  passed: boolean;
  drifts: Drift[];
  figures: ShotFigures;
}

/**
 * Calibration profiles in the store. `save` resolves null when the name is taken; `activate` deactivates the others and appends `audit` in the same
 * transaction, resolving null for an unknown id.
 */
export interface CalibrationProfileStore {
  save(p: Omit<CalibrationProfile, 'id' | 'active'>): Promise<CalibrationProfile | null>;
  list(): Promise<CalibrationProfile[]>;
  get(id: number): Promise<CalibrationProfile | null>;
  active(): Promise<CalibrationProfile | null>;
  activate(id: number, at: Date, audit: AuditEntry): Promise<CalibrationProfile | null>;
  recordCheck(c: Omit<MorningCheckRecord, 'id'>): Promise<MorningCheckRecord>;
  checks(limit: number): Promise<MorningCheckRecord[]>;
}
