/**
 * 居民身份证号 (GB 11643-1999): 6-digit area code, 8-digit birth date (YYYYMMDD), 3-digit sequence
 * (odd for men), and a check character over the first 17 digits (ISO 7064 MOD 11-2).
 * Pure functions: no I/O, the clock only through the `today` argument.
 */
import { isIsoDate } from '../../calendar/dates';

export type IdNumberResult =
  | { ok: true; value: string; birthDate: string }
  | { ok: false; rule: IdNumberRule; message: string };

export type IdNumberRule = 'format' | 'region' | 'birthDate' | 'checkDigit';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits of an ID number. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckChar: expected exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * Checks an ID number and returns it normalised (trimmed, a final `x` upper-cased), or the first rule
 * it breaks. `today` (the Shanghai date, YYYY-MM-DD) bounds the birth date.
 */
export function validateIdNumber(input: string, today: string): IdNumberResult {
  const value = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) {
    return { ok: false, rule: 'format', message: 'must be 18 characters: 17 digits and a digit or X (18位居民身份证号)' };
  }
  if (!/^[1-8]/.test(value)) {
    return { ok: false, rule: 'region', message: 'must start with a valid area code (地区码)' };
  }
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (birthDate < '1900' || !isIsoDate(birthDate) || birthDate > today) {
    return { ok: false, rule: 'birthDate', message: `contains an impossible birth date ${birthDate} (出生日期无效)` };
  }
  const expected = idCheckChar(value.slice(0, 17));
  if (value[17] !== expected) {
    return { ok: false, rule: 'checkDigit', message: `check digit is wrong (校验码错误; GB 11643 gives ${expected})` };
  }
  return { ok: true, value, birthDate };
}

/** `500112********1234` (contracts/masks.ts: the console masks the same way). */
export { maskIdNumber } from '../../contracts/masks';
