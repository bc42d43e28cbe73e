/**
 * Money in yuan with at most two decimals (分). Sums and comparisons are done in whole fen, so
 * 0.1 + 0.2 never differs from 0.3; amounts travel and display in yuan.
 */

/** Whole fen of an amount in yuan; undefined when it has more than two decimals or is not finite. */
export function fen(yuan: number): number | undefined {
  if (typeof yuan !== 'number' || !Number.isFinite(yuan)) return undefined;
  const f = Math.round(yuan * 100);
  return Math.abs(yuan * 100 - f) < 1e-6 ? f : undefined;
}

/** Yuan from whole fen. */
export const yuanOf = (fenAmount: number): number => fenAmount / 100;

/** `12,345.60 元` for messages and summaries. */
export function formatYuan(yuan: number): string {
  const f = Math.round(yuan * 100);
  const sign = f < 0 ? '-' : '';
  const abs = Math.abs(f);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')} 元`;
}
