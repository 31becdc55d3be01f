import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../../controller/src/app/ports/device.ts';
import { CAMERA_ERROR_CODES, CameraError, kioskReasonForCameraError, type CameraErrorCode } from '../../../controller/src/app/ports/camera-error.ts';
import { messages } from '../../../controller/src/domain/messages/index.ts';

const codes = Object.keys(CAMERA_ERROR_CODES) as CameraErrorCode[];

describe('camera failure codes', () => {
  it('are DeviceErrors whose transient flag says whether a retry can help', () => {
    expect(codes.filter((c) => new CameraError(c, 'x').transient)).toEqual(['camera.busy', 'camera.timeout', 'camera.disconnected', 'camera.focus_failed']);
    expect(new CameraError('camera.storage_full', 'x')).toBeInstanceOf(DeviceError);
  });

  it('each map to their own kiosk reason, with a student message in zh-CN and English', () => {
    const reasons = codes.map((c) => kioskReasonForCameraError(new CameraError(c, 'x')));
    expect(new Set(reasons).size).toBe(codes.length);
    for (const r of reasons) {
      expect(messages[r].zh, r).toMatch(/\p{Script=Han}/u);
      expect(messages[r].en, r).toMatch(/[a-z]/);
    }
    expect(messages['kiosk.camera.disconnected']?.en).toMatch(/not connected/);
  });

  it('anything that is not a camera failure maps to the generic kiosk.camera.failed', () => {
    expect(kioskReasonForCameraError(new Error('bug'))).toBe('kiosk.camera.failed');
    expect(kioskReasonForCameraError(new DOMException('aborted', 'AbortError'))).toBe('kiosk.camera.failed');
  });
});
