/**
 * A town's or a department's own score for the year (GET /api/stats/scores answers them their own row):
 * each component with the counts behind it and the formula it is computed by, so it can be argued with.
 */
import { Alert, Box, Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import type { SupervisionScoreRow, SupervisionScores } from '../api/types';
import { pick } from '../lib/text';

export const percent = (n: number | undefined) => (n === undefined ? '—' : `${(n * 100).toFixed(1)}%`);

export function OwnScore({ scores, row }: { scores: SupervisionScores; row: SupervisionScoreRow }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const label = (c: string) => translate(`fangfan.supervision.scores.${c}`);
  const parts: [string, string][] = [
    ['on_time', `${percent(row.onTimeRate)}（${row.stepsOnTime}/${row.stepsDue}）`],
    ...(row.kind === 'town' ? [['visits', `${percent(row.visitRate)}（${row.visitsDone}/${row.visitsDue}）`] as [string, string]] : []),
    ['reopened', String(row.reopenedFixes)],
    ['notices', String(row.noticesReceived)],
  ];
  return (
    <Box sx={{ mt: 1, minWidth: 0 }} data-testid={`own-score-${row.kind}`}>
      <Typography variant="subtitle1" component="h3">
        {translate('fangfan.supervision.scores.own_title', { unit: row.unit, year: scores.year })}
      </Typography>
      <Typography variant="h3" component="p" sx={{ my: 1 }} data-testid="own-score">
        {row.score.toFixed(1)}
        <Typography component="span" variant="body1" sx={{ ml: 1 }}>
          {label('score')}
        </Typography>
      </Typography>
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: 2, rowGap: 0.5, m: 0, mb: 1 }}>
        {parts.map(([c, value]) => [
          <Typography key={`${c}-t`} component="dt" color="text.secondary">
            {label(c)}
          </Typography>,
          <Typography key={`${c}-d`} component="dd" sx={{ m: 0 }}>
            {value}
          </Typography>,
        ])}
      </Box>
      <Alert severity="info" data-testid="scores-formula">
        <div>{translate('fangfan.supervision.scores.own_hint')}</div>
        <div>{pick(scores.formula[row.kind], locale)}</div>
      </Alert>
    </Box>
  );
}
