/**
 * The register as an Excel ledger (农户花名册): its columns, and a household as a row of labels in
 * the caller's language. The first nine columns are also what the import reads (server/households/import-columns.ts).
 */
import type { Actor } from '../../contracts/roles';
import { HOUSEHOLD_STATUSES, LOW_INCOME_GROUPS, MONITORING_CATEGORIES, MONITORING_STATUSES, RISK_TYPES } from '../../contracts/vocabulary';
import { t, type Lang } from '../../contracts/i18n';
import { labelIn, ledgerTime, type Ledger, type XlsxColumn } from '../export';
import { householdView, type HouseholdRow } from './view';

export const LEDGER_COLUMNS: XlsxColumn[] = [
  { header: t('户编号', 'Household no.'), key: 'id', width: 12 },
  { header: t('户主姓名', 'Household head'), key: 'headName', width: 12 },
  { header: t('身份证号', 'ID number'), key: 'idNumber', width: 22 },
  { header: t('联系电话', 'Phone'), key: 'phone', width: 15 },
  { header: t('镇', 'Town'), key: 'town', width: 10 },
  { header: t('村', 'Village'), key: 'village', width: 10 },
  { header: t('家庭人口', 'Members'), key: 'memberCount', width: 10 },
  { header: t('户类型', 'Household type'), key: 'status', width: 10 },
  { header: t('低收入群体', 'Low-income groups'), key: 'lowIncomeGroups', width: 20 },
  { header: t('监测状态', 'Monitoring status'), key: 'monitoringStatus', width: 12 },
  { header: t('监测类型', 'Monitoring category'), key: 'monitoringCategory', width: 16 },
  { header: t('风险类型', 'Risk types'), key: 'riskTypes', width: 20 },
  { header: t('纳入监测日期', 'Monitored since'), key: 'monitoredSince', width: 14 },
  { header: t('包户干部', 'Contact cadre'), key: 'contactCadre', width: 12 },
  { header: t('登记时间', 'Registered'), key: 'createdAt', width: 18 },
  { header: t('更新时间', 'Updated'), key: 'updatedAt', width: 18 },
];

/** The register as an Excel ledger (农户花名册). */
export const HOUSEHOLD_LEDGER: Ledger = { name: t('农户花名册', 'Household register'), columns: LEDGER_COLUMNS };

/** How many leading ledger columns the import writes back; the rest are the workflows' or the system's. */
export const WRITABLE_LEDGER_COLUMNS = 9;

/** A household as a ledger row: personal data masked as in the list (server/privacy.ts), codes in the caller's language. */
export function ledgerRow(actor: Actor, h: HouseholdRow, involved: boolean, lang: Lang) {
  const v = householdView(actor, h, involved);
  const list = (vocabulary: Parameters<typeof labelIn>[0], codes: string[] | null | undefined) =>
    (codes ?? []).map((c) => labelIn(vocabulary, c, lang)).join(lang === 'zh' ? '、' : ', ');
  return {
    ...v,
    phone: v.phone ?? '',
    status: labelIn(HOUSEHOLD_STATUSES, h.status, lang),
    lowIncomeGroups: list(LOW_INCOME_GROUPS, h.lowIncomeGroups),
    monitoringStatus: labelIn(MONITORING_STATUSES, h.monitoringStatus, lang),
    monitoringCategory: labelIn(MONITORING_CATEGORIES, h.monitoringCategory, lang),
    riskTypes: list(RISK_TYPES, v.riskTypes),
    monitoredSince: h.monitoredSince ?? '',
    contactCadre: h.contactCadreName ?? '',
    createdAt: ledgerTime(h.createdAt),
    updatedAt: ledgerTime(h.updatedAt),
  };
}
