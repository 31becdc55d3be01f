import { describe, expect, it } from 'vitest';
import {
  classifyFailure, jpegOnlyQuality, parseBattery, parseConfig, parseFreeBytes, savedFiles, smallestFillingSize,
} from '../../../controller/src/camera/gphoto2-output.ts';
import { parseAutoDetect } from '../../../controller/src/camera/open-camera.ts';

describe('reading gphoto2 output', () => {
  it('reads a config widget: current value, choices, read-only flag; null when the widget does not exist', () => {
    const out = 'Label: Image Size\nReadonly: 0\nType: RADIO\nCurrent: 6000x4000\nChoice: 0 6000x4000\nChoice: 1 Large Fine JPEG\nEND';
    expect(parseConfig(out)).toEqual({ value: '6000x4000', choices: ['6000x4000', 'Large Fine JPEG'], readOnly: false });
    expect(parseConfig('Label: Battery Level\nReadonly: 1\nType: TEXT\nCurrent: 87%\nEND')).toEqual({ value: '87%', choices: [], readOnly: true });
    expect(parseConfig('*** Error ***\nlensname not found in configuration tree.')).toBeNull();
  });

  it('sums free space over every card and reads battery levels', () => {
    expect(parseFreeBytes('[Storage 0]\nfree=100 KB\n[Storage 1]\nfree=50 KB\n')).toBe(150 * 1024);
    expect(parseFreeBytes('')).toBeNull();
    expect([parseBattery('87%'), parseBattery('Full'), parseBattery('unknown'), parseBattery(undefined)]).toEqual([87, 100, null, null]);
  });

  it('lists the files a capture saved (RAW+JPEG saves two)', () => {
    expect(savedFiles('New file is in location /a/IMG_1.CR2\nSaving file as IMG_1.CR2\nSaving file as IMG_1.JPG\n')).toEqual(['IMG_1.CR2', 'IMG_1.JPG']);
  });

  it('lists cameras from --auto-detect', () => {
    const out = 'Model                          Port\n----------------------------------------------------------\nCanon EOS 5D Mark III          usb:001,004\n';
    expect(parseAutoDetect(out)).toEqual([{ model: 'Canon EOS 5D Mark III', port: 'usb:001,004' }]);
    expect(parseAutoDetect('Model   Port\n------------------------\n')).toEqual([]);
  });
});

describe('classifying gphoto2 failures', () => {
  it.each([
    ["camera_capture [library.c:5683](0): 'ptp_initiatecapture' failed: PTP Device Busy (0x2019)", 'camera.busy'],
    ['failed: PTP Store Full (0x200c)', 'camera.storage_full'],
    ['Canon EOS Capture failed: Perhaps no focus?', 'camera.focus_failed'],
    // What gphoto2 2.5.28 printed for the fake camera's focus-failed fault (InitiateCapture answered 0xA002).
    ["camera_capture [library.c:5683](0): 'ptp_initiatecapture(params, 0x00000000, 0x00000000)' failed: (null) (0xa002)", 'camera.focus_failed'],
    ['ptp_ptpip_generic_read [ptpip.c:165](0): End of stream after reading 0 bytes of ptpipheader', 'camera.disconnected'],
    ['Could not detect any camera', 'camera.disconnected'],
    ["Failed to set new configuration value 999 for configuration entry iso. *** Error (-2: 'Bad parameters') ***", 'camera.permanent'],
  ])('%s -> %s', (line, code) => {
    expect(classifyFailure([line], false)).toBe(code);
  });

  it('a refused or absent body while opening is camera.not_found', () => {
    expect(classifyFailure(['connect cmd: Connection refused'], true)).toBe('camera.not_found');
    expect(classifyFailure(['connect cmd: Connection refused'], false)).toBe('camera.disconnected');
  });
});

describe('settings locked on connect', () => {
  it('picks the smallest image size whose frame still covers 480x640 two and a half times, either way round', () => {
    expect(smallestFillingSize(['6000x4000', '3984x2656', '2976x1984', '1488x992'])).toBe('2976x1984');
    expect(smallestFillingSize(['1984x2976', '992x1488'])).toBe('1984x2976');
    expect(smallestFillingSize(['1488x992', '640x480'])).toBeNull();
    expect(smallestFillingSize(['Large Fine JPEG', 'Small'])).toBeNull();
  });

  it('picks a JPEG-only quality, the finest, never RAW or RAW+JPEG', () => {
    expect(jpegOnlyQuality(['RAW', 'RAW + Large Fine JPEG', 'Large Normal JPEG', 'Large Fine JPEG'])).toBe('Large Fine JPEG');
    expect(jpegOnlyQuality(['NEF (Raw)', 'NEF+Fine', 'JPEG Basic', 'JPEG Normal'])).toBe('JPEG Normal');
    expect(jpegOnlyQuality(['Unknown value 0000', 'Unknown value 0003'])).toBeNull();
  });
});
