/** zh-CN first; English on request, remembered in the browser. Texts come from the shared catalogue. */
import { message, type ExternalCode, type Locale, type MessageCode } from '../../../controller/src/domain/messages/index.ts';

let locale: Locale = localStorage.getItem('rig.locale') === 'en' ? 'en' : 'zh';

export function t(code: MessageCode | ExternalCode, params: Record<string, string | number> = {}): string {
  return message(code, locale, params);
}

export function currentLocale(): Locale {
  return locale;
}

export function toggleLocale(): void {
  locale = locale === 'zh' ? 'en' : 'zh';
  localStorage.setItem('rig.locale', locale);
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
}
