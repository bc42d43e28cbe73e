/** How personal data is masked wherever it is shown in part (server responses, the console's summaries). */

/** `500112********1234`: the first 6 and the last 4 characters stay. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 10) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 6)}${'*'.repeat(idNumber.length - 10)}${idNumber.slice(-4)}`;
}
