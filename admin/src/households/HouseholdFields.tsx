/** A household's coded values in words. */
import { Chip } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { HOUSEHOLD_STATUSES, LOW_INCOME_GROUPS, MONITORING_CATEGORIES, MONITORING_STATUSES, RISK_TYPES } from '../../../contracts/vocabulary';
import type { HouseholdRecord } from '../api/types';
import { labelOf } from '../lib/text';

const VOCABULARIES = {
  status: HOUSEHOLD_STATUSES,
  monitoringStatus: MONITORING_STATUSES,
  monitoringCategory: MONITORING_CATEGORIES,
  lowIncomeGroups: LOW_INCOME_GROUPS,
  riskTypes: RISK_TYPES,
} as const;

export function VocabularyField({ source }: { source: keyof typeof VOCABULARIES; label?: string }) {
  const record = useRecordContext<HouseholdRecord>();
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const value = record?.[source];
  const vocabulary = VOCABULARIES[source];
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return <>{translate('fangfan.no_value')}</>;
  if (Array.isArray(value)) return <>{value.map((v) => labelOf(vocabulary, v, locale)).join('、')}</>;
  if (source === 'monitoringStatus') {
    return <Chip size="small" color={value === 'monitored' ? 'warning' : value === 'eliminated' ? 'success' : 'default'} label={labelOf(vocabulary, value, locale)} />;
  }
  return <>{labelOf(vocabulary, String(value), locale)}</>;
}

export function MaskedIdField() {
  const record = useRecordContext<HouseholdRecord>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <>
      {record.idNumber}
      {record.idNumberMasked ? `（${translate('fangfan.households.masked')}）` : ''}
    </>
  );
}
