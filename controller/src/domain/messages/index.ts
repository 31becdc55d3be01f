/**
 * The message catalogue: every user-facing string, keyed by a stable reason code that the API and
 * the CLI also return. One file per area so that areas grow without touching each other.
 */
import type { Catalogue, Locale, Message } from './catalogue.ts';
import { backupMessages, type BackupCode } from './backup.ts';
import { configMessages, type ConfigCode } from './config.ts';
import { doctorMessages, type DoctorCode } from './doctor.ts';
import { kioskMessages, type KioskCode } from './kiosk.ts';
import { photoMessages, type PhotoCode } from './photo.ts';
import { rosterMessages, type RosterCode } from './roster.ts';
import { scheduleMessages, type ScheduleCode } from './schedule.ts';
import { staffMessages, type StaffCode } from './staff.ts';
import { verifyMessages, type VerifyCode } from './verify.ts';
import { calibrationMessages, type CalibrationCode } from './calibration.ts';

export type { Catalogue, Locale, Message };
export type { ConfigCode, KioskCode, PhotoCode, RosterCode, ScheduleCode, StaffCode, VerifyCode };
export type { BackupCode, DoctorCode, CalibrationCode };

/** Every reason code, one union per catalogue. */
export type MessageCode = ConfigCode | KioskCode | PhotoCode | RosterCode | ScheduleCode | StaffCode | VerifyCode
  | BackupCode | DoctorCode | CalibrationCode;

/** One spelling for every code: lower-case dotted segments, words joined by `_` (`rig.door_open`). */
export const CODE_SPELLING = /^[a-z][a-z0-9]*(\.[a-z0-9]+(_[a-z0-9]+)*)+$/;

/**
 * A code received as plain text, not known to the compiler (an API answer, a stored row): wrap it
 * with `externalCode()` so that a typo in our own code still fails to compile.
 */
declare const external: unique symbol;
export type ExternalCode = string & { readonly [external]: true };

export function externalCode(code: string): ExternalCode {
  return code as ExternalCode;
}

export const messages: Readonly<Record<MessageCode, Message>> = {
  ...configMessages,
  ...backupMessages, ...doctorMessages,
  ...rosterMessages,
  ...scheduleMessages,
  ...photoMessages,
  ...kioskMessages,
  ...staffMessages,
  ...verifyMessages,
  ...calibrationMessages,
};

/** Is this text one of the catalogue's codes (for codes that arrive from outside: an API answer, a stored row)? */
export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(messages, code);
}

/**
 * The text for a code, with `{name}` placeholders filled. Codes that arrive as plain text (from an
 * API answer or a stored row) are accepted too: an unknown code shows itself, never nothing.
 */
export function message(code: MessageCode | ExternalCode, locale: Locale = 'zh', params: Record<string, string | number> = {}): string {
  const entry = (messages as Partial<Record<string, Message>>)[code];
  const text = entry ? entry[locale] : code;
  return text.replace(/\{(\w+)\}/g, (_, key: string) => (key in params ? String(params[key]) : `{${key}}`));
}

/** Both languages, zh-CN first, as the CLI prints them. */
export function bilingual(code: MessageCode | ExternalCode, params: Record<string, string | number> = {}): string {
  return `${message(code, 'zh', params)} / ${message(code, 'en', params)}`;
}
