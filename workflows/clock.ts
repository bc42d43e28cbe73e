/**
 * Dates on the workflow clock, in Asia/Shanghai (UTC+8, no daylight saving): pure arithmetic on the
 * deterministic `Date.now()` of the workflow sandbox.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export const shanghaiDay = (ms: number): string => new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** Today in Shanghai, by the workflow clock. */
export const today = (): string => shanghaiDay(Date.now());

/** YYYY-MM of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** A refusal when a reported date lies in the future. */
export const notFuture = (day: string | undefined, zh: string, en: string): string | undefined =>
  day && day > today() ? `${zh}不能晚于今天 (${en} cannot be in the future)` : undefined;
