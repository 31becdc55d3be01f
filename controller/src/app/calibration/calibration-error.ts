/** Failures of calibration requests a technician can cause or meet, as coded values (texts in the catalogue). */
export type CalibrationErrorCode =
  | 'calibration.name_taken'
  | 'calibration.no_shot'
  | 'calibration.no_active_profile'
  | 'calibration.profile_not_found'
  | 'calibration.busy'
  | 'calibration.camera_failed'
  | 'calibration.rig_failed'
  | 'calibration.door_open'
  | 'calibration.daylight'
  | 'calibration.rig_offline';

export class CalibrationError extends Error {
  constructor(readonly code: CalibrationErrorCode, readonly params: Record<string, string | number> = {}) {
    super(code);
    this.name = 'CalibrationError';
  }
}
