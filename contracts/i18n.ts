/** A label in both languages the product speaks. Chinese is the default everywhere. */
export interface Text {
  zh: string;
  en: string;
}
export type Lang = keyof Text;
export const t = (zh: string, en: string): Text => ({ zh, en });
