/** Screen texts from the one message catalogue (controller/src/domain/messages), zh-CN by default. */
import { message, type ExternalCode, type Locale, type MessageCode } from '../../controller/src/domain/messages/index.ts';

export type { Locale };

/** Texts by code: our own codes are checked by the compiler; codes from an API answer come as `externalCode(text)`. */
export type Translate = (code: MessageCode | ExternalCode, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  return (code, params = {}) => message(code, locale, params);
}
