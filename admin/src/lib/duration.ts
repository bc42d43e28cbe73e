/** One-unit ISO 8601 durations (P5D, PT36H) as a number and a unit, and back (forms/widgets/DurationWidget.tsx). */
export const DURATION_UNITS = ['D', 'H', 'M', 'S'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
type Unit = DurationUnit;

/** `P5D` → 5 days, `PT36H` → 36 hours…; undefined for anything else (several units, weeks, fractions). */
export function splitDuration(value: string): { amount: number; unit: Unit } | undefined {
  const m = /^P(?:(\d+)D|T(\d+)([HMS]))$/.exec(value);
  if (!m) return undefined;
  return m[1] !== undefined ? { amount: Number(m[1]), unit: 'D' } : { amount: Number(m[2]), unit: m[3] as Unit };
}

export const joinDuration = (amount: number, unit: Unit) => (unit === 'D' ? `P${amount}D` : `PT${amount}${unit}`);
