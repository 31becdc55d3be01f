import { describe, expect, it } from 'vitest';
import { CODE_SPELLING, externalCode, isMessageCode, message, messages } from '../../controller/src/domain/messages/index.ts';
import { backupMessages } from '../../controller/src/domain/messages/backup.ts';
import { configMessages } from '../../controller/src/domain/messages/config.ts';
import { doctorMessages } from '../../controller/src/domain/messages/doctor.ts';
import { kioskMessages } from '../../controller/src/domain/messages/kiosk.ts';
import { photoMessages } from '../../controller/src/domain/messages/photo.ts';
import { rosterMessages } from '../../controller/src/domain/messages/roster.ts';
import { scheduleMessages } from '../../controller/src/domain/messages/schedule.ts';
import { staffMessages } from '../../controller/src/domain/messages/staff.ts';
import { verifyMessages } from '../../controller/src/domain/messages/verify.ts';
import { calibrationMessages } from '../../controller/src/domain/messages/calibration.ts';

const catalogues = { backupMessages, doctorMessages, configMessages, kioskMessages, photoMessages, rosterMessages, scheduleMessages, staffMessages, verifyMessages, calibrationMessages };

describe('message catalogue', () => {
  it('has both languages for every code', () => {
    for (const [code, m] of Object.entries(messages)) {
      expect(m.zh.trim(), code).not.toBe('');
      expect(m.en.trim(), code).not.toBe('');
    }
  });

  it('spells every code one way: dotted lower-case segments, words joined by underscores', () => {
    const misspelt = Object.keys(messages).filter((code) => !CODE_SPELLING.test(code));
    expect(misspelt).toEqual([]);
    expect(CODE_SPELLING.test('rig.door_open')).toBe(true);
    expect(CODE_SPELLING.test('rig.door-open')).toBe(false);
    expect(CODE_SPELLING.test('Staff.login_failed')).toBe(false);
  });

  it('holds every text under exactly one code: no catalogue redefines another one\'s code', () => {
    const owners = new Map<string, string[]>();
    for (const [name, catalogue] of Object.entries(catalogues)) {
      for (const code of Object.keys(catalogue)) owners.set(code, [...(owners.get(code) ?? []), name]);
    }
    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
    expect(owners.size).toBe(Object.keys(messages).length);
    for (const code of owners.keys()) expect(isMessageCode(code), code).toBe(true);
  });

  it('shows an unknown code rather than nothing', () => {
    expect(isMessageCode('no.such.code')).toBe(false);
    expect(message(externalCode('no.such.code'))).toBe('no.such.code');
  });
});
