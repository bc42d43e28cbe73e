/** A household's coded values in words. */
import { Chip, Typography } from '@mui/material';
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
  const text = (t: string) => (
    <Typography variant="body2" component="span">
      {t}
    </Typography>
  );
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return text(translate('fangfan.no_value'));
  if (Array.isArray(value)) return text(value.map((v) => labelOf(vocabulary, v, locale)).join(translate('fangfan.list_separator')));
  if (source === 'monitoringStatus') {
    return (
      <Chip
        size="small"
        sx={{ width: 'fit-content' }}
        color={value === 'monitored' ? 'warning' : value === 'eliminated' ? 'success' : 'default'}
        label={labelOf(vocabulary, value, locale)}
      />
    );
  }
  return text(labelOf(vocabulary, String(value), locale));
}

export function MaskedIdField() {
  const record = useRecordContext<HouseholdRecord>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Typography variant="body2" component="span">
      {record.idNumber}
      {record.idNumberMasked ? `（${translate('fangfan.households.masked')}）` : ''}
    </Typography>
  );
}
