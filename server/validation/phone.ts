/** Chinese phone numbers: a mobile number (1[3-9] + 9 digits) or a landline with its area code (023-67881234). */

export type PhoneResult = { ok: true; value: string } | { ok: false; rule: 'format'; message: string };

export const MOBILE_RE = /^1[3-9]\d{9}$/;
export const LANDLINE_RE = /^0\d{2,3}-?\d{7,8}$/;

export function validatePhone(input: string): PhoneResult {
  const value = input.trim();
  if (MOBILE_RE.test(value) || LANDLINE_RE.test(value)) return { ok: true, value };
  return {
    ok: false,
    rule: 'format',
    message: 'must be a mobile number (11 digits starting 13–19) or a landline with area code such as 023-67881234',
  };
}

/** `138****5678`: the first 3 and the last 4 characters stay. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}
