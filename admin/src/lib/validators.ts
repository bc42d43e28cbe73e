/**
 * Quick checks for the household form, in the browser, before the API (which decides): the 18-character
 * resident ID number with its GB 11643 check character, and a mobile or landline phone number.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** undefined when acceptable, else the message key. */
export function checkIdNumber(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const v = String(value).trim().toUpperCase();
  if (v.includes('*')) return undefined; // masked: not being changed
  if (!/^\d{17}[\dX]$/.test(v)) return 'fangfan.validation.id_number';
  if (idCheckChar(v.slice(0, 17)) !== v[17]) return 'fangfan.validation.id_check_digit';
  return undefined;
}

export function checkPhone(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const v = String(value).replace(/\s/g, '');
  if (v.includes('*')) return undefined;
  return /^1[3-9]\d{9}$/.test(v) || /^0\d{2,3}-?\d{7,8}$/.test(v) ? undefined : 'fangfan.validation.phone';
}
