/** The i18n provider: Chinese by default, English switchable (the choice is kept in the store). */
import polyglotI18nProvider from 'ra-i18n-polyglot';
import { en } from './en';
import { zh } from './zh';

export const LOCALES = [
  { locale: 'zh', name: '中文' },
  { locale: 'en', name: 'English' },
];

export const i18nProvider = polyglotI18nProvider((locale) => (locale === 'en' ? en : zh), 'zh', LOCALES, { allowMissing: true });
