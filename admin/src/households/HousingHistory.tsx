/**
 * 住房档案: the household's house safety appraisals and renovations (P4) as a timeline, newest first:
 * date, kind, grade or result, who appraised or the subsidy paid, and the case that recorded it (a
 * link to the case). One column of entries, so it reads the same at phone width.
 */
import { Box, Chip, Link, Typography } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { APPRAISAL_GRADES, HOUSING_STATUSES } from '../../../contracts/vocabulary';
import type { HouseholdRecord, HousingHistory as History } from '../api/types';
import { labelOf } from '../lib/text';

interface Entry {
  kind: 'appraisal' | 'renovation';
  date: string;
  result: string;
  details: string[];
  processId: string | null;
}

const STATUS_COLOR: Record<string, 'success' | 'warning' | 'error' | 'default'> = { safe: 'success', grade_c: 'warning', grade_d: 'error' };

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "拆除重建（D级危房）": the method, and the grade of the house it made safe in short. */
function renovationResult(method: string | null, grade: string | null, translate: Translate, locale: string): string {
  const how = method ? translate(`fangfan.housing.method_${method}`, { _: method }) : '';
  const short = `grade_${(grade ?? '').toLowerCase()}`;
  const was = !grade ? '' : short in HOUSING_STATUSES ? labelOf(HOUSING_STATUSES, short, locale) : labelOf(APPRAISAL_GRADES, grade, locale);
  if (how && was) return translate('fangfan.housing.renovation_result', { method: how, grade: was });
  return how || was || translate('fangfan.no_value');
}

/** Appraisals and renovations in one list, newest first (the API gives each oldest first). */
export function housingEntries(history: History, translate: Translate, locale: string): Entry[] {
  const grade = (g: string | null) => (g ? labelOf(APPRAISAL_GRADES, g, locale) : translate('fangfan.no_value'));
  const entries: Entry[] = [
    ...history.appraisals.map((a) => ({
      kind: 'appraisal' as const,
      date: a.appraisedOn,
      result: grade(a.grade),
      details: [
        a.appraiser ? translate('fangfan.housing.appraiser', { name: a.appraiser }) : '',
        a.reportNo ? translate('fangfan.housing.report_no', { no: a.reportNo }) : '',
      ].filter(Boolean),
      processId: a.processId,
    })),
    ...history.renovations.map((r) => ({
      kind: 'renovation' as const,
      date: r.completedOn,
      result: renovationResult(r.method, r.grade, translate, locale),
      details: [
        r.subsidy !== null ? translate('fangfan.housing.subsidy', { amount: r.subsidy.toLocaleString(locale.startsWith('en') ? 'en-US' : 'zh-CN') }) : '',
        r.voucherNo ? translate('fangfan.housing.voucher_no', { no: r.voucherNo }) : '',
      ].filter(Boolean),
      processId: r.processId,
    })),
  ];
  // Newest first; on the same day the later-recorded entry first (a renovation after its appraisal).
  return entries.map((e, i) => ({ e, i })).sort((a, b) => (a.e.date === b.e.date ? b.i - a.i : a.e.date < b.e.date ? 1 : -1)).map(({ e }) => e);
}

export function HousingHistory() {
  const record = useRecordContext<HouseholdRecord>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const history = record?.housingHistory;
  // A record from the list has no history yet; the household's own answer brings it.
  if (!history) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('fangfan.form.loading')}
      </Typography>
    );
  }
  const entries = housingEntries(history, translate, locale);
  return (
    <Box data-testid="housing-history">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1 }}>
        <Typography variant="body2" color="text.secondary">
          {translate('fangfan.housing.status')}
        </Typography>
        <Chip size="small" color={STATUS_COLOR[history.status] ?? 'default'} label={labelOf(HOUSING_STATUSES, history.status, locale)} />
      </Box>
      {entries.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('fangfan.housing.empty')}
        </Typography>
      ) : (
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {entries.map((e, i) => (
            <Box
              component="li"
              key={`${e.kind}-${e.date}-${i}`}
              data-testid="housing-entry"
              sx={{ py: 1, pl: 1.5, borderLeft: 3, borderColor: e.kind === 'appraisal' ? 'info.main' : 'success.main', '& + &': { mt: 1 } }}
            >
              <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, flexWrap: 'wrap' }}>
                <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                  {e.date}
                </Typography>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {translate(`fangfan.housing.kind_${e.kind}`)}
                </Typography>
              </Box>
              <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
                {e.result}
              </Typography>
              {e.details.length > 0 && (
                <Typography variant="caption" color="text.secondary" component="div" sx={{ overflowWrap: 'anywhere' }}>
                  {e.details.join(' · ')}
                </Typography>
              )}
              {e.processId && (
                <Typography variant="caption" component="div">
                  {translate('fangfan.housing.case')}{' '}
                  <Link component={RouterLink} to={`/processes/${encodeURIComponent(e.processId)}/show`} sx={{ overflowWrap: 'anywhere' }}>
                    {e.processId}
                  </Link>
                </Typography>
              )}
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
