/**
 * The message catalogue: every user-facing string, keyed by a stable reason code that the API and
 * the CLI also return. One file per area so that areas grow without touching each other.
 */
import type { Catalogue, Locale, Message } from './catalogue.ts';
import { backupMessages } from './backup.ts';
import { configMessages } from './config.ts';
import { doctorMessages } from './doctor.ts';
import { kioskMessages } from './kiosk.ts';
import { photoMessages } from './photo.ts';
import { rosterMessages } from './roster.ts';
import { scheduleMessages } from './schedule.ts';
import { staffMessages } from './staff.ts';

export type { Catalogue, Locale, Message };

export const messages: Catalogue = {
  ...configMessages,
  ...backupMessages, ...doctorMessages,
  ...rosterMessages,
  ...scheduleMessages,
  ...photoMessages,
  ...kioskMessages,
  ...staffMessages,
};

/** The text for a code, with `{name}` placeholders filled; an unknown code shows itself, never nothing. */
export function message(code: string, locale: Locale = 'zh', params: Record<string, string | number> = {}): string {
  const entry = messages[code];
  const text = entry ? entry[locale] : code;
  return text.replace(/\{(\w+)\}/g, (_, key: string) => (key in params ? String(params[key]) : `{${key}}`));
}

/** Both languages, zh-CN first, as the CLI prints them. */
export function bilingual(code: string, params: Record<string, string | number> = {}): string {
  return `${message(code, 'zh', params)} / ${message(code, 'en', params)}`;
}
