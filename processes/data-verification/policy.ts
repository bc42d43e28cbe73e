/** Policy section `dataExchange` (items 16, 43, 47): the yearly monitoring line and when a warning's verification is due. */
import type { DataExchangePolicy } from './contract';
import { dueRule, fail, mapping, number, required } from '../../policy/check';

export function dataExchangeSection(v: unknown, key = 'dataExchange'): DataExchangePolicy {
  const o = mapping(v, key, ['monitoringLine', 'verification']);
  const monitoringLine = required(o, 'monitoringLine', key, (m, k) => {
    const lines = mapping(m, k);
    if (Object.keys(lines).length === 0) fail(k, 'must name at least one year');
    return Object.fromEntries(
      Object.entries(lines).map(([year, amount]) => {
        if (!/^20\d\d$/.test(year)) fail(`${k}.${year}`, 'must be a year such as 2026');
        return [year, number(amount, `${k}.${year}`, 1, 1_000_000)];
      }),
    );
  });
  return { monitoringLine, verification: required(o, 'verification', key, dueRule) };
}
