/** Screen texts from the one message catalogue (controller/src/domain/messages), zh-CN by default. */
import { message, type Locale } from '../../controller/src/domain/messages/index.ts';

export type { Locale };

export type Translate = (code: string, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  return (code, params = {}) => message(code, locale, params);
}
