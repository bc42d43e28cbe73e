/** Policy section `dataExchange` (items 16, 43, 47): the yearly monitoring line and when a warning's verification is due. */
import type { DataExchangePolicy } from './contract';
import { dueRule, fail, mapping, number, required } from '../../policy/check';

/** When absent (a version stored before the exchange existed): no monitoring line entered yet, 5 working days to verify. */
export const DEFAULT_DATA_EXCHANGE: DataExchangePolicy = { monitoringLine: {}, verification: { workingDays: 5 } };

export function dataExchangeSection(v: unknown, key = 'dataExchange'): DataExchangePolicy {
  if (v === undefined || v === null) return structuredClone(DEFAULT_DATA_EXCHANGE);
  const o = mapping(v, key, ['monitoringLine', 'verification']);
  const monitoringLine = required(o, 'monitoringLine', key, (m, k) => {
    const lines = mapping(m ?? {}, k);
    return Object.fromEntries(
      Object.entries(lines).map(([year, amount]) => {
        if (!/^20\d\d$/.test(year)) fail(`${k}.${year}`, 'must be a year such as 2026');
        return [year, number(amount, `${k}.${year}`, 1, 1_000_000)];
      }),
    );
  });
  return { monitoringLine, verification: required(o, 'verification', key, dueRule) };
}
