/** One user-facing text: zh-CN first (the default), English second. */
export interface Message {
  zh: string;
  en: string;
}

export type Catalogue = Record<string, Message>;

export type Locale = 'zh' | 'en';
