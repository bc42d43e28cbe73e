/**
 * The register as an Excel ledger (工作台账): its columns, and a household as a row of Chinese
 * labels. The first nine columns are also what the import reads (server/households/import-columns.ts).
 */
import type { Actor } from '../../contracts/roles';
import { HOUSEHOLD_STATUSES, LOW_INCOME_GROUPS, MONITORING_CATEGORIES, MONITORING_STATUSES, RISK_TYPES, type Vocabulary } from '../../contracts/vocabulary';
import { toShanghaiMinute } from '../../calendar/dates';
import type { XlsxColumn } from '../export';
import { householdView, type HouseholdRow } from './view';

export const LEDGER_COLUMNS: XlsxColumn[] = [
  { header: '户编号', key: 'id', width: 12 },
  { header: '户主姓名', key: 'headName', width: 12 },
  { header: '身份证号', key: 'idNumber', width: 22 },
  { header: '联系电话', key: 'phone', width: 15 },
  { header: '镇', key: 'town', width: 10 },
  { header: '村', key: 'village', width: 10 },
  { header: '家庭人口', key: 'memberCount', width: 10 },
  { header: '户类型', key: 'status', width: 10 },
  { header: '低收入群体', key: 'lowIncomeGroups', width: 20 },
  { header: '监测状态', key: 'monitoringStatus', width: 12 },
  { header: '监测类型', key: 'monitoringCategory', width: 16 },
  { header: '风险类型', key: 'riskTypes', width: 20 },
  { header: '纳入监测日期', key: 'monitoredSince', width: 14 },
  { header: '登记时间', key: 'createdAt', width: 18 },
  { header: '更新时间', key: 'updatedAt', width: 18 },
];

/** How many leading ledger columns the import writes back; the rest are the workflows' or the system's. */
export const WRITABLE_LEDGER_COLUMNS = 9;

const zh = (v: Vocabulary<string>, k: string | null | undefined) => (k ? (v[k]?.zh ?? k) : '');
const zhList = (v: Vocabulary<string>, ks: string[] | null | undefined) => (ks ?? []).map((k) => zh(v, k)).join('、');

/** A household as a ledger row: personal data masked as in the list (server/privacy.ts), codes in Chinese. */
export function ledgerRow(actor: Actor, h: HouseholdRow, involved: boolean) {
  const v = householdView(actor, h, involved);
  return {
    ...v,
    phone: v.phone ?? '',
    status: zh(HOUSEHOLD_STATUSES, h.status),
    lowIncomeGroups: zhList(LOW_INCOME_GROUPS, h.lowIncomeGroups),
    monitoringStatus: zh(MONITORING_STATUSES, h.monitoringStatus),
    monitoringCategory: zh(MONITORING_CATEGORIES, h.monitoringCategory),
    riskTypes: zhList(RISK_TYPES, v.riskTypes),
    monitoredSince: h.monitoredSince ?? '',
    createdAt: toShanghaiMinute(h.createdAt),
    updatedAt: toShanghaiMinute(h.updatedAt),
  };
}
